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

    /// Rows per key id across all workspaces; a row with both tokens under one key counts once.
    /// Only social_accounts.access_token and .refresh_token, the columns KeyRotation re-seals:
    /// mastodon_apps.client_secret and oauth_flows.code_verifier are sealed too, but neither counted
    /// here nor rotated (the database function sealed_values_per_key() counts every sealed column).
    static func rowsPerKey(_ db: Connection) throws -> [Int: Int] {
        var totals: [Int: Int] = [:]
        for workspace in try workspaceIDs(db) {
            let rows = try db.transaction(workspace: workspace) { db in
                try db.query(
                    """
                    SELECT v.key_id, count(DISTINCT s.id)
                    FROM social_accounts s
                    CROSS JOIN LATERAL (VALUES (s.access_token_key_id), (s.refresh_token_key_id)) AS v(key_id)
                    WHERE s.workspace_id = $1 AND v.key_id IS NOT NULL
                    GROUP BY v.key_id
                    """, [.int(workspace)]
                ).rows.map { (try $0.int(0), try $0.int(1)) }
            }
            for (key, count) in rows { totals[key, default: 0] += count }
        }
        return totals
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
