// Reads a post's history for its page: the audit events about it and its revisions, with times in
// the viewer's zone.
import HeraldDatabase

/// One audit event about a post: who did what and when, with the move, comment or time it recorded.
struct PostEvent {
    let when: String
    let actor: String
    let action: String
    let from: String?
    let to: String?
    let comment: String?
    /// The date and time a schedule was entered as, and in which zone.
    let local: String?
    let zone: String?
}

/// One saved version of a post's text.
struct PostRevision {
    let version: Int
    let title: String
    let body: String
    let editor: String
    let created: String
}

enum PostHistoryStore {
    static func events(_ workspace: Int, post: Int, timeZone: String, _ db: Connection) throws -> [PostEvent] {
        try db.query(
            """
            SELECT to_char(e.occurred_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), coalesce(u.name, 'someone'), e.action,
                   e.details->>'from', e.details->>'to', e.details->>'comment', e.details->>'local', e.details->>'zone'
            FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
            WHERE e.workspace_id = $1 AND e.target_type = 'post' AND e.target_id = $2
            ORDER BY e.occurred_at, e.id
            """, [.int(workspace), .int(post), .text(timeZone)]
        ).rows.map { row in
            PostEvent(
                when: try row.string(0), actor: try row.string(1), action: try row.string(2), from: row.optionalString(3), to: row.optionalString(4),
                comment: row.optionalString(5), local: row.optionalString(6), zone: row.optionalString(7))
        }
    }

    static func revisions(_ workspace: Int, post: Int, timeZone: String, _ db: Connection) throws -> [PostRevision] {
        try db.query(
            """
            SELECT r.version, coalesce(r.title, ''), r.body, coalesce(u.name, 'someone'), to_char(r.created_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI')
            FROM post_revisions r LEFT JOIN users u ON u.id = r.editor_id
            WHERE r.workspace_id = $1 AND r.post_id = $2 ORDER BY r.version
            """, [.int(workspace), .int(post), .text(timeZone)]
        ).rows.map { row in
            PostRevision(
                version: try row.int(0), title: try row.string(1), body: try row.string(2), editor: try row.string(3), created: try row.string(4))
        }
    }
}
