// Queries on the job queue for the admin pages, through the site-admin policies: counts by kind and
// status, the oldest due job, dead jobs with their errors, and the two changes the policy allows on
// a dead job (back to the queue, or discarded).
import HeraldDatabase

struct DeadJob {
    let id: Int
    let kind: String
    let workspaceID: Int
    let workspaceSlug: String?
    let attempts: Int
    let maxAttempts: Int
    let lastError: String?
    let created: String
    let finished: String?
    let key: String?
}

enum JobStore {
    static let pageSize = 25
    static let statuses = ["queued", "running", "done", "dead", "canceled"]

    /// (kind, status, jobs) for every pair that has any.
    static func counts(_ db: Connection) throws -> [(kind: String, status: String, count: Int)] {
        try db.query("SELECT kind, status, count(*) FROM jobs GROUP BY kind, status ORDER BY kind, status").rows.map {
            (kind: try $0.string(0), status: try $0.string(1), count: try $0.int(2))
        }
    }

    /// Seconds the oldest due job has waited, and how many are due; nil seconds when none is.
    static func due(_ db: Connection) throws -> (seconds: Int?, count: Int) {
        guard
            let row = try db.queryRow(
                "SELECT extract(epoch FROM now() - min(run_at))::bigint, count(*) FROM jobs WHERE status = 'queued' AND run_at <= now()")
        else { return (nil, 0) }
        return (seconds: try row.optionalInt(0), count: try row.int(1))
    }

    static func deadCount(kind: String, _ db: Connection) throws -> Int {
        try db.queryRow("SELECT count(*) FROM jobs WHERE status = 'dead' AND ($1 = '' OR kind = $1)", [.text(kind)])?.int(0) ?? 0
    }

    /// Dead jobs, newest first.
    static func dead(kind: String, page: Int, _ db: Connection) throws -> [DeadJob] {
        try db.query(
            """
            SELECT j.id, j.kind, j.workspace_id, w.slug, j.attempts, j.max_attempts, j.last_error,
                   to_char(j.created_at, 'YYYY-MM-DD HH24:MI'), to_char(j.finished_at, 'YYYY-MM-DD HH24:MI'), j.idempotency_key
            FROM jobs j LEFT JOIN workspaces w ON w.id = j.workspace_id
            WHERE j.status = 'dead' AND ($1 = '' OR j.kind = $1)
            ORDER BY j.id DESC LIMIT $2 OFFSET $3
            """, [.text(kind), .int(pageSize), .int((page - 1) * pageSize)]
        ).rows.map { row in
            DeadJob(
                id: try row.int(0), kind: try row.string(1), workspaceID: try row.int(2), workspaceSlug: row.optionalString(3),
                attempts: try row.int(4), maxAttempts: try row.int(5), lastError: row.optionalString(6), created: try row.string(7),
                finished: row.optionalString(8), key: row.optionalString(9))
        }
    }

    /// A job's workspace, kind and status, if it exists.
    static func find(_ id: Int, _ db: Connection) throws -> (workspaceID: Int, kind: String, status: String)? {
        try db.queryRow("SELECT workspace_id, kind, status FROM jobs WHERE id = $1", [.int(id)]).map {
            (workspaceID: try $0.int(0), kind: try $0.string(1), status: try $0.string(2))
        }
    }

    /// A dead job back in the queue, due now, its attempts counted from 0 again (the last error stays
    /// until the next attempt replaces it). False when it is no longer dead.
    static func retry(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query(
            """
            UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL, locked_by = NULL, locked_until = NULL
            WHERE id = $1 AND status = 'dead'
            """, [.int(id)]
        ).affectedRows == 1
    }

    /// A dead job discarded: canceled, so its idempotency key stays taken and the work is not queued
    /// again. False when it is no longer dead.
    static func discard(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query("UPDATE jobs SET status = 'canceled', finished_at = now() WHERE id = $1 AND status = 'dead'", [.int(id)]).affectedRows == 1
    }
}
