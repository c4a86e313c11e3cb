// Exchanges with the language model are kept for the workspace's audit HERALD_AI_RETENTION_DAYS
// (90 by default), then deleted, across workspaces (policy worker_retention of migration 0018).
import HeraldDatabase
import HeraldQueue
import HeraldSupport

enum AIRetention {
    static func expire(_ db: Connection, days: Int) throws {
        let deleted = try Jobs.acrossWorkspaces(db) { db in
            try db.query("DELETE FROM ai_exchanges WHERE created_at < now() - make_interval(days => $1)", [.int(days)]).affectedRows
        }
        if deleted > 0 { Log.info("AI exchanges past retention deleted", ["rows": String(deleted), "days": String(days)]) }
    }
}
