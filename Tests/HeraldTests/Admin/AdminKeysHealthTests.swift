// /admin/keys and /admin/health through nginx: the values each key id seals in every sealed column
// (counted by the database function sealed_values_per_key, which herald_app may call only while
// acting as a site admin), the keyring's primary key, and the server's connections against
// max_connections, the replica, the queue and the metrics partitions.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdminKeysHealthTests {
    @Test func theKeysPageCountsEverySealedColumnPerKey() throws {
        let (_, browser) = try AdminSupport.admin()
        let owner = try Fixtures.user("Sealer")
        let workspace = try Fixtures.workspace(owner: owner)
        // A key id no keyring has, so that these rows are the only ones under it.
        let key = Int.random(in: 800_000...899_999)
        let superuser = try TestEnvironment.connectSuperuser(database: "herald")
        let session = try superuser.queryRow(
            "INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, sha256($2::bytea), now() + interval '1 hour') RETURNING id",
            [.int(owner.id), .text(UUID().uuidString)])!.int(0)
        let instance = "https://k\(key).example"
        defer {
            // Sealed rows under a key no keyring has must not outlive the test (key rotation walks every workspace).
            _ = try? superuser.query("DELETE FROM social_accounts WHERE workspace_id = $1", [.int(workspace.id)])
            _ = try? superuser.query("DELETE FROM oauth_flows WHERE workspace_id = $1", [.int(workspace.id)])
            _ = try? superuser.query("DELETE FROM mastodon_apps WHERE instance_url = $1", [.text(instance)])
        }
        let sealed = "$1, decode(repeat('00', 24), 'hex'), decode('c0ffee', 'hex')"
        try superuser.query(
            """
            INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status,
                access_token_key_id, access_token_nonce, access_token_ciphertext, refresh_token_key_id, refresh_token_nonce, refresh_token_ciphertext)
            VALUES ($2, 'x', 'a1', '@a1', 'active', \(sealed), $1, decode(repeat('00', 24), 'hex'), decode('c0ffee', 'hex')),
                   ($2, 'x', 'a2', '@a2', 'active', \(sealed), NULL, NULL, NULL)
            """, [.int(key), .int(workspace.id)])
        try superuser.query(
            """
            INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id, client_secret_key_id, client_secret_nonce, client_secret_ciphertext)
            VALUES ($2, 'https://herald.example/oauth/mastodon/callback', 'read', 'client', \(sealed))
            """, [.int(key), .text(instance)])
        try superuser.query(
            """
            INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at,
                code_verifier_key_id, code_verifier_nonce, code_verifier_ciphertext)
            VALUES ($2, $3, $4, 'x', sha256($5::bytea), now() + interval '10 minutes', \(sealed))
            """, [.int(key), .int(workspace.id), .int(owner.id), .int(session), .text(UUID().uuidString)])

        let page = try browser.get("/admin/keys")
        #expect(page.status == 200)
        let row =
            "<tr><td>\(key)</td><td><span class=\"badge danger\">missing</span>[^<]*<span class=\"small\">[^<]*</span></td>"
            + "<td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td>"
            + "<td class=\"num\"><strong>5</strong></td></tr>"
        #expect(page.body.range(of: row, options: .regularExpression) != nil, "2 access tokens, 1 refresh token, 1 client secret, 1 verifier")
        #expect(page.body.range(of: "key <strong>[0-9]+</strong> is primary", options: .regularExpression) != nil, "the keyring is read")
        for column in ["social_accounts.access_token", "social_accounts.refresh_token", "mastodon_apps.client_secret", "oauth_flows.code_verifier"] {
            #expect(page.body.contains("<code>\(column)</code>"))
        }

        // The same function serves heraldctl (the owner role); herald_app may call it only as a site admin.
        let census = try TestEnvironment.connectOwner().query(
            "SELECT sealed_column, sealed_values FROM sealed_values_per_key() WHERE key_id = $1 ORDER BY sealed_column", [.int(key)]
        ).rows.map { "\(try $0.string(0))=\(try $0.int(1))" }
        #expect(
            census == [
                "mastodon_apps.client_secret=1", "oauth_flows.code_verifier=1", "social_accounts.access_token=2", "social_accounts.refresh_token=1",
            ])
        do {
            try TestEnvironment.connectApp().query("SELECT * FROM sealed_values_per_key()")
            Issue.record("herald_app counted sealed values without acting as a site admin")
        } catch let error as DatabaseError {
            #expect(error.sqlState == "42501", "\(error)")
        }
    }

    @Test func theHealthPageShowsConnectionsAgainstTheLimitAndTheMetricsPartitions() throws {
        let (_, browser) = try AdminSupport.admin()
        let limit = try Fixtures.count("SELECT current_setting('max_connections')::int")
        let page = try browser.get("/admin/health")
        #expect(page.status == 200)
        #expect(page.body.contains("<code>max_connections</code> = \(limit)"))
        #expect(page.body.range(of: "<strong>[0-9,]+</strong> of \(limit) <span class=\"badge", options: .regularExpression) != nil)
        #expect(page.body.contains("<td>herald_app</td>"), "connections by role")
        #expect(page.body.contains("<code>post_metrics_default</code>") && page.body.contains("DEFAULT"))
        let month = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            "SELECT 'post_metrics_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')")!.string(0)
        #expect(page.body.contains("<code>\(month)</code>"), "this month's partition")
        #expect(page.body.contains("<h2>Read replica</h2>") && page.body.contains("<h2>Queue</h2>"))
    }
}
