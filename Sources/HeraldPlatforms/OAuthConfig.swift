// The social platforms' OAuth clients and endpoints, from the environment (README: "Connecting
// social accounts"). Read once at start by the programs that talk to the platforms.
public import HeraldContent
import HeraldSupport

/// One OAuth 2.0 platform's client and endpoints. Without a client id the platform is "not configured".
public struct OAuthClientConfig: Sendable, Equatable {
    public var clientID: String?
    /// Optional: public clients (X "native app", Reddit "installed app") have none and rely on PKCE.
    public var clientSecret: String?
    public var authorizeURL: String
    public var tokenURL: String
    /// Where tokens are revoked on disconnect; nil where the platform has no such endpoint.
    public var revokeURL: String?
    /// Where the connected account's id and handle are read.
    public var userInfoURL: String
    /// Space-separated, as sent in the authorize request.
    public var scopes: String

    public var isConfigured: Bool { clientID != nil }
}

public struct OAuthConfig: Sendable {
    public var x: OAuthClientConfig
    public var linkedin: OAuthClientConfig
    public var reddit: OAuthClientConfig
    /// Asked for when Herald registers itself on a Mastodon instance and when a user connects.
    public var mastodonScopes: String
    /// Origins users may connect Mastodon accounts on; empty: any https instance on a public host name.
    /// A listed origin is allowed even over http or on a private address (an intranet instance, a test stand-in).
    public var mastodonInstances: [String]
    /// The Bluesky server accounts sign in to with an app password (`com.atproto.server.createSession`).
    public var blueskyServiceURL: String
    /// How long one call to a platform may take.
    public var timeoutSeconds: Int

    /// The client of an OAuth 2.0 platform with a fixed host; nil for Mastodon (per instance) and Bluesky (app passwords).
    public func client(_ platform: Platform) -> OAuthClientConfig? {
        switch platform {
        case .x: return x
        case .linkedin: return linkedin
        case .reddit: return reddit
        case .mastodon, .bluesky: return nil
        }
    }

    /// `<base URL>/oauth/<platform>/callback`, the redirect URI registered with the platform.
    public static func redirectURI(_ platform: Platform, baseURL: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/oauth/\(platform.rawValue)/callback"
    }

    /// The environment prefix of a platform's variables, e.g. `HERALD_X_`.
    public static func prefix(_ platform: Platform) -> String { "HERALD_\(platform.rawValue.uppercased())_" }

    public static func fromEnvironment() throws -> OAuthConfig {
        let env = Environment()
        return try load { try env.optional($0) }
    }

    /// Reads every variable through `value` (the environment, or a dictionary in tests) and validates it.
    public static func load(_ value: (String) throws -> String?) throws -> OAuthConfig {
        func url(_ name: String, default fallback: String?) throws -> String? {
            guard let text = try value(name) else { return fallback }
            guard isHTTPURL(text) else { throw ConfigError(description: "\(name)=\(text) is not an http:// or https:// URL") }
            return text
        }
        func client(_ platform: Platform, authorize: String, token: String, revoke: String?, userInfo: String, scopes: String) throws
            -> OAuthClientConfig
        {
            let p = prefix(platform)
            let id = try value(p + "CLIENT_ID")
            let secret = try value(p + "CLIENT_SECRET")
            if secret != nil && id == nil {
                throw ConfigError(
                    description: "\(p)CLIENT_SECRET is set but \(p)CLIENT_ID is not: set both, or neither to leave \(platform.label) unconfigured")
            }
            return OAuthClientConfig(
                clientID: id, clientSecret: secret,
                authorizeURL: try url(p + "AUTHORIZE_URL", default: authorize)!,
                tokenURL: try url(p + "TOKEN_URL", default: token)!,
                revokeURL: try url(p + "REVOKE_URL", default: revoke),
                userInfoURL: try url(p + "USERINFO_URL", default: userInfo)!,
                scopes: try value(p + "SCOPES") ?? scopes)
        }
        var instances: [String] = []
        for item in (try value("HERALD_MASTODON_INSTANCES") ?? "").split(separator: ",") {
            let text = item.trimmed
            guard let origin = origin(of: text) else {
                throw ConfigError(description: "HERALD_MASTODON_INSTANCES: \(text) is not an origin like https://mastodon.social")
            }
            instances.append(origin)
        }
        let timeoutText = try value("HERALD_OAUTH_TIMEOUT_SECONDS") ?? "10"
        guard let timeout = Int(timeoutText), (1...60).contains(timeout) else {
            throw ConfigError(description: "HERALD_OAUTH_TIMEOUT_SECONDS=\(timeoutText) is not a whole number from 1 to 60")
        }
        let bluesky = try blueskyServiceURL(value)
        return OAuthConfig(
            x: try client(
                .x, authorize: "https://x.com/i/oauth2/authorize", token: "https://api.x.com/2/oauth2/token",
                revoke: "https://api.x.com/2/oauth2/revoke", userInfo: "https://api.x.com/2/users/me",
                scopes: "tweet.read tweet.write users.read offline.access"),
            linkedin: try client(
                .linkedin, authorize: "https://www.linkedin.com/oauth/v2/authorization",
                token: "https://www.linkedin.com/oauth/v2/accessToken", revoke: nil,
                userInfo: "https://api.linkedin.com/v2/userinfo", scopes: "openid profile w_member_social"),
            reddit: try client(
                .reddit, authorize: "https://www.reddit.com/api/v1/authorize",
                token: "https://www.reddit.com/api/v1/access_token", revoke: "https://www.reddit.com/api/v1/revoke_token",
                userInfo: "https://oauth.reddit.com/api/v1/me", scopes: "identity submit read"),
            mastodonScopes: try value("HERALD_MASTODON_SCOPES") ?? "read:accounts write:statuses write:media",
            mastodonInstances: instances,
            blueskyServiceURL: bluesky,
            timeoutSeconds: timeout)
    }

    /// HERALD_BLUESKY_SERVICE_URL as an origin (read here and by PublishSettings).
    static func blueskyServiceURL(_ value: (String) throws -> String?) throws -> String {
        guard let origin = origin(of: try value("HERALD_BLUESKY_SERVICE_URL") ?? "https://bsky.social") else {
            throw ConfigError(description: "HERALD_BLUESKY_SERVICE_URL is not an origin like https://bsky.social")
        }
        return origin
    }

    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !text.contains(where: { $0 == " " || $0 == "\n" })
    }

    /// `scheme://host[:port]` in lower case, from a URL or a bare host name (https assumed); nil if
    /// it is not one. Paths, queries and user info are refused rather than dropped.
    public static func origin(of input: String) -> String? {
        var text = input.trimmed
        let lower = text.lowercased()
        var scheme = "https"
        if lower.hasPrefix("https://") {
            text = String(text.dropFirst(8))
        } else if lower.hasPrefix("http://") {
            scheme = "http"
            text = String(text.dropFirst(7))
        } else if lower.contains("://") {
            return nil
        }
        while text.hasSuffix("/") { text.removeLast() }
        let authority = text.lowercased()
        guard !authority.isEmpty, authority.utf8.count <= 253 else { return nil }
        var host = Substring(authority)
        if let colon = authority.lastIndex(of: ":") {
            let port = authority[authority.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isASCII), let number = Int(port), (1...65535).contains(number) else { return nil }
            host = authority[..<colon]
        }
        let allowed = host.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
        guard allowed, !host.isEmpty, !host.hasPrefix("."), !host.hasPrefix("-"), !host.contains("..") else { return nil }
        return "\(scheme)://\(authority)"
    }
}
