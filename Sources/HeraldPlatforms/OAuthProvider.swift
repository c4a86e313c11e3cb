// OAuth 2.0 on the wire (RFC 6749, RFC 7636, RFC 7009): the authorize URL with PKCE, the token
// endpoint's authorization_code and refresh_token grants, and token revocation, each the way the
// platform authenticates its clients.
public import HeraldContent

/// How a platform wants the client to prove itself at its token and revoke endpoints.
public enum ClientAuthentication: Sendable {
    /// `Authorization: Basic` with the client id and secret (X confidential clients, Reddit).
    case basic
    /// `client_id` (and `client_secret` when there is one) in the form body (LinkedIn, Mastodon, X public clients).
    case body
}

/// Tokens as the token endpoint returned them.
public struct TokenSet: Sendable {
    public var accessToken: String
    public var refreshToken: String?
    /// Seconds from now; nil when the platform gave none (the token does not expire).
    public var expiresIn: Int?
    public var scope: String?

    public init(accessToken: String, refreshToken: String? = nil, expiresIn: Int? = nil, scope: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
        self.scope = scope
    }
}

/// Why a call to a platform did not give what was asked.
public enum OAuthError: Error, CustomStringConvertible, Sendable {
    /// The code or refresh token is not (or no longer) valid: used, expired or revoked. Connect again.
    case invalidGrant(String)
    /// The platform refused with another OAuth error (invalid_client, unauthorized_client, …) or status.
    case refused(String)
    /// The answer was not what the protocol says.
    case unexpected(String)
    /// No answer at all.
    case unreachable(String)

    public var description: String {
        switch self {
        case .invalidGrant(let why), .refused(let why), .unexpected(let why), .unreachable(let why): return why
        }
    }
}

/// One OAuth 2.0 client on one platform (for Mastodon: on one instance).
public struct OAuthProvider: Sendable {
    public let platform: Platform
    public let clientID: String
    public let clientSecret: String?
    public let authorizeURL: String
    public let tokenURL: String
    public let revokeURL: String?
    public let userInfoURL: String
    public let scopes: String
    /// The Mastodon instance (origin); nil elsewhere.
    public let instanceURL: String?

    public init(
        platform: Platform, clientID: String, clientSecret: String?, authorizeURL: String, tokenURL: String,
        revokeURL: String?, userInfoURL: String, scopes: String, instanceURL: String? = nil
    ) {
        self.platform = platform
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.revokeURL = revokeURL
        self.userInfoURL = userInfoURL
        self.scopes = scopes
        self.instanceURL = instanceURL
    }

    /// The configured client of X, LinkedIn or Reddit; nil when it is not configured.
    public init?(_ platform: Platform, _ config: OAuthConfig) {
        guard let client = config.client(platform), let id = client.clientID else { return nil }
        self.init(
            platform: platform, clientID: id, clientSecret: client.clientSecret, authorizeURL: client.authorizeURL,
            tokenURL: client.tokenURL, revokeURL: client.revokeURL, userInfoURL: client.userInfoURL, scopes: client.scopes)
    }

    public var authentication: ClientAuthentication {
        switch platform {
        case .reddit: return .basic
        case .x: return clientSecret == nil ? .body : .basic
        default: return .body
        }
    }

    /// Where the browser goes to approve Herald.
    public func authorizationURL(redirectURI: String, state: String, challenge: String) -> String {
        var fields = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scopes),
            ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        // Reddit issues a refresh token only for permanent grants.
        if platform == .reddit { fields.append(("duration", "permanent")) }
        return authorizeURL + (authorizeURL.contains("?") ? "&" : "?") + HTTPFetch.formEncode(fields)
    }

    /// The authorization_code grant, with the PKCE verifier.
    public func exchange(code: String, verifier: String, redirectURI: String, http: HTTPFetch) throws(OAuthError) -> TokenSet {
        try tokenRequest([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)], http)
    }

    /// The refresh_token grant.
    public func refresh(refreshToken: String, http: HTTPFetch) throws(OAuthError) -> TokenSet {
        try tokenRequest([("grant_type", "refresh_token"), ("refresh_token", refreshToken)], http)
    }

    /// Revokes a token (RFC 7009). Throws when there is no revoke endpoint or the platform refused.
    public func revoke(token: String, hint: String, http: HTTPFetch) throws(OAuthError) {
        guard let revokeURL else { throw .refused("\(platform.label) has no revoke endpoint") }
        let response = try post(revokeURL, [("token", token), ("token_type_hint", hint)], http)
        guard (200..<300).contains(response.status) else {
            throw .refused(
                "\(platform.label) refused to revoke the token (HTTP \(response.status)\(oauthError(response).map { ": \($0.code)" } ?? ""))")
        }
    }

    private func tokenRequest(_ fields: [(String, String)], _ http: HTTPFetch) throws(OAuthError) -> TokenSet {
        let response = try post(tokenURL, fields, http)
        // Some platforms (Reddit) answer errors with 200 and an `error` member.
        if let error = oauthError(response) {
            let detail = error.description.map { " (\($0))" } ?? ""
            if error.code == "invalid_grant" {
                throw .invalidGrant("\(platform.label) refused the grant: invalid_grant\(detail)")
            }
            throw .refused("\(platform.label) refused: \(error.code)\(detail), HTTP \(response.status)")
        }
        guard response.status == 200 else { throw .refused("\(platform.label)'s token endpoint answered HTTP \(response.status)") }
        guard let json = response.json, let access = json.string("access_token") else {
            throw .unexpected("\(platform.label)'s token endpoint answered without an access_token")
        }
        if let type = json.string("token_type"), type.lowercased() != "bearer" {
            throw .unexpected("\(platform.label) issued a \(type) token; Herald uses bearer tokens")
        }
        let expires = json.int("expires_in").flatMap { $0 > 0 ? $0 : nil }
        return TokenSet(accessToken: access, refreshToken: json.string("refresh_token"), expiresIn: expires, scope: json.string("scope"))
    }

    /// A form POST with this client's authentication.
    private func post(_ url: String, _ fields: [(String, String)], _ http: HTTPFetch) throws(OAuthError) -> FetchResponse {
        var all = fields
        var basic: (String, String)?
        switch authentication {
        case .basic:
            basic = (clientID, clientSecret ?? "")
        case .body:
            all.append(("client_id", clientID))
            if let clientSecret { all.append(("client_secret", clientSecret)) }
        }
        do {
            return try http.postForm(url, all, basic: basic)
        } catch {
            throw .unreachable("\(platform.label) could not be reached: \(error)")
        }
    }

    /// `{"error": "...", "error_description": "..."}` from an answer, if it is one.
    private func oauthError(_ response: FetchResponse) -> (code: String, description: String?)? {
        guard let json = response.json, let code = json.string("error") else { return nil }
        return (code, json.string("error_description").map { String($0.prefix(200)) })
    }
}
