// The workspace part of a request: session → membership lookup → role check → a transaction with
// the tenant set, so row-level security is the second wall behind the handler's check.
public import HeraldDatabase
import HeraldFastCGI
import HeraldSupport
public import HeraldWeb

/// One workspace the user belongs to (for the switcher and the lookup by slug).
public struct WorkspaceMembership: Sendable {
    public let workspaceID: Int
    public let slug: String
    public let name: String
    public let timeZone: String
    public let role: Role
}

/// What a workspace handler knows about where it runs and who asks.
public struct WorkspaceAccess: Sendable {
    public let user: CurrentUser
    public let workspace: WorkspaceMembership
    /// All the user's workspaces, for the header's switcher.
    public let memberships: [WorkspaceMembership]

    public var id: Int { workspace.workspaceID }
    public var slug: String { workspace.slug }
    public var role: Role { workspace.role }
    /// `/w/{slug}` + path.
    public func path(_ suffix: String = "/") -> String { "/w/\(slug)\(suffix)" }
}

public enum Memberships {
    /// Every workspace the user is a member of, by name. Needs `app.user_id` set (policy member_self).
    public static func of(userID: Int, _ db: Connection) throws -> [WorkspaceMembership] {
        try db.query(
            """
            SELECT w.id, w.slug, w.name, w.time_zone, m.role
            FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
            WHERE m.user_id = $1 ORDER BY lower(w.name), w.id
            """, [.int(userID)]
        ).rows.map { row in
            WorkspaceMembership(
                workspaceID: try row.int(0), slug: try row.string(1), name: try row.string(2),
                timeZone: try row.string(3), role: Role(rawValue: try row.string(4)) ?? .viewer)
        }
    }
}

extension RequestContext {
    /// Runs `body` for the workspace named by the `{slug}` path parameter: a user who is not a
    /// member gets 404 (the workspace's existence is not revealed), a member whose role may not do
    /// `action` gets 403, and everything else happens in one transaction with `app.workspace_id` set.
    public func inWorkspace<T>(_ action: WorkspaceAction, _ body: (WorkspaceAccess, Connection) throws -> T) throws -> T {
        let user = try requireUser()
        let slug = try parameter("slug")
        return try db().transaction(user: user.id) { db in
            let memberships = try Memberships.of(userID: user.id, db)
            guard let workspace = memberships.first(where: { $0.slug == slug }) else { throw HTTPError.notFound }
            let access = WorkspaceAccess(user: user, workspace: workspace, memberships: memberships)
            workspaceAccess = access
            guard workspace.role.may(action) else {
                let allowed = Role.allCases.filter { action.allowedRoles.contains($0) }.map(\.label).joined(separator: ", ")
                throw HTTPError(
                    403, "Not allowed",
                    "\(workspace.role.youAre(in: workspace.name)) \"\(action.label)\" is for: \(allowed). Ask an owner or admin if you need it.")
            }
            try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(workspace.workspaceID))])
            return try body(access, db)
        }
    }
}

public enum Audit {
    /// Appends to the audit trail (inside the caller's transaction, tenant set when `workspace` is given).
    public static func record(
        _ db: Connection, workspace: Int?, actor: Int?, action: String, targetType: String? = nil,
        targetID: Int? = nil, details: [String: String] = [:], ip: String = ""
    ) throws {
        var json = "{"
        for (index, (key, value)) in details.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { json += "," }
            json += "\(jsonString(key)):\(jsonString(value))"
        }
        json += "}"
        try db.query(
            """
            INSERT INTO audit_events (workspace_id, actor_id, action, target_type, target_id, details, ip)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, NULLIF($7, '')::inet)
            """, [.int(workspace), .int(actor), .text(action), .text(targetType), .int(targetID), .text(json), .text(ip)])
    }
}
