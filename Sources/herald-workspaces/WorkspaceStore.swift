// Queries on workspaces and memberships for the pages of herald-workspaces (invitations:
// InvitationStore). Every tenant query still says `workspace_id = $1` although row-level security
// enforces it too.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity

struct Member {
    let userID: Int
    let name: String
    let email: String
    let role: Role
    let since: String
}

enum WorkspaceStore {
    static let reservedSlugs: Set<String> = ["new", "admin", "api", "oauth", "ical"]

    /// A URL slug from a name: lower-case ASCII letters and digits, other runs become one dash.
    static func slug(from name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && out.last != "-" {
                out += "-"
            }
        }
        out = String(out.prefix(40))
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty { return "workspace" }
        return reservedSlugs.contains(out) ? out + "-team" : out
    }

    /// The n-th candidate: `acme`, `acme-2`, `acme-3`, … (always within 40 characters).
    static func candidate(_ base: String, _ attempt: Int) -> String {
        guard attempt > 1 else { return base }
        let suffix = "-\(attempt)"
        var stem = String(base.prefix(40 - suffix.count))
        while stem.hasSuffix("-") { stem.removeLast() }
        return stem + suffix
    }

    /// Creates the workspace with its owner membership; returns the slug it got.
    static func create(name: String, timeZone: String, owner: Int, ip: String, _ db: Connection) throws -> String {
        let base = slug(from: name)
        for attempt in 1...100 {
            let slug = candidate(base, attempt)
            do {
                try db.transaction(user: owner) { db in
                    let id = try db.queryRow(
                        """
                        INSERT INTO workspaces (slug, name, owner_id, time_zone) VALUES ($1, $2, $3, $4) RETURNING id
                        """, [.text(slug), .text(name), .int(owner), .text(timeZone)])!.int(0)
                    try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(id))])
                    try db.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')", [.int(id), .int(owner)])
                    try Audit.record(
                        db, workspace: id, actor: owner, action: "workspace.created", targetType: "workspace", targetID: id,
                        details: ["name": name, "slug": slug], ip: ip)
                }
                return slug
            } catch let error as DatabaseError where error.isUniqueViolation && error.constraint == "workspaces_slug_key" {
                continue
            }
        }
        throw HTTPError(409, "Choose another name", "Too many workspaces already have a name like this one.")
    }

    static func members(_ workspace: Int, _ db: Connection) throws -> [Member] {
        try db.query(
            """
            SELECT m.user_id, u.name, u.email, m.role, to_char(m.created_at, 'YYYY-MM-DD')
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = $1
            ORDER BY array_position(ARRAY['owner', 'admin', 'editor', 'reviewer', 'viewer'], m.role), lower(u.name), u.id
            """, [.int(workspace)]
        ).rows.map { row in
            Member(
                userID: try row.int(0), name: try row.string(1), email: try row.string(2),
                role: Role(rawValue: try row.string(3)) ?? .viewer, since: try row.string(4))
        }
    }

    static func member(_ workspace: Int, userID: Int, _ db: Connection) throws -> Member? {
        try members(workspace, db).first { $0.userID == userID }
    }

    static func isMember(_ workspace: Int, email: String, _ db: Connection) throws -> Bool {
        try db.queryRow(
            """
            SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND u.email = $2)
            """, [.int(workspace), .text(email)])!.bool(0)
    }

    static func setRole(_ workspace: Int, userID: Int, role: Role, _ db: Connection) throws {
        try db.query(
            "UPDATE memberships SET role = $3, updated_at = now() WHERE workspace_id = $1 AND user_id = $2",
            [.int(workspace), .int(userID), .text(role.rawValue)])
    }

    static func removeMember(_ workspace: Int, userID: Int, _ db: Connection) throws {
        try db.query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND role <> 'owner'", [.int(workspace), .int(userID)])
    }

    /// Makes `newOwner` the owner and the old owner an admin; the deferred foreign keys check at commit
    /// that workspaces.owner_id and the one owner membership agree.
    static func transferOwnership(_ workspace: Int, from oldOwner: Int, to newOwner: Int, _ db: Connection) throws {
        try db.query(
            "UPDATE memberships SET role = 'admin', updated_at = now() WHERE workspace_id = $1 AND user_id = $2", [.int(workspace), .int(oldOwner)])
        try db.query(
            "UPDATE memberships SET role = 'owner', updated_at = now() WHERE workspace_id = $1 AND user_id = $2", [.int(workspace), .int(newOwner)])
        try db.query("UPDATE workspaces SET owner_id = $2, updated_at = now() WHERE id = $1", [.int(workspace), .int(newOwner)])
    }

    static func update(_ workspace: Int, name: String, timeZone: String, _ db: Connection) throws {
        try db.query(
            "UPDATE workspaces SET name = $2, time_zone = $3, updated_at = now() WHERE id = $1",
            [.int(workspace), .text(name), .text(timeZone)])
    }

    static func delete(_ workspace: Int, _ db: Connection) throws {
        try db.query("DELETE FROM workspaces WHERE id = $1", [.int(workspace)])
    }
}
