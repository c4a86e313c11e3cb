// Reading the audit trail for the admin pages: filtered, newest first, by keyset (`before` an event
// id), with each event's actor, workspace (a deleted one's slug from deleted_workspaces) and details.
// The site-admin policy on audit_events admits every event; herald_app can never change one.
import HeraldDatabase
import HeraldSupport

/// One audit event as the pages and the CSV show it.
struct AuditLine {
    let id: Int
    /// `YYYY-MM-DD HH:MM:SS` in the admin's time zone.
    let time: String
    /// ISO 8601 with the offset, for the CSV.
    let isoTime: String
    let action: String
    let actorID: Int?
    /// The actor's email now; nil for Herald itself, or a user since deleted.
    let actorEmail: String?
    let workspaceID: Int?
    let workspaceSlug: String?
    /// The event's workspace no longer exists (its trail is detached).
    let workspaceDeleted: Bool
    let targetType: String?
    let targetID: Int?
    let ip: String?
    /// The details object's fields, by key.
    let details: [(key: String, value: String)]
    /// The details as stored (JSON), for the CSV.
    let detailsJSON: String
}

/// What to read, with names already turned into ids.
struct AuditQuery {
    var actor: Int?
    /// nil: any workspace (or none); else events of these workspaces.
    var workspaces: [Int]?
    /// Events whose action starts with this; empty: any.
    var actionPrefix = ""
    /// `YYYY-MM-DD`, in the admin's time zone; both ends included.
    var from: String?
    var to: String?
    /// Only events older than this one (the next page).
    var before: Int?
    /// Events by this user or about them (target user).
    var subject: Int?
    /// Nothing can match (a name that resolves to no id).
    var matchesNothing = false
}

enum AuditStore {
    static let pageSize = 50

    /// Up to `limit` events, newest first.
    static func events(_ q: AuditQuery, limit: Int, _ db: Connection) throws -> [AuditLine] {
        guard !q.matchesNothing else { return [] }
        // Each filter is optional: plan each execution for its own values, not one generic plan.
        try db.query("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
        let workspaces = q.workspaces.map { "{" + $0.map(String.init).joined(separator: ",") + "}" }
        return try db.query(
            """
            SELECT e.id, to_char(e.occurred_at, 'YYYY-MM-DD HH24:MI:SS'), to_char(e.occurred_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), e.action,
                   e.actor_id, u.email, e.workspace_id, coalesce(w.slug, d.slug), w.id IS NULL AND e.workspace_id IS NOT NULL,
                   e.target_type, e.target_id, host(e.ip),
                   (SELECT string_agg(k.key || chr(31) || k.value, chr(30) ORDER BY k.key) FROM jsonb_each_text(e.details) k),
                   e.details::text
            FROM audit_events e
            LEFT JOIN users u ON u.id = e.actor_id
            LEFT JOIN workspaces w ON w.id = e.workspace_id
            LEFT JOIN deleted_workspaces d ON d.id = e.workspace_id
            WHERE ($1::bigint IS NULL OR e.actor_id = $1::bigint)
              AND ($2::bigint[] IS NULL OR e.workspace_id = ANY($2::bigint[]))
              AND ($3::text = '' OR e.action LIKE $3::text || '%')
              AND ($4::date IS NULL OR e.occurred_at >= $4::date)
              AND ($5::date IS NULL OR e.occurred_at < $5::date + 1)
              AND ($6::bigint IS NULL OR e.id < $6::bigint)
              AND ($7::bigint IS NULL OR e.actor_id = $7::bigint OR (e.target_type = 'user' AND e.target_id = $7::bigint))
            ORDER BY e.id DESC
            LIMIT $8
            """,
            [
                .int(q.actor), .text(workspaces), .text(Param.likeEscaped(q.actionPrefix)), .text(q.from), .text(q.to), .int(q.before),
                .int(q.subject), .int(limit),
            ]
        ).rows.map(decode)
    }

    /// The user with this email, if any.
    static func userID(email: String, _ db: Connection) throws -> Int? {
        try db.queryRow("SELECT id FROM users WHERE email = $1", [.text(email)])?.int(0)
    }

    /// The workspace with this slug now or, if none has it, the deleted ones that had it.
    static func workspaceIDs(slug: String, _ db: Connection) throws -> [Int] {
        if let live = try db.queryRow("SELECT id FROM workspaces WHERE slug = $1", [.text(slug)])?.int(0) { return [live] }
        return try db.query("SELECT id FROM deleted_workspaces WHERE slug = $1 ORDER BY id", [.text(slug)]).rows.map { try $0.int(0) }
    }

    static func decode(_ row: Row) throws -> AuditLine {
        let packed = row.optionalString(12) ?? ""
        let details =
            packed.isEmpty
            ? []
            : packed.split(separator: "\u{1E}", omittingEmptySubsequences: false).map { pair -> (key: String, value: String) in
                let parts = pair.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
        return AuditLine(
            id: try row.int(0), time: try row.string(1), isoTime: try row.string(2), action: try row.string(3), actorID: try row.optionalInt(4),
            actorEmail: row.optionalString(5), workspaceID: try row.optionalInt(6), workspaceSlug: row.optionalString(7),
            workspaceDeleted: try row.bool(8), targetType: row.optionalString(9), targetID: try row.optionalInt(10), ip: row.optionalString(11),
            details: details, detailsJSON: try row.string(13))
    }
}
