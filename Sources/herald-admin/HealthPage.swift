// GET /admin/health: PostgreSQL connections in use against max_connections (by role), the read
// replica's lag when one is configured, the queue's depth, and the size of each post_metrics
// partition (pg_total_relation_size, indexes and TOAST included).
import HeraldDatabase
import HeraldFastCGI
import HeraldWeb

enum HealthPage {
    static func show(_ c: RequestContext) throws -> Response {
        try AdminGate.transaction(c) { user, db in
            let connections = try db.query(
                """
                SELECT coalesce(usename::text, backend_type), count(*) FROM pg_stat_activity
                WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 2 DESC, 1
                """
            ).rows.map { (role: try $0.string(0), count: try $0.int(1)) }
            let settings = try db.queryRow(
                """
                SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int,
                       pg_database_size(current_database()), version()
                """)!
            let queue = try db.query("SELECT status, count(*) FROM jobs WHERE status IN ('queued', 'running', 'dead') GROUP BY status").rows.map {
                (status: try $0.string(0), count: try $0.int(1))
            }
            let partitions = try db.query(
                """
                SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), pg_total_relation_size(c.oid), greatest(c.reltuples, 0)::bigint
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'post_metrics'::regclass
                ORDER BY c.relname = 'post_metrics_default', c.relname
                """
            ).rows.map { (name: try $0.string(0), bounds: try $0.string(1), bytes: try $0.int(2), rows: try $0.int(3)) }
            let replica = try replicaState(c)
            let model = HealthView.Model(
                connections: connections, maxConnections: try settings.int(0), reserved: try settings.int(1),
                databaseBytes: try settings.int(2), version: try settings.string(3), due: try JobStore.due(db),
                queue: queue, partitions: partitions, replica: replica)
            return try AdminPage.render(c, user, db, .health, title: "Health", HealthView.render(model))
        }
    }

    /// What the read replica says, when HERALD_READ_DATABASE_URL is set for this program.
    static func replicaState(_ c: RequestContext) throws -> HealthView.Replica {
        guard c.config.readDatabaseURL != nil else { return .notConfigured }
        do {
            let lag = try c.withReadDB { db -> Double? in try Replica.lagSeconds(db) }
            return c.readFromReplica ? .lag(lag) : .unreachable
        } catch let error as DatabaseError where error.isConnectionFailure {
            return .unreachable
        }
    }
}
