// Helpers for the channel tests: the OAuth stand-in `make test` runs (Fixtures/oauth_standin.py,
// started by scripts/oauth-standin.sh, which points the programs' platforms at it), a browser going
// through a connection the way a person would, and looks into the database as stored.
import Foundation

@testable import HeraldCrypto
@testable import HeraldIdentity
@testable import HeraldPlatforms

enum ChannelsSupport {
    /// The stand-in's base URL, e.g. http://127.0.0.1:18480.
    static var standIn: String { TestEnvironment.variables["HERALD_TEST_OAUTH_URL"]! }
    static let http = HTTPFetch(timeoutSeconds: 10)

    /// The keyring the test stack's programs seal with.
    static func vault() -> TokenVault { TokenVault(path: TestEnvironment.variables["HERALD_KEYRING_FILE"]!, checkInterval: 0) }

    struct Team {
        let owner: Fixtures.User
        let workspace: Fixtures.Workspace
        let browser: Browser
        var channels: String { "/w/\(workspace.slug)/channels" }
    }

    /// An owner, a workspace (with more members if given) and the owner's logged-in browser.
    static func team(members: [(Fixtures.User, Role)] = []) throws -> Team {
        let owner = try Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner, members: members)
        return Team(owner: owner, workspace: workspace, browser: try Fixtures.browser(for: owner))
    }

    /// Removes the workspace and everything in it: no sealed row may outlive its test (`keys rotate`
    /// in the vault tests walks every workspace).
    static func drop(_ team: Team) { VaultSupport.dropWorkspaces([team.workspace.id]) }

    /// Presses Connect (POST) for a platform; returns the provider's authorize URL the hand-off page
    /// sends the browser to (its Refresh header; the page's link says the same).
    static func startConnect(_ team: Team, _ platform: String, _ fields: [(String, String)] = []) throws -> String {
        try team.browser.get(team.channels)
        let response = try team.browser.post("\(team.channels)/connect/\(platform)", fields)
        guard response.status == 200, let refresh = response.header("Refresh"), refresh.hasPrefix("0; url=") else {
            throw TestFailure("connect \(platform): \(response.status) \(response.body.prefix(600))")
        }
        return String(refresh.dropFirst(7))
    }

    /// Presses Reconnect on an account; returns the authorize URL.
    static func startReconnect(_ team: Team, _ id: Int) throws -> String {
        try team.browser.get(team.channels)
        let response = try team.browser.post("\(team.channels)/\(id)/reconnect", [])
        guard response.status == 200, let refresh = response.header("Refresh"), refresh.hasPrefix("0; url=") else {
            throw TestFailure("reconnect: \(response.status) \(response.body.prefix(600))")
        }
        return String(refresh.dropFirst(7))
    }

    /// The provider's side: `user` signs in and approves (or cancels); returns the callback path the
    /// provider redirects the browser to (on Herald, with code and state).
    static func approve(_ authorizeURL: String, as user: String, deny: Bool = false) throws -> String {
        let response = try http.get(authorizeURL + "&login_as=\(user)" + (deny ? "&deny=1" : ""))
        guard response.status == 302, let location = response.header("Location"), location.hasPrefix(TestEnvironment.baseURL) else {
            throw TestFailure("authorize: \(response.status) \(response.snippet)")
        }
        return String(location.dropFirst(TestEnvironment.baseURL.count))
    }

    /// Connect, approve as `user`, come back: the callback's response (303 to the channels page when it worked).
    @discardableResult
    static func connect(_ team: Team, _ platform: String, as user: String, _ fields: [(String, String)] = []) throws -> HTTPResponse {
        let callback = try approve(try startConnect(team, platform, fields), as: user)
        return try team.browser.get(callback)
    }

    /// The query parameters of a URL.
    static func query(_ url: String) -> [String: String] {
        var out: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] { out[item.name] = item.value ?? "" }
        return out
    }

    /// A stand-in control or inspection call.
    static func control(_ method: String, _ path: String) throws -> FetchResponse {
        let response = try http.send(method, standIn + path)
        guard response.status == 200 else { throw TestFailure("stand-in \(path): \(response.status)") }
        return response
    }

    /// The tokens the stand-in issued to a user on a platform, newest last.
    static func issued(_ platform: String, user: String) throws -> [(access: String, refresh: String?, revoked: Bool)] {
        let data = Data(try control("GET", "/_control/tokens?platform=\(platform)&user=\(user)").body)
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return list.map { ($0["access"] as? String ?? "", $0["refresh"] as? String, $0["revoked"] as? Bool ?? false) }
    }

    /// Tokens revoked through the platform's revoke endpoint.
    static func revocations(_ platform: String) throws -> [String] {
        let data = Data(try control("GET", "/_control/revocations?platform=\(platform)").body)
        return try JSONSerialization.jsonObject(with: data) as? [String] ?? []
    }

    struct StoredAccount {
        let id: Int
        let platform: String
        let externalID: String
        let handle: String
        let status: String
        let access: SealedValue?
        let refresh: SealedValue?
        let expiresInSeconds: Int?
        let instanceURL: String?
        let lastError: String?
    }

    /// The workspace's accounts as stored, oldest first.
    static func accounts(_ workspace: Fixtures.Workspace) throws -> [StoredAccount] {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        return try admin.query(
            """
            SELECT id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext,
                   refresh_token_key_id, refresh_token_nonce, refresh_token_ciphertext,
                   extract(epoch FROM token_expires_at - now())::int, instance_url, last_error
            FROM social_accounts WHERE workspace_id = $1 ORDER BY id
            """, [.int(workspace.id)]
        ).rows.map { row in
            func sealed(_ column: Int) throws -> SealedValue? {
                guard let key = try row.optionalInt(column) else { return nil }
                return SealedValue(keyID: key, nonce: try row.bytes(column + 1), ciphertext: try row.bytes(column + 2))
            }
            return StoredAccount(
                id: try row.int(0), platform: try row.string(1), externalID: try row.string(2), handle: try row.string(3),
                status: try row.string(4), access: try sealed(5), refresh: try sealed(8), expiresInSeconds: try row.optionalInt(11),
                instanceURL: row.optionalString(12), lastError: row.optionalString(13))
        }
    }

    /// Opens a stored token with the stack's keyring.
    static func open(_ value: SealedValue?, _ field: SealedField) throws -> String? {
        guard let value else { return nil }
        return try vault().open(value, for: field).string()
    }

    /// Tables whose rows (as text, bytea as hex) contain the token, as plaintext or its hex.
    static func tablesHolding(_ token: String) throws -> [String] {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        var found: [String] = []
        for table in ["social_accounts", "oauth_flows", "mastodon_apps", "audit_events", "users", "sessions"] {
            let hits = try admin.queryRow(
                """
                SELECT count(*) FROM \(table) t
                WHERE strpos(t::text, $1) > 0 OR strpos(t::text, encode(convert_to($1, 'UTF8'), 'hex')) > 0
                """, [.text(token)])!.int(0)
            if hits > 0 { found.append(table) }
        }
        return found
    }
}
