// Which keys the database's sealed values use, counted workspace by workspace (row-level security
// admits one tenant at a time), and the audit events of the `keys` commands.
import Glibc
import HeraldDatabase

enum KeyUsage {
    /// Every workspace id; the owner role sees them all only with `app.cross_tenant` on.
    static func workspaceIDs(_ db: Connection) throws -> [Int] {
        try db.transaction { db in
            try db.query("SELECT set_config('app.cross_tenant', 'on', true)")
            return try db.query("SELECT id FROM workspaces ORDER BY id").rows.map { try $0.int(0) }
        }
    }

    /// Values sealed under each key id, per sealed column: every sealed column of the schema
    /// (social accounts' access and refresh tokens, Mastodon apps' client secrets, OAuth flows' code
    /// verifiers), as the database function sealed_values_per_key() counts them.
    static func census(_ db: Connection) throws -> [Int: [(column: String, values: Int)]] {
        var result: [Int: [(column: String, values: Int)]] = [:]
        for row in try db.query("SELECT key_id, sealed_column, sealed_values FROM sealed_values_per_key()").rows {
            result[try row.int(0), default: []].append((try row.string(1), try row.int(2)))
        }
        return result
    }

    /// "12 (social_accounts.access_token 6, social_accounts.refresh_token 6)": a key's values in all, by column.
    static func describe(_ columns: [(column: String, values: Int)]) -> String {
        let total = columns.reduce(0) { $0 + $1.values }
        guard total > 0 else { return "0" }
        return "\(total) (" + columns.map { "\($0.column) \($0.values)" }.joined(separator: ", ") + ")"
    }

    /// Rows of one workspace with a token sealed under a key other than `primary`.
    static func rowsToRotate(_ db: Connection, workspace: Int, primary: Int) throws -> Int {
        try db.transaction(workspace: workspace) { db in
            try db.queryRow(
                """
                SELECT count(*) FROM social_accounts
                WHERE workspace_id = $1 AND (access_token_key_id <> $2 OR refresh_token_key_id <> $2)
                """, [.int(workspace), .int(primary)])!.int(0)
        }
    }

    /// Writes a site audit event (no workspace, no actor: heraldctl has no user) for a keyring step.
    /// `details` are whole numbers; the OS user who ran the command is added.
    static func audit(_ db: Connection, action: String, keyID: Int?, details: KeyValuePairs<String, Int> = [:]) throws {
        let json = "{" + details.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        try db.query(
            """
            INSERT INTO audit_events (workspace_id, actor_id, action, target_type, target_id, details)
            VALUES (NULL, NULL, $1, 'encryption_key', $2, $3::jsonb || jsonb_build_object('by', 'heraldctl', 'os_user', $4::text))
            """, [.text(action), .int(keyID), .text(json), .text(osUser())])
    }

    static func osUser() -> String {
        if let sudo = getenv("SUDO_USER") { return String(cString: sudo) }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return String(geteuid())
    }
}
