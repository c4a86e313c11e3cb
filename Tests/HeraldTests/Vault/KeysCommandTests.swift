// heraldctl keys: each step audited, refusals that protect data, rows that cannot be opened
// reported (never fatal), and rows locked or rewritten by live traffic during a rotation.
import Foundation
import Testing

@testable import HeraldCrypto

extension VaultDatabaseTests {
    @Test func keyStepsAreAuditedAndRefuseWhatWouldLoseData() throws {
        let keyringPath = try VaultSupport.makeDirectory("steps") + "/keyring"
        func keys(_ arguments: String...) throws -> VaultSupport.Outcome { try VaultSupport.heraldctl(["keys"] + arguments, keyring: keyringPath) }
        let admin = try VaultSupport.connectSuperuser()
        let firstEvent = try admin.queryRow("SELECT coalesce(max(id), 0) FROM audit_events")!.int(0)

        #expect(try keys("init").status == 0)
        #expect(try keys("init").errors.contains("already exists"))
        let primary = try keys("retire", "1", "--no-wait")
        #expect(primary.status != 0)
        #expect(primary.errors.contains("key 1 is the primary key"), "\(primary.errors)")
        #expect(try keys("add").output.contains("added key 2"))
        #expect(try keys("retire", "2", "--no-wait").status == 0, "an unused key may go")
        #expect(try keys("retire", "2", "--no-wait").errors.contains("already retired"))
        #expect(try keys("promote", "2", "--no-wait").errors.contains("retired"))
        #expect(try keys("add").output.contains("added key 3"), "ids are never reused")
        #expect(try keys("promote", "3", "--no-wait").status == 0)
        let status = try keys("status")
        #expect(status.output.contains("1    active    0"), "\(status.output)")
        #expect(status.output.contains("2    retired   0"), "\(status.output)")
        #expect(status.output.contains("3    primary   0"), "\(status.output)")

        let events = try admin.query(
            """
            SELECT action, target_type, target_id, details->>'os_user' <> '' FROM audit_events
            WHERE id > $1 AND action LIKE 'keys.%' AND workspace_id IS NULL ORDER BY id
            """, [.int(firstEvent)]
        ).rows.map { "\(try $0.string(0)) \(try $0.string(1)) \(try $0.int(2)) \(try $0.bool(3))" }
        #expect(
            events == [
                "keys.initialized encryption_key 1 true", "keys.added encryption_key 2 true", "keys.retired encryption_key 2 true",
                "keys.added encryption_key 3 true", "keys.promoted encryption_key 3 true",
            ], "refusals write no event: \(events)")
    }

    /// Finding: `keys retire` counted only social accounts' tokens, so it destroyed a key that still
    /// sealed Mastodon apps' client secrets and OAuth flows' code verifiers, and rotation left them.
    @Test func everySealedColumnKeepsItsKeyFromRetirementAndIsRotated() throws {
        let keyringPath = try VaultSupport.makeDirectory("columns") + "/keyring"
        func keys(_ arguments: String...) throws -> VaultSupport.Outcome { try VaultSupport.heraldctl(["keys"] + arguments, keyring: keyringPath) }
        #expect(try keys("init").status == 0)
        let keyring = try Keyring.load(path: keyringPath)
        let workspace = try VaultSupport.makeWorkspaces(1)[0]
        defer { VaultSupport.dropWorkspaces([workspace]) }
        let admin = try VaultSupport.connectSuperuser()
        defer { _ = try? admin.query("DELETE FROM mastodon_apps WHERE instance_url LIKE 'https://vault-%.example'") }
        // A Mastodon app's client secret and an OAuth flow's code verifier, each sealed under key 1.
        let secret = Array("client-secret-\(UUID().uuidString)".utf8)
        let verifier = Array("code-verifier-\(UUID().uuidString)".utf8)
        let app = try admin.queryRow(
            """
            INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id)
            VALUES ('https://vault-' || $1 || '.example', 'https://herald.example/oauth/mastodon/callback', 'read write', 'client')
            RETURNING id
            """, [.text(UUID().uuidString.prefix(8).lowercased())])!.int(0)
        let appField = SealedField(table: "mastodon_apps", column: "client_secret", rowID: app)
        let sealedSecret = keyring.seal(secret, for: appField)
        try admin.query(
            "UPDATE mastodon_apps SET client_secret_key_id = $2, client_secret_nonce = $3, client_secret_ciphertext = $4 WHERE id = $1",
            [.int(app), .int(sealedSecret.keyID), .bytes(sealedSecret.nonce), .bytes(sealedSecret.ciphertext)])
        let member = try admin.queryRow("SELECT user_id FROM memberships WHERE workspace_id = $1 LIMIT 1", [.int(workspace)])!.int(0)
        let session = try admin.queryRow(
            """
            INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, sha256(convert_to($2, 'UTF8')), now() + interval '1 hour') RETURNING id
            """, [.int(member), .text(UUID().uuidString)])!.int(0)
        let flow = try admin.queryRow(
            """
            INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at)
            VALUES ($1, $2, $3, 'x', sha256(convert_to($4, 'UTF8')), now() + interval '10 minutes') RETURNING id
            """, [.int(workspace), .int(member), .int(session), .text(UUID().uuidString)])!.int(0)
        let flowField = SealedField(table: "oauth_flows", column: "code_verifier", rowID: flow)
        let sealedVerifier = keyring.seal(verifier, for: flowField)
        try admin.query(
            "UPDATE oauth_flows SET code_verifier_key_id = $2, code_verifier_nonce = $3, code_verifier_ciphertext = $4 WHERE id = $1",
            [.int(flow), .int(sealedVerifier.keyID), .bytes(sealedVerifier.nonce), .bytes(sealedVerifier.ciphertext)])

        #expect(try keys("add").status == 0)
        #expect(try keys("promote", "2", "--no-wait").status == 0)
        let status = try keys("status")
        #expect(status.output.contains("1    active    2 (mastodon_apps.client_secret 1, oauth_flows.code_verifier 1)"), "\(status.output)")
        let refused = try keys("retire", "1", "--no-wait")
        #expect(refused.status != 0)
        #expect(
            refused.errors.contains("key 1 still seals 2 (mastodon_apps.client_secret 1, oauth_flows.code_verifier 1) values"), "\(refused.errors)")
        #expect(try Keyring.load(path: keyringPath).status(of: 1) == .active, "the key is kept")

        let rotate = try keys("rotate", "--no-wait")
        #expect(rotate.status == 0, "\(rotate.errors)")
        #expect(rotate.output.contains("re-sealed 2 rows"), "\(rotate.output)")
        let rotated = try Keyring.load(path: keyringPath)
        func stored(_ table: String, _ column: String, _ id: Int) throws -> SealedValue {
            let row = try admin.queryRow("SELECT \(column)_key_id, \(column)_nonce, \(column)_ciphertext FROM \(table) WHERE id = $1", [.int(id)])!
            return SealedValue(keyID: try row.int(0), nonce: try row.bytes(1), ciphertext: try row.bytes(2))
        }
        let newSecret = try stored("mastodon_apps", "client_secret", app)
        let newVerifier = try stored("oauth_flows", "code_verifier", flow)
        #expect(newSecret.keyID == 2 && newVerifier.keyID == 2)
        #expect(try rotated.open(newSecret, for: appField).equals(secret))
        #expect(try rotated.open(newVerifier, for: flowField).equals(verifier))
        #expect(try keys("retire", "1", "--no-wait").status == 0, "nothing is sealed under key 1 any more")
    }

    @Test func rowsThatCannotBeOpenedAreReportedAndTheRestRotated() throws {
        let pathA = try VaultSupport.makeDirectory("other") + "/keyring"
        let pathB = try VaultSupport.makeDirectory("ours") + "/keyring"
        func keys(_ arguments: String...) throws -> VaultSupport.Outcome { try VaultSupport.heraldctl(["keys"] + arguments, keyring: pathB) }
        _ = try Keyring.create(path: pathA)
        #expect(try keys("init").status == 0)
        let workspace = try VaultSupport.makeWorkspaces(1)[0]
        defer { VaultSupport.dropWorkspaces([workspace]) }
        let app = try VaultSupport.connectApp()
        // Five accounts sealed with another keyring's key 1, five with ours.
        let foreign = try VaultSupport.insertAccounts(app, workspace: workspace, count: 5, keyring: try Keyring.load(path: pathA))
        let own = try VaultSupport.insertAccounts(app, workspace: workspace, count: 5, keyring: try Keyring.load(path: pathB))
        let admin = try VaultSupport.connectSuperuser()
        // own[0] names a key nobody has; own[2] holds own[1]'s access token, copied over.
        try admin.query("UPDATE social_accounts SET access_token_key_id = 9 WHERE id = $1", [.int(own[0].id)])
        try admin.query(
            """
            UPDATE social_accounts t SET access_token_nonce = s.access_token_nonce, access_token_ciphertext = s.access_token_ciphertext
            FROM social_accounts s WHERE s.id = $1 AND t.id = $2
            """, [.int(own[1].id), .int(own[2].id)])

        // A program meets these rows as errors about those rows, not as a crash.
        let vault = TokenVault(path: pathB)
        let unknown = try #require(try VaultSupport.sealedTokens(app, own[0]))
        #expect(throws: VaultError.unknownKey(9)) { try vault.open(unknown.access, for: VaultSupport.field("access_token", own[0].id)) }
        let moved = try #require(try VaultSupport.sealedTokens(app, own[2]))
        #expect(throws: VaultError.cannotOpen(VaultSupport.field("access_token", own[2].id), keyID: 1)) {
            try vault.open(moved.access, for: VaultSupport.field("access_token", own[2].id))
        }

        #expect(try keys("add").status == 0)
        #expect(try keys("promote", "2", "--no-wait").status == 0)
        let rotate = try keys("rotate", "--no-wait")
        #expect(rotate.status != 0, "unreadable rows make the run fail")
        #expect(rotate.output.contains("re-sealed 3 rows"), "\(rotate.output)")
        #expect(rotate.errors.contains("social account \(own[0].id): the keyring has no key 9"), "\(rotate.errors)")
        #expect(
            rotate.errors.contains(
                "social account \(own[2].id): the sealed social_accounts.access_token of row \(own[2].id) does not open with key 1"),
            "\(rotate.errors)")
        for account in foreign { #expect(rotate.errors.contains("social account \(account.id):"), "\(rotate.errors)") }
        #expect(rotate.errors.contains("7 rows could not be opened"), "\(rotate.errors)")

        let status = try keys("status")
        #expect(status.output.contains("1    active    13 (social_accounts.access_token 6, social_accounts.refresh_token 7)"), "\(status.output)")
        #expect(status.output.contains("2    primary   6 (social_accounts.access_token 3, social_accounts.refresh_token 3)"), "\(status.output)")
        #expect(status.output.contains("9    MISSING   1 (social_accounts.access_token 1)"), "\(status.output)")
        #expect(
            try keys("retire", "1", "--no-wait").errors.contains(
                "key 1 still seals 13 (social_accounts.access_token 6, social_accounts.refresh_token 7) values"))
        // The vault loaded before key 2 existed and has not looked again yet (5 s): it says so per row.
        let rotated = try #require(try VaultSupport.sealedTokens(app, own[1]))
        #expect(throws: VaultError.unknownKey(2)) { try vault.open(rotated.access, for: VaultSupport.field("access_token", own[1].id)) }
        vault.reload()
        for account in [own[1], own[3], own[4]] {
            let sealed = try #require(try VaultSupport.sealedTokens(app, account))
            #expect(sealed.access.keyID == 2 && sealed.refresh.keyID == 2)
            #expect(try vault.open(sealed.access, for: VaultSupport.field("access_token", account.id)).equals(account.access))
        }
    }

    @Test func aRowLockedAndRewrittenByLiveTrafficIsRotatedOnceReleased() throws {
        let keyringPath = try VaultSupport.makeDirectory("locked") + "/keyring"
        func keys(_ arguments: String...) throws -> VaultSupport.Outcome { try VaultSupport.heraldctl(["keys"] + arguments, keyring: keyringPath) }
        #expect(try keys("init").status == 0)
        let workspace = try VaultSupport.makeWorkspaces(1)[0]
        defer { VaultSupport.dropWorkspaces([workspace]) }
        let app = try VaultSupport.connectApp()
        let oldKeyring = try Keyring.load(path: keyringPath)
        let accounts = try VaultSupport.insertAccounts(app, workspace: workspace, count: 20, keyring: oldKeyring)
        #expect(try keys("add").status == 0)
        #expect(try keys("promote", "2", "--no-wait").status == 0)

        // A program that has not reloaded yet refreshes account 5's token, under key 1, holding the
        // row locked for two seconds while the rotation runs.
        let busy = accounts[5]
        let refreshed = Array("a refreshed access token".utf8)
        var rotation: (process: Process, output: String, errors: String)?
        try app.transaction(workspace: workspace) { db in
            try db.query("SELECT id FROM social_accounts WHERE workspace_id = $1 AND id = $2 FOR UPDATE", [.int(workspace), .int(busy.id)])
            rotation = try VaultSupport.start(["keys", "rotate", "--no-wait", "--batch", "3"], keyring: keyringPath)
            usleep(2_000_000)
            let sealed = oldKeyring.seal(refreshed, for: VaultSupport.field("access_token", busy.id))
            try db.query(
                """
                UPDATE social_accounts SET access_token_key_id = $3, access_token_nonce = $4, access_token_ciphertext = $5
                WHERE workspace_id = $1 AND id = $2
                """, [.int(workspace), .int(busy.id), .int(sealed.keyID), .bytes(sealed.nonce), .bytes(sealed.ciphertext)])
        }
        let run = try #require(rotation)
        run.process.waitUntilExit()
        let (output, errors) = (try VaultSupport.read(run.output), try VaultSupport.read(run.errors))
        #expect(run.process.terminationStatus == 0, "\(errors)")
        #expect(output.contains("re-sealed 20 rows"), "\(output)")

        let keyring = try Keyring.load(path: keyringPath)
        for account in accounts {
            let sealed = try #require(try VaultSupport.sealedTokens(app, account))
            #expect(sealed.access.keyID == 2 && sealed.refresh.keyID == 2, "row \(account.id)")
            let access = try keyring.open(sealed.access, for: VaultSupport.field("access_token", account.id))
            #expect(access.equals(account.id == busy.id ? refreshed : account.access), "row \(account.id)")
        }
    }
}
