// Connecting accounts end to end through nginx against the OAuth stand-in: the authorize redirect
// with PKCE and state, the callback storing the account with sealed tokens (no plaintext in the
// database), a replayed code refused, refresh (and a refused refresh → needs reconnect), disconnect
// revoking at the platform, Mastodon and Bluesky, and an account whose key is missing.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldCrypto
@testable import HeraldDatabase
@testable import HeraldPlatforms

extension VaultDatabaseTests {
    /// These tests store sealed tokens, so they run inside the vault tests' serialized suite: `keys
    /// rotate` there walks every workspace and must never meet rows sealed with the stack's keyring.
    /// Each test deletes its workspace at the end.
    @Suite struct ChannelsOAuthTests {
        typealias S = ChannelsSupport

        init() throws { try Sodium.initialize() }

        static func unique(_ name: String) -> String { name + UUID().uuidString.prefix(6).lowercased() }

        @Test func xConnectsWithPKCEAndStoresOnlySealedTokens() throws {
            let team = try S.team()
            defer { S.drop(team) }
            let user = Self.unique("ada")
            let authorize = try S.startConnect(team, "x")

            // The authorize request: code flow, the registered redirect, PKCE S256, a state.
            #expect(authorize.hasPrefix(S.standIn + "/x/authorize?"))
            let q = S.query(authorize)
            #expect(q["response_type"] == "code")
            #expect(q["client_id"] == "standin-x-client")
            #expect(q["redirect_uri"] == TestEnvironment.baseURL + "/oauth/x/callback")
            #expect(q["code_challenge_method"] == "S256")
            #expect(q["scope"]?.contains("offline.access") == true)
            let state = try #require(q["state"])
            let challenge = try #require(q["code_challenge"])
            #expect(state.count == 43 && challenge.count == 43)

            // Stored for the callback: the state's hash only, the verifier sealed; its challenge is the one sent.
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            let flow = try #require(
                try admin.queryRow(
                    """
                    SELECT id, state_hash, code_verifier_key_id, code_verifier_nonce, code_verifier_ciphertext, expires_at - created_at = interval '10 minutes'
                    FROM oauth_flows WHERE workspace_id = $1
                    """, [.int(team.workspace.id)]))
            #expect(try flow.bytes(1) == Sodium.sha256(state))
            #expect(try flow.bool(5), "a flow lasts 10 minutes")
            let verifier = try #require(
                try S.open(
                    SealedValue(keyID: try flow.int(2), nonce: try flow.bytes(3), ciphertext: try flow.bytes(4)),
                    SealedField(table: "oauth_flows", column: "code_verifier", rowID: try flow.int(0))))
            #expect(PKCE.challenge(for: verifier) == challenge)
            #expect(try S.tablesHolding(state).isEmpty && S.tablesHolding(verifier).isEmpty)

            // The user approves at X and comes back.
            let callback = try S.approve(authorize, as: user)
            #expect(callback.hasPrefix("/oauth/x/callback?"))
            let response = try team.browser.get(callback)
            #expect(response.status == 303, "\(response.body.prefix(400))")
            #expect(response.header("Location") == team.channels + "?notice=connected")

            // The account, with the stand-in's tokens sealed under the stack's keyring and nowhere in plaintext.
            let accounts = try S.accounts(team.workspace)
            #expect(accounts.count == 1)
            let account = try #require(accounts.first)
            #expect(account.platform == "x" && account.handle == "@\(user)" && account.status == "active")
            let issued = try S.issued("x", user: user)
            #expect(issued.count == 1)
            #expect(try S.open(account.access, SocialAccounts.accessField(account.id)) == issued[0].access)
            #expect(try S.open(account.refresh, SocialAccounts.refreshField(account.id)) == issued[0].refresh)
            #expect((7100...7200).contains(account.expiresInSeconds ?? 0), "expires_in 7200: \(account.expiresInSeconds ?? -1)")
            for token in [issued[0].access, issued[0].refresh ?? ""] {
                #expect(try S.tablesHolding(token).isEmpty, "plaintext token stored")
            }
            // Bound to its row and column: read as the other column, it does not open.
            #expect(throws: VaultError.self) { try S.vault().open(account.access!, for: SocialAccounts.refreshField(account.id)) }

            // The channels page shows it; the audit trail has the connection.
            let page = try team.browser.get(team.channels + "?notice=connected")
            #expect(page.status == 200)
            #expect(page.body.contains("@\(user)") && page.body.contains("badge ok\">active") && page.body.contains("Account connected"))
            #expect(page.body.contains("Token expires"))
            #expect(
                try admin.queryRow(
                    "SELECT count(*) FROM audit_events WHERE workspace_id = $1 AND action = 'channel.connected' AND target_id = $2",
                    [.int(team.workspace.id), .int(account.id)])!.int(0) == 1)
        }

        @Test func aReplayedCodeIsRefusedByTheTokenEndpoint() throws {
            let team = try S.team()
            defer { S.drop(team) }
            let user = Self.unique("grace")
            let first = try S.approve(try S.startConnect(team, "x"), as: user)
            #expect(try team.browser.get(first).status == 303)

            // The same callback again: its state is spent.
            let again = try team.browser.get(first)
            #expect(again.status == 400)
            #expect(again.body.contains("Connection already finished"))

            // A fresh, valid state with the old code: Herald sends the code, X answers invalid_grant.
            let code = try #require(S.query(TestEnvironment.baseURL + first)["code"])
            let state = try #require(S.query(try S.startConnect(team, "x"))["state"])
            let replay = try team.browser.get("/oauth/x/callback?code=\(formEncode(code))&state=\(formEncode(state))")
            #expect(replay.status == 400)
            #expect(replay.body.contains("Approval no longer valid"))
            #expect(try S.accounts(team.workspace).count == 1)
            // And the provider revoked what that code had issued (RFC 6749 §4.1.2).
            #expect(try S.issued("x", user: user).first?.revoked == true)
        }

        @Test func refreshRenewsTheTokensAndARefusedRefreshNeedsReconnect() throws {
            let team = try S.team()
            defer { S.drop(team) }
            let user = Self.unique("alan")
            #expect(try S.connect(team, "x", as: user).status == 303)
            let id = try #require(try S.accounts(team.workspace).first?.id)
            let refresher = TokenRefresher(config: try OAuthConfig.fromEnvironment(), vault: S.vault(), http: S.http)
            let db = try TestEnvironment.connectApp()

            #expect(try refresher.refresh(db, workspace: team.workspace.id, account: id) == .refreshed)
            let issued = try S.issued("x", user: user)
            #expect(issued.count == 2 && issued[0].revoked, "X rotates refresh tokens")
            let renewed = try #require(try S.accounts(team.workspace).first)
            #expect(renewed.status == "active")
            #expect(try S.open(renewed.access, SocialAccounts.accessField(id)) == issued[1].access)
            #expect(try S.open(renewed.refresh, SocialAccounts.refreshField(id)) == issued[1].refresh)

            // The user removes Herald at X: the next refresh is refused with invalid_grant.
            _ = try S.control("POST", "/_control/revoke-grants?platform=x&user=\(user)")
            let outcome = try refresher.refresh(db, workspace: team.workspace.id, account: id)
            guard case .needsReconnect(let why) = outcome else {
                Issue.record("expected needsReconnect, got \(outcome)")
                return
            }
            #expect(why.contains("invalid_grant"))
            let refused = try #require(try S.accounts(team.workspace).first)
            #expect(refused.status == "needs_reconnect")
            #expect(refused.lastError?.contains("invalid_grant") == true)

            // Shown on the channels page and counted on the dashboard.
            #expect(try team.browser.get(team.channels).body.contains("badge warn\">needs reconnect"))
            #expect(try team.browser.get("/w/\(team.workspace.slug)/").body.contains("1 need reconnecting"))

            // Reconnecting the same account brings it back, still one account.
            let back = try team.browser.get(try S.approve(try S.startReconnect(team, id), as: user))
            #expect(back.header("Location") == team.channels + "?notice=reconnected")
            let accounts = try S.accounts(team.workspace)
            #expect(accounts.count == 1 && accounts[0].status == "active" && accounts[0].lastError == nil)

            // Reconnecting as somebody else is refused, and nothing changes.
            let mismatch = try team.browser.get(try S.approve(try S.startReconnect(team, id), as: Self.unique("eve")))
            #expect(mismatch.status == 409)
            #expect(mismatch.body.contains("Another account was approved"))
            #expect(try S.accounts(team.workspace).count == 1)
        }

        @Test func redditKeepsItsRefreshTokenAndAnExpiredTokenWithoutOneNeedsReconnect() throws {
            let team = try S.team()
            defer { S.drop(team) }
            let user = Self.unique("linus")
            #expect(try S.connect(team, "reddit", as: user).status == 303)
            let account = try #require(try S.accounts(team.workspace).first)
            #expect(account.handle == "u/\(user)")
            let refresh = try S.open(account.refresh, SocialAccounts.refreshField(account.id))
            let refresher = TokenRefresher(config: try OAuthConfig.fromEnvironment(), vault: S.vault(), http: S.http)
            let db = try TestEnvironment.connectApp()
            #expect(try refresher.refresh(db, workspace: team.workspace.id, account: account.id) == .refreshed)
            let renewed = try #require(try S.accounts(team.workspace).first)
            #expect(
                try S.open(renewed.refresh, SocialAccounts.refreshField(account.id)) == refresh,
                "Reddit sends no new refresh token: the old one is kept")
            #expect(
                try S.open(renewed.access, SocialAccounts.accessField(account.id)) != S.open(account.access, SocialAccounts.accessField(account.id)))

            // Expired, and nothing to renew it with.
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            try admin.query(
                """
                UPDATE social_accounts SET refresh_token_key_id = NULL, refresh_token_nonce = NULL, refresh_token_ciphertext = NULL,
                       token_expires_at = now() - interval '1 minute' WHERE id = $1
                """, [.int(account.id)])
            let outcome = try refresher.refresh(db, workspace: team.workspace.id, account: account.id)
            guard case .needsReconnect(let why) = outcome else {
                Issue.record("expected needsReconnect, got \(outcome)")
                return
            }
            #expect(why.contains("expired"))
            #expect(try S.accounts(team.workspace).first?.status == "needs_reconnect")
        }

        @Test func disconnectRevokesAtThePlatformAndDeletesTheTokens() throws {
            let team = try S.team()
            defer { S.drop(team) }
            let x = Self.unique("ken")
            let reddit = Self.unique("dennis")
            let linkedin = Self.unique("barbara")
            #expect(try S.connect(team, "x", as: x).status == 303)
            #expect(try S.connect(team, "reddit", as: reddit).status == 303)
            #expect(try S.connect(team, "linkedin", as: linkedin).status == 303)
            let accounts = try S.accounts(team.workspace)
            #expect(accounts.map(\.platform) == ["x", "reddit", "linkedin"])
            #expect(accounts[2].handle.hasSuffix(" Example"), "LinkedIn has no handle: the member's name")

            // X: both tokens revoked at the platform, then deleted here.
            let issued = try S.issued("x", user: x)[0]
            try team.browser.get(team.channels)
            let response = try team.browser.post("\(team.channels)/\(accounts[0].id)/disconnect", [])
            #expect(response.header("Location") == team.channels + "?notice=disconnected")
            let revoked = try S.revocations("x")
            #expect(revoked.contains(issued.access) && revoked.contains(issued.refresh ?? "-"))
            let gone = try #require(try S.accounts(team.workspace).first)
            #expect(gone.status == "revoked" && gone.access == nil && gone.refresh == nil)
            let page = try team.browser.get(team.channels + "?notice=disconnected")
            #expect(page.body.contains("badge muted\">disconnected") && page.body.contains("revoked at the platform"))

            // Reddit with its revoke endpoint down: the tokens go anyway, and the page says so.
            _ = try S.control("POST", "/_control/fail-revoke?platform=reddit&on=1")
            defer { _ = try? S.control("POST", "/_control/fail-revoke?platform=reddit&on=0") }
            let failed = try team.browser.post("\(team.channels)/\(accounts[1].id)/disconnect", [])
            #expect(failed.header("Location") == team.channels + "?notice=disconnected-unrevoked")
            let kept = try S.accounts(team.workspace)[1]
            #expect(kept.status == "revoked" && kept.access == nil && kept.refresh == nil)
            #expect(kept.lastError?.contains("Revoking at the platform failed") == true)

            // LinkedIn has no revoke endpoint.
            let linkedinOut = try team.browser.post("\(team.channels)/\(accounts[2].id)/disconnect", [])
            #expect(linkedinOut.header("Location") == team.channels + "?notice=disconnected-no-revoke")

            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            let events = try admin.query(
                """
                SELECT details->>'revocation' FROM audit_events WHERE workspace_id = $1 AND action = 'channel.disconnected' ORDER BY id
                """, [.int(team.workspace.id)]
            ).rows.map { try $0.string(0) }
            #expect(events == ["revoked", "failed", "unsupported"])
            // Disconnected accounts do not count against the plan: three more fit on Free.
            #expect(try PlanLimits.count(TestEnvironment.connectApp(), workspace: team.workspace.id, .channels) == 0)
        }

        @Test func mastodonRegistersOnTheInstanceOnceThenConnects() throws {
            let team = try S.team()
            defer { S.drop(team) }
            let first = Self.unique("mast")
            let second = Self.unique("odon")
            let host = String(S.standIn.dropFirst("http://".count))
            let authorize = try S.startConnect(team, "mastodon", [("instance", S.standIn)])
            #expect(authorize.hasPrefix(S.standIn + "/oauth/authorize?"))
            #expect(S.query(authorize)["redirect_uri"] == TestEnvironment.baseURL + "/oauth/mastodon/callback")
            #expect(try team.browser.get(try S.approve(authorize, as: first)).status == 303)
            // A second account on the same instance reuses the registered app.
            let apps = try JSONSerialization.jsonObject(with: Data(try S.control("GET", "/_control/apps").body)) as? [String: [String: Any]] ?? [:]
            #expect(try S.connect(team, "mastodon", as: second, [("instance", S.standIn)]).status == 303)
            let appsAfter = try JSONSerialization.jsonObject(with: Data(try S.control("GET", "/_control/apps").body)) as? [String: Any] ?? [:]
            #expect(appsAfter.count == apps.count)

            let accounts = try S.accounts(team.workspace)
            #expect(accounts.map(\.handle) == ["@\(first)@\(host)", "@\(second)@\(host)"])
            #expect(accounts.allSatisfy { $0.instanceURL == S.standIn && $0.status == "active" && $0.refresh == nil && $0.expiresInSeconds == nil })
            #expect(try team.browser.get(team.channels).body.contains("does not expire"))

            // The app's secret is sealed in mastodon_apps, never stored in plaintext.
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            let app = try #require(
                try admin.queryRow(
                    """
                    SELECT id, client_id, client_secret_key_id, client_secret_nonce, client_secret_ciphertext FROM mastodon_apps WHERE instance_url = $1
                    """, [.text(S.standIn)]))
            let secret = try #require((apps[try app.string(1)]?["secret"]) as? String)
            #expect(
                try S.open(
                    SealedValue(keyID: try app.int(2), nonce: try app.bytes(3), ciphertext: try app.bytes(4)),
                    SealedField(table: "mastodon_apps", column: "client_secret", rowID: try app.int(0))) == secret)
            #expect(try S.tablesHolding(secret).isEmpty)

            // Disconnect revokes at the instance.
            let token = try #require(try S.issued("mastodon", user: first).first?.access)
            try team.browser.get(team.channels)
            let response = try team.browser.post("\(team.channels)/\(accounts[0].id)/disconnect", [])
            #expect(response.header("Location") == team.channels + "?notice=disconnected")
            #expect(try S.revocations("mastodon").contains(token))
        }

        @Test func blueskyConnectsWithAnAppPasswordRefreshesAndDisconnects() throws {
            let team = try S.team()
            defer { S.drop(team) }
            let handle = Self.unique("sky") + ".bsky.social"
            let password = "abcd-efgh-ijkl-mnop"
            try team.browser.get(team.channels)
            let response = try team.browser.post("\(team.channels)/connect/bluesky", [("handle", "@" + handle), ("app_password", password)])
            #expect(response.header("Location") == team.channels + "?notice=connected", "\(response.status) \(response.body.prefix(400))")
            let account = try #require(try S.accounts(team.workspace).first)
            #expect(account.platform == "bluesky" && account.handle == "@\(handle)" && account.externalID.hasPrefix("did:plc:"))
            #expect((7100...7200).contains(account.expiresInSeconds ?? 0), "from the access JWT's exp")
            #expect(try S.tablesHolding(password).isEmpty, "the app password is never stored")
            let refreshJWT = try #require(try S.open(account.refresh, SocialAccounts.refreshField(account.id)))
            #expect(try S.tablesHolding(refreshJWT).isEmpty)

            let refresher = TokenRefresher(config: try OAuthConfig.fromEnvironment(), vault: S.vault(), http: S.http)
            #expect(try refresher.refresh(TestEnvironment.connectApp(), workspace: team.workspace.id, account: account.id) == .refreshed)
            let renewed = try #require(try S.accounts(team.workspace).first)
            let newRefresh = try #require(try S.open(renewed.refresh, SocialAccounts.refreshField(account.id)))
            #expect(newRefresh != refreshJWT)

            try team.browser.get(team.channels)
            let out = try team.browser.post("\(team.channels)/\(account.id)/disconnect", [])
            #expect(out.header("Location") == team.channels + "?notice=disconnected")
            let sessions =
                try JSONSerialization.jsonObject(with: Data(try S.control("GET", "/_control/sessions?handle=\(handle)").body)) as? [[String: Any]]
                ?? []
            #expect(sessions.count == 2 && sessions.allSatisfy { $0["revoked"] as? Bool == true }, "the session was ended at Bluesky")
        }

        @Test func anAccountWhoseKeyIsMissingNeedsAttentionAndThePageStillRenders() throws {
            let team = try S.team()
            defer { S.drop(team) }
            #expect(try S.connect(team, "x", as: Self.unique("fine")).status == 303)
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            let broken = try admin.queryRow(
                """
                INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status,
                                             access_token_key_id, access_token_nonce, access_token_ciphertext,
                                             refresh_token_key_id, refresh_token_nonce, refresh_token_ciphertext)
                VALUES ($1, 'x', 'lost-key', '@lostkey', 'active', 99, $2, $3, 99, $4, $5) RETURNING id
                """,
                [
                    .int(team.workspace.id), .bytes(Sodium.randomBytes(24)), .bytes(Sodium.randomBytes(40)),
                    .bytes(Sodium.randomBytes(24)), .bytes(Sodium.randomBytes(50)),
                ])!.int(0)

            let page = try team.browser.get(team.channels)
            #expect(page.status == 200)
            #expect(page.body.contains("@lostkey") && page.body.contains("badge danger\">needs attention"))
            #expect(page.body.contains("has no key 99"))
            #expect(page.body.contains("badge ok\">active"), "the other account is unaffected")
            #expect(try team.browser.get("/w/\(team.workspace.slug)/").status == 200)

            // A refresh says so for that account, and changes nothing else.
            let refresher = TokenRefresher(config: try OAuthConfig.fromEnvironment(), vault: S.vault(), http: S.http)
            let outcome = try refresher.refresh(TestEnvironment.connectApp(), workspace: team.workspace.id, account: broken)
            guard case .failed(let why) = outcome else {
                Issue.record("expected failed, got \(outcome)")
                return
            }
            #expect(why.contains("no key 99"))
            #expect(try S.accounts(team.workspace).last?.status == "active", "a keyring problem is not the platform's refusal")

            // Disconnecting it still works: the tokens go even though they never opened.
            let out = try team.browser.post("\(team.channels)/\(broken)/disconnect", [])
            #expect(out.header("Location") == team.channels + "?notice=disconnected-unrevoked")
            #expect(try S.accounts(team.workspace).last?.status == "revoked")
        }
    }
}
