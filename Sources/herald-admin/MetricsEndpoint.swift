// GET /metrics in Prometheus' text exposition format (0.0.4): every program's own counters (the
// `.prom` files they write to the metrics directory every few seconds: requests by status,
// request durations, database connections, memory) and the database's gauges (queue depth by kind
// and status, the oldest due job's age, publish outcomes, connections against max_connections).
// Only the local-only metrics listener reaches it: nginx routes /metrics nowhere on the public
// site, and the metrics server sets HERALD_METRICS_LISTENER, which no HTTP header can set
// (headers arrive as HTTP_* parameters). Anywhere else it is a plain 404.
import Glibc
import HeraldDatabase
import HeraldFastCGI
import HeraldSupport
import HeraldWeb

enum MetricsEndpoint {
    /// The metric families with their HELP and TYPE lines, in the order they are printed.
    static let families: [(name: String, type: String, help: String)] = [
        ("herald_http_requests_total", "counter", "Requests answered, by program and HTTP status."),
        ("herald_http_request_duration_seconds", "histogram", "Time from a request's arrival to its answer, by program."),
        ("herald_threads", "gauge", "Threads accepting requests, by program."),
        ("herald_db_connections_open", "gauge", "Connections to PostgreSQL the program holds (its pools, primary and replica)."),
        ("herald_db_connections_lent", "gauge", "Of those, the ones lent to requests being answered."),
        ("herald_db_pool_size", "gauge", "Connections the program may hold at most (HERALD_DB_POOL_SIZE, per pool)."),
        ("herald_db_pool_waits_total", "counter", "Requests that waited for a free connection."),
        ("herald_db_pool_timeouts_total", "counter", "Requests answered 503 because no connection freed up in time."),
        ("herald_process_resident_bytes", "gauge", "Resident memory of the program's process."),
        ("herald_metrics_file_age_seconds", "gauge", "Age of the program's metrics file (large: the program is not running)."),
        ("herald_queue_jobs", "gauge", "Jobs not finished, by kind and status (queued, running, dead)."),
        ("herald_queue_oldest_due_seconds", "gauge", "How long the oldest due job has waited."),
        ("herald_post_targets", "gauge", "Post targets by platform and status: the publish outcomes."),
        ("herald_db_connections", "gauge", "Connections to Herald's database, by role."),
        ("herald_db_max_connections", "gauge", "PostgreSQL's max_connections."),
        ("herald_replica_lag_seconds", "gauge", "How far the read replica is behind the primary."),
    ]

    static func show(_ c: RequestContext) throws -> Response {
        guard c.request.params["HERALD_METRICS_LISTENER"] == "1" else { throw HTTPError.notFound }
        var samples: [String: [String]] = [:]
        // The programs' files, each line filed under its family.
        let directory = c.config.metricsDirectory
        let now = time(nil)
        for file in (try? FileIO.listDirectory(directory)) ?? [] where file.hasSuffix(".prom") {
            let path = directory + "/" + file
            guard let text = try? FileIO.readText(path) else { continue }
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                samples[family(of: line), default: []].append(String(line))
            }
            var status = stat()
            if stat(path, &status) == 0 {
                let program = ProgramMetrics.escapeLabel(String(file.dropLast(".prom".count)))
                samples["herald_metrics_file_age_seconds", default: []].append(
                    "herald_metrics_file_age_seconds{program=\"\(program)\"} \(max(0, now - status.st_mtim.tv_sec))")
            }
        }
        // The database's gauges, their labels as key US value RS key US value (no JSON parser needed).
        let rows = try c.db().query(
            """
            SELECT m.name, coalesce(string_agg(l.key || chr(31) || l.value, chr(30) ORDER BY l.key), ''), m.value::text
            FROM metrics_gauges() WITH ORDINALITY AS m(name, labels, value, n)
            LEFT JOIN LATERAL jsonb_each_text(m.labels) AS l ON true
            GROUP BY m.n, m.name, m.value ORDER BY m.n
            """
        ).rows
        for row in rows {
            let name = try row.string(0)
            samples[name, default: []].append("\(name)\(labels(try row.string(1))) \(format(Double(try row.string(2)) ?? 0))")
        }
        // The replica's lag, when one is configured and answering (0: caught up).
        if c.config.readDatabaseURL != nil,
            let (lag, fromReplica) = try? c.withReadDB({ db in (try Replica.lagSeconds(db), c.readFromReplica) }), fromReplica
        {
            samples["herald_replica_lag_seconds", default: []].append("herald_replica_lag_seconds \(format(lag ?? 0))")
        }
        var text = ""
        for family in families {
            guard let lines = samples[family.name], !lines.isEmpty else { continue }
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            text += lines.joined(separator: "\n") + "\n"
        }
        return Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: Array(text.utf8))
    }

    /// The family a sample line belongs to: its name without a histogram's suffixes.
    static func family(of line: Substring) -> String {
        let name = String(line.prefix { $0 != "{" && $0 != " " })
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if base == "herald_http_request_duration_seconds" { return base }
        }
        return name
    }

    /// `{a="x",b="y"}` from `a` US `x` RS `b` US `y`, the values escaped.
    static func labels(_ packed: String) -> String {
        let pairs = packed.split(separator: "\u{1E}").compactMap { pair -> String? in
            let parts = pair.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            return "\(parts[0])=\"\(ProgramMetrics.escapeLabel(String(parts[1])))\""
        }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
