// Who the connected account is: each platform's "me" endpoint, read right after the token
// exchange for the account's stable id, its handle and its display name.
import HeraldContent

/// The connected account as the platform names it.
public struct AccountProfile: Sendable, Equatable {
    /// Stable and unique on the platform (for Mastodon: `id@host`, ids being per instance).
    public let externalID: String
    /// As people write it: `@name` on X, `u/name` on Reddit, `@name@host` on Mastodon, the name on LinkedIn.
    public let handle: String
    public let displayName: String?

    public init(externalID: String, handle: String, displayName: String?) {
        self.externalID = String(externalID.prefix(200))
        self.handle = String(handle.prefix(100))
        self.displayName = displayName.map { String($0.prefix(200)) }
    }
}

extension OAuthProvider {
    /// Reads the account behind an access token.
    public func profile(accessToken: String, http: HTTPFetch) throws(OAuthError) -> AccountProfile {
        let response: FetchResponse
        do {
            response = try http.get(userInfoURL, bearer: accessToken)
        } catch {
            throw .unreachable("\(platform.label) could not be reached: \(error)")
        }
        guard response.status == 200, let json = response.json else {
            throw .unexpected("\(platform.label) did not say who the account is (HTTP \(response.status))")
        }
        guard let profile = AccountProfile.parse(platform, json, instanceURL: instanceURL) else {
            throw .unexpected("\(platform.label)'s account answer lacks the id or name Herald needs")
        }
        return profile
    }
}

extension AccountProfile {
    /// The shape of each platform's answer.
    static func parse(_ platform: Platform, _ json: JSONObject, instanceURL: String?) -> AccountProfile? {
        switch platform {
        case .x:
            // GET /2/users/me → {"data": {"id", "username", "name"}}
            guard let data = json.object("data"), let id = data.string("id"), let username = data.string("username") else { return nil }
            return AccountProfile(externalID: id, handle: "@" + username, displayName: data.string("name"))
        case .linkedin:
            // OpenID Connect userinfo → {"sub", "name", "given_name", "family_name", …}; members have no public handle.
            guard let id = json.string("sub") else { return nil }
            let name = json.string("name") ?? [json.string("given_name"), json.string("family_name")].compactMap { $0 }.joined(separator: " ")
            return AccountProfile(externalID: id, handle: name.isEmpty ? id : name, displayName: name.isEmpty ? nil : name)
        case .reddit:
            // GET /api/v1/me → {"id", "name", …}
            guard let id = json.string("id"), let name = json.string("name") else { return nil }
            return AccountProfile(externalID: id, handle: "u/" + name, displayName: json.object("subreddit")?.string("title"))
        case .mastodon:
            // GET /api/v1/accounts/verify_credentials → {"id", "username", "acct", "display_name"}
            guard let id = json.string("id"), let username = json.string("username"), let instanceURL else { return nil }
            let host = instanceURL.split(separator: "/").last.map(String.init) ?? instanceURL
            return AccountProfile(externalID: "\(id)@\(host)", handle: "@\(username)@\(host)", displayName: json.string("display_name"))
        case .bluesky:
            return nil
        }
    }
}
