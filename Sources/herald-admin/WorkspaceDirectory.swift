// Queries on workspaces for the admin pages, read through the site-admin policies: the list with
// plan, members and balance, one workspace's members and newest ledger entries.
import HeraldBilling
import HeraldDatabase
import HeraldSupport

struct WorkspaceSummary {
    let id: Int
    let slug: String
    let name: String
    let ownerID: Int
    let ownerEmail: String
    /// The plan that applies now (free without a subscription or after its trial).
    let plan: String
    let members: Int
    let balance: Int
    let created: String
}

struct WorkspaceMember {
    let userID: Int
    let name: String
    let email: String
    let role: String
    let locked: Bool
    let since: String
}

struct LedgerLine {
    let id: Int
    let date: String
    let kind: String
    let amount: Int
    let balanceAfter: Int
    let note: String?
    let who: String?
}

enum WorkspaceDirectory {
    static let pageSize = 50

    static let matching = "($1 = '' OR w.slug ILIKE '%' || $1 || '%' OR w.name ILIKE '%' || $1 || '%')"

    static func count(query: String, _ db: Connection) throws -> Int {
        try db.queryRow("SELECT count(*) FROM workspaces w WHERE \(matching)", [.text(Param.likeEscaped(query))])?.int(0) ?? 0
    }

    /// One page, newest first; `id` limits it to one workspace.
    static func page(query: String, page: Int, id: Int? = nil, _ db: Connection) throws -> [WorkspaceSummary] {
        try db.query(
            """
            SELECT w.id, w.slug, w.name, w.owner_id, o.email,
                   CASE WHEN s.id IS NULL OR (s.status = 'trial' AND s.trial_ends_at <= now()) THEN f.name ELSE p.name END,
                   (SELECT count(*) FROM memberships m WHERE m.workspace_id = w.id), coalesce(a.balance, 0),
                   to_char(w.created_at, 'YYYY-MM-DD')
            FROM workspaces w
            JOIN users o ON o.id = w.owner_id
            LEFT JOIN subscriptions s ON s.workspace_id = w.id AND s.status <> 'canceled'
            LEFT JOIN plans p ON p.id = s.plan_id
            LEFT JOIN plans f ON f.code = $2
            LEFT JOIN credit_accounts a ON a.workspace_id = w.id
            WHERE \(matching) AND ($5::bigint IS NULL OR w.id = $5::bigint)
            ORDER BY w.created_at DESC, w.id DESC LIMIT $3 OFFSET $4
            """,
            [.text(Param.likeEscaped(query)), .text(Plans.defaultCode), .int(pageSize), .int((page - 1) * pageSize), .int(id)]
        ).rows.map { row in
            WorkspaceSummary(
                id: try row.int(0), slug: try row.string(1), name: try row.string(2), ownerID: try row.int(3), ownerEmail: try row.string(4),
                plan: row.optionalString(5) ?? Plans.defaultCode, members: try row.int(6), balance: try row.int(7), created: try row.string(8))
        }
    }

    static func find(_ id: Int, _ db: Connection) throws -> WorkspaceSummary? {
        try page(query: "", page: 1, id: id, db).first
    }

    static func members(_ workspace: Int, _ db: Connection) throws -> [WorkspaceMember] {
        try db.query(
            """
            SELECT u.id, u.name, u.email, m.role, u.status = 'disabled', to_char(m.created_at, 'YYYY-MM-DD')
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = $1
            ORDER BY m.role <> 'owner', lower(u.name), u.id
            """, [.int(workspace)]
        ).rows.map { row in
            WorkspaceMember(
                userID: try row.int(0), name: try row.string(1), email: try row.string(2), role: try row.string(3), locked: try row.bool(4),
                since: try row.string(5))
        }
    }

    /// The newest ledger entries.
    static func ledger(_ workspace: Int, limit: Int, _ db: Connection) throws -> [LedgerLine] {
        try db.query(
            """
            SELECT e.id, to_char(e.created_at, 'YYYY-MM-DD HH24:MI'), e.kind, e.amount, e.balance_after, e.note, u.email
            FROM credit_entries e LEFT JOIN users u ON u.id = e.actor_id
            WHERE e.workspace_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT $2
            """, [.int(workspace), .int(limit)]
        ).rows.map { row in
            LedgerLine(
                id: try row.int(0), date: try row.string(1), kind: try row.string(2), amount: try row.int(3), balanceAfter: try row.int(4),
                note: row.optionalString(5), who: row.optionalString(6))
        }
    }
}
