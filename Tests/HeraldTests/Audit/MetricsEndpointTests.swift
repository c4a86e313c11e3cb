// GET /metrics: Prometheus' text format on the local-only metrics listener, with every program's
// requests and the database's gauges; the public site has no such page, whatever the request says.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct MetricsEndpointTests {
    static var metricsPort: UInt16 { UInt16(TestEnvironment.variables["HERALD_METRICS_PORT"] ?? "") ?? 0 }

    func scrape() throws -> HTTPResponse {
        try HTTPClient.send(method: "GET", path: "/metrics", port: Self.metricsPort)
    }

    /// The value of the one sample named exactly `series` (name and labels as printed), if present.
    func value(_ series: String, in body: String) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func exposesProgramsAndDatabaseInTheTextFormat() throws {
        #expect(Self.metricsPort != 0, "make test exports HERALD_METRICS_PORT")
        // A request the auth program answers with 200, so its counter exists and grows.
        #expect(try Browser().get("/login").status == 200)
        // The programs write their files every 2 seconds: wait for the one that counts it.
        var response = try scrape()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let series = "herald_http_requests_total{program=\"herald-auth\",status=\"200\"}"
        for _ in 0..<50 where value(series, in: response.body) == nil {
            usleep(100_000)
            response = try scrape()
        }
        let before = try #require(value(series, in: response.body), "herald-auth writes its file every 2 s")
        #expect(try Browser().get("/login").status == 200)
        var after = before
        for _ in 0..<50 where after <= before {
            usleep(100_000)
            response = try scrape()
            after = value(series, in: response.body) ?? before
        }
        #expect(after > before)

        let body = response.body
        // Every line is a comment (HELP/TYPE) or `name{labels} value` with a number as the value.
        let sample = try Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.e+\-]+$"#)
        for line in body.split(separator: "\n") {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") { continue }
            #expect(line.wholeMatch(of: sample) != nil, "not a sample line: \(line)")
        }
        // Each family is declared once, before its samples.
        let types = body.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        #expect(Set(types).count == types.count)
        for family in [
            "herald_http_requests_total counter", "herald_http_request_duration_seconds histogram", "herald_queue_jobs gauge",
            "herald_queue_oldest_due_seconds gauge", "herald_db_max_connections gauge", "herald_db_connections_open gauge",
        ] {
            #expect(body.contains("# TYPE \(family)\n"), "missing \(family)")
        }
        // The histogram ends in +Inf, equal to its count.
        let infinity = value("herald_http_request_duration_seconds_bucket{program=\"herald-auth\",le=\"+Inf\"}", in: body)
        #expect(infinity != nil)
        #expect(infinity == value("herald_http_request_duration_seconds_count{program=\"herald-auth\"}", in: body))
        // Every FastCGI program of the manifest reports (the worker is not a FastCGI program).
        for program in try RepositoryMap.programs() where !program.paths.isEmpty {
            #expect(body.contains("herald_threads{program=\"\(program.name)\"}"), "\(program.name) has no metrics file")
        }
        let db = try TestEnvironment.connectSuperuser()
        let maxConnections = try db.queryRow("SELECT current_setting('max_connections')::int")!.int(0)
        #expect(value("herald_db_max_connections", in: body) == Double(maxConnections))
        #expect(value("herald_queue_jobs{kind=\"publish_post_target\",status=\"dead\"}", in: body) != nil)
    }

    @Test func queueGaugesCountTheJobs() throws {
        let owner = try Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner)
        let series = "herald_queue_jobs{kind=\"ingest_source\",status=\"dead\"}"
        let before = try #require(value(series, in: try scrape().body))
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        try db.query(
            "INSERT INTO jobs (workspace_id, kind, status, attempts, max_attempts, last_error) VALUES ($1, 'ingest_source', 'dead', 1, 1, 'test')",
            [.int(workspace.id)])
        #expect(value(series, in: try scrape().body) == before + 1, "the database's gauges are read at each scrape")
    }

    @Test func thePublicSiteHasNoMetrics() throws {
        #expect(try Browser().get("/metrics").status == 404)
        // A header cannot pretend to be the metrics listener: headers reach the programs as HTTP_*.
        let spoofed = try HTTPClient.send(method: "GET", path: "/metrics", headers: [("Herald-Metrics-Listener", "1")])
        #expect(spoofed.status == 404)
        #expect(!spoofed.body.contains("herald_http_requests_total"))
        // Nor does the admin area answer it.
        #expect(try Browser().get("/admin/metrics").status == 404)
        // The metrics listener serves nothing else.
        #expect(try HTTPClient.send(method: "GET", path: "/login", port: Self.metricsPort).status == 404)
    }
}
