// Queries on users for the admin pages: the search, one user with their sessions and workspaces, and
// the changes an admin makes (lock, unlock, end sessions, delete). users has no row-level security;
// the workspace side (memberships, workspaces) is read through the site-admin policies.
import HeraldDatabase
import HeraldSupport

struct UserSummary {
    let id: Int
    let name: String
    let email: String
    let locked: Bool
    let verified: Bool
    let siteAdmin: Bool
    /// `YYYY-MM-DD HH:MM` in the admin's time zone; nil: never logged in.
    let lastLogin: String?
    let created: String
}

struct UserDetail {
    let summary: UserSummary
    let timeZone: String
    /// Sessions not yet expired.
    let liveSessions: Int
}

/// A workspace the user belongs to, with how many members it has.
struct UserMembership {
    let workspaceID: Int
    let slug: String
    let name: String
    let role: String
    let members: Int

    /// Owned and shared with others: the user cannot be deleted while this is so.
    var blocksDeletion: Bool { role == "owner" && members > 1 }
    /// Owned by the user alone: deleted with them.
    var goesWithUser: Bool { role == "owner" && members == 1 }
}

enum UserStore {
    static let pageSize = 50

    struct Filter {
        var query = ""
        /// "", "active" or "locked".
        var status = ""
        /// "", "yes" or "no".
        var verified = ""
        var page = 1
    }

    static let columns = """
        u.id, u.name, u.email, u.status = 'disabled', u.email_verified_at IS NOT NULL, u.is_site_admin,
        to_char(u.last_login_at, 'YYYY-MM-DD HH24:MI'), to_char(u.created_at, 'YYYY-MM-DD HH24:MI')
        """

    static let matching = """
        ($1 = '' OR u.email ILIKE '%' || $1 || '%' OR u.name ILIKE '%' || $1 || '%')
        AND ($2 = '' OR u.status = CASE $2 WHEN 'locked' THEN 'disabled' ELSE 'active' END)
        AND ($3 = '' OR (u.email_verified_at IS NOT NULL) = ($3 = 'yes'))
        """

    static func parameters(_ filter: Filter) -> [SQLValue] {
        [.text(Param.likeEscaped(filter.query)), .text(filter.status), .text(filter.verified)]
    }

    static func count(_ filter: Filter, _ db: Connection) throws -> Int {
        try db.queryRow("SELECT count(*) FROM users u WHERE \(matching)", parameters(filter))?.int(0) ?? 0
    }

    /// One page, newest accounts first.
    static func page(_ filter: Filter, _ db: Connection) throws -> [UserSummary] {
        try db.query(
            """
            SELECT \(columns) FROM users u WHERE \(matching)
            ORDER BY u.created_at DESC, u.id DESC LIMIT $4 OFFSET $5
            """, parameters(filter) + [.int(pageSize), .int((filter.page - 1) * pageSize)]
        ).rows.map(summary)
    }

    static func find(_ id: Int, _ db: Connection) throws -> UserDetail? {
        try db.queryRow(
            """
            SELECT \(columns), u.time_zone,
                   (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now())
            FROM users u WHERE u.id = $1
            """, [.int(id)]
        ).map { row in UserDetail(summary: try summary(row), timeZone: try row.string(8), liveSessions: try row.int(9)) }
    }

    /// Every workspace the user belongs to, the ones they own first.
    static func memberships(_ id: Int, _ db: Connection) throws -> [UserMembership] {
        try db.query(
            """
            SELECT w.id, w.slug, w.name, m.role, (SELECT count(*) FROM memberships o WHERE o.workspace_id = w.id)
            FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
            WHERE m.user_id = $1 ORDER BY m.role <> 'owner', lower(w.name), w.id
            """, [.int(id)]
        ).rows.map { row in
            UserMembership(
                workspaceID: try row.int(0), slug: try row.string(1), name: try row.string(2), role: try row.string(3), members: try row.int(4))
        }
    }

    /// Active → locked; false when the user was locked already.
    static func lock(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query("UPDATE users SET status = 'disabled', updated_at = now() WHERE id = $1 AND status = 'active'", [.int(id)]).affectedRows == 1
    }

    /// Locked → active; false when the user was not locked.
    static func unlock(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query("UPDATE users SET status = 'active', updated_at = now() WHERE id = $1 AND status = 'disabled'", [.int(id)]).affectedRows == 1
    }

    /// Ends every session of the user but `except` (the admin's own, when they end their other
    /// sessions); returns how many ended.
    static func endSessions(_ id: Int, except: Int? = nil, _ db: Connection) throws -> Int {
        try db.query("DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2", [.int(id), .int(except)]).affectedRows
    }

    /// Deletes a workspace the user owns alone, with everything in it, in a transaction whose tenant
    /// is that workspace. The row lock waits for, and then keeps out, a member joining meanwhile
    /// (their membership's foreign key locks the row too); false when someone else belongs to it now.
    static func deleteOwnedAlone(_ workspace: Int, owner: Int, _ db: Connection) throws -> Bool {
        guard try db.queryRow("SELECT 1 FROM workspaces WHERE id = $1 AND owner_id = $2 FOR UPDATE", [.int(workspace), .int(owner)]) != nil,
            try db.queryRow("SELECT count(*) FROM memberships WHERE workspace_id = $1 AND user_id <> $2", [.int(workspace), .int(owner)])?.int(0) == 0
        else { return false }
        return try db.query("DELETE FROM workspaces WHERE id = $1", [.int(workspace)]).affectedRows == 1
    }

    /// Deletes the user; their sessions, memberships and tokens go with them (cascades).
    static func delete(_ id: Int, _ db: Connection) throws {
        try db.query("DELETE FROM users WHERE id = $1", [.int(id)])
    }

    static func summary(_ row: Row) throws -> UserSummary {
        UserSummary(
            id: try row.int(0), name: try row.string(1), email: try row.string(2), locked: try row.bool(3), verified: try row.bool(4),
            siteAdmin: try row.bool(5), lastLogin: row.optionalString(6), created: try row.string(7))
    }
}
