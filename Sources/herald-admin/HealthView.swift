// The health page's markup: connections against the limit, the replica, the queue, and the metrics
// partitions with their sizes.
import HeraldHTML
import HeraldSupport

enum HealthView {
    enum Replica {
        case notConfigured
        /// Seconds behind the primary; nil: caught up.
        case lag(Double?)
        case unreachable
    }

    struct Model {
        let connections: [(role: String, count: Int)]
        let maxConnections: Int
        let reserved: Int
        let databaseBytes: Int
        let version: String
        let due: (seconds: Int?, count: Int)
        let queue: [(status: String, count: Int)]
        let partitions: [(name: String, bounds: String, bytes: Int, rows: Int)]
        let replica: Replica
    }

    static func render(_ m: Model) -> HTML {
        let inUse = m.connections.reduce(0) { $0 + $1.count }
        let percent = m.maxConnections > 0 ? inUse * 100 / m.maxConnections : 0
        let level: HTML = percent >= 90 ? "danger" : percent >= 75 ? "warn" : "ok"
        let byRole = m.connections.map { c -> HTML in "<tr><td>\(c.role)</td><td class=\"num\">\(grouped(c.count))</td></tr>" }
        let replica: HTML
        switch m.replica {
        case .notConfigured:
            replica = "<p class=\"muted\">No replica is configured (HERALD_READ_DATABASE_URL is not set): every page reads from the primary.</p>"
        case .lag(nil):
            replica = "<p><span class=\"badge ok\">caught up</span> The replica has replayed everything the primary sent.</p>"
        case .lag(let seconds?):
            let badge: HTML = seconds > 60 ? "warn" : "ok"
            replica = "<p><span class=\"badge \(badge)\">\(format1(seconds)) s behind</span> The replica's data trails the primary's.</p>"
        case .unreachable:
            replica = "<p><span class=\"badge danger\">unreachable</span> The replica cannot be reached: pages read from the primary meanwhile.</p>"
        }
        let queueRows = ["queued", "running", "dead"].map { status -> HTML in
            "<tr><td>\(status)</td><td class=\"num\">\(grouped(m.queue.first { $0.status == status }?.count ?? 0))</td></tr>"
        }
        let partitionRows = m.partitions.map { p -> HTML in
            """
            <tr><td><code>\(p.name)</code><br><span class="muted small">\(p.bounds)</span></td><td class="num">\(grouped(p.rows))</td>\
            <td class="num">\(bytes(p.bytes))</td></tr>
            """
        }
        let partitionTotal = m.partitions.reduce(0) { $0 + $1.bytes }
        return """
            <h1>Health</h1>
            <div class="grid">
            <section class="card"><h2>Database connections</h2>\
            <p class="balance"><strong>\(grouped(inUse))</strong> of \(grouped(m.maxConnections)) <span class="badge \(level)">\(percent) %</span></p>\
            <p class="muted small">Client connections to the server (all databases) against <code>max_connections</code> = \(m.maxConnections), \
            of which \(m.reserved) are kept for superusers. Each FastCGI thread holds one once it has served a request.</p>\
            <table class="table"><thead><tr><th>Role</th><th class="num">In use</th></tr></thead><tbody>\(byRole)</tbody></table></section>
            <section class="card"><h2>Read replica</h2>\(replica)</section>
            <section class="card"><h2>Queue</h2><p>\(m.due.seconds.map { HTML("\(m.due.count) due now; the oldest waited \(JobsView.duration($0)).") } ?? "No job is due now.")</p>\
            <table class="table"><tbody>\(queueRows)</tbody></table><p><a href="/admin/jobs">The job queue</a></p></section>
            <section class="card"><h2>Database</h2><dl class="details"><dt>Size</dt><dd>\(bytes(m.databaseBytes))</dd>\
            <dt>Server</dt><dd class="small">\(m.version)</dd></dl></section>
            </div>
            <section class="card"><h2>Metrics partitions</h2><p class="muted small">Snapshots of post metrics, one partition a month \
            (herald-worker creates them ahead and drops those past retention); sizes include indexes. Rows are PostgreSQL's estimate.</p>
            <div class="table-scroll" role="region" tabindex="0" aria-label="Metrics partitions"><table class="table"><thead><tr><th>Partition</th><th class="num">Rows (about)</th><th class="num">Size</th></tr></thead>\
            <tbody>\(partitionRows)</tbody><tfoot><tr><th>All \(m.partitions.count)</th><td></td><td class="num"><strong>\(bytes(partitionTotal))</strong></td></tr></tfoot>\
            </table></div></section>
            """
    }

    /// 1536 → "1.5 kB"; powers of 1024 with one decimal.
    static func bytes(_ n: Int) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) bytes" : "\(format1(value)) \(units[unit])"
    }

    /// One decimal: 2.25 → "2.3".
    static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
