// Mastodon instances: checking the address a user typed (Herald calls it from the server, so only
// public https hosts unless the administrator listed the instance), and the OAuth client Herald
// registers on each instance (POST /api/v1/apps), cached in mastodon_apps with its secret sealed.
public import HeraldCrypto
public import HeraldDatabase
import HeraldSupport

/// Why an instance address is refused, in words for the form.
public struct InstanceRefusal: Error, Sendable {
    public let message: String
}

public enum MastodonApps {
    /// The instance's origin, or why Herald will not call it.
    public static func checkInstance(_ input: String, config: OAuthConfig) throws(InstanceRefusal) -> String {
        let text = input.trimmed
        guard !text.isEmpty else { throw InstanceRefusal(message: "Enter the address of your Mastodon server, e.g. mastodon.social.") }
        guard let origin = OAuthConfig.origin(of: text) else {
            throw InstanceRefusal(message: "Enter just the server's address, like mastodon.social or https://fosstodon.org (no path, no @name).")
        }
        if config.mastodonInstances.contains(origin) { return origin }
        if !config.mastodonInstances.isEmpty {
            let hosts = config.mastodonInstances.map { $0.replacingPrefix("https://").replacingPrefix("http://") }.joined(separator: ", ")
            throw InstanceRefusal(message: "This Herald connects Mastodon accounts on \(hosts) only.")
        }
        guard origin.hasPrefix("https://") else { throw InstanceRefusal(message: "Mastodon servers are reached over https://.") }
        let authority = String(origin.dropFirst(8))
        let host = authority.split(separator: ":").first.map(String.init) ?? authority
        guard PublicAddresses.isPublicName(host) else { throw InstanceRefusal(message: "\(host) is not a public server name.") }
        switch publicAddresses(host) {
        case nil: throw InstanceRefusal(message: "Herald cannot find the server \(host). Check the address.")
        case false?: throw InstanceRefusal(message: "\(host) points to a private network address; Herald only calls public servers.")
        case true?: return origin
        }
    }

    /// The client for an instance: cached, or (when `register`) registered now. Runs its own
    /// transaction, holding a lock per instance so two first connections register once.
    public static func provider(
        instance: String, redirectURI: String, website: String, config: OAuthConfig, vault: TokenVault,
        http: HTTPFetch, db: Connection, register: Bool
    ) throws -> OAuthProvider {
        try db.transaction { db in
            try db.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text("herald.mastodon_app." + instance)])
            if let cached = try cachedProvider(instance: instance, scopes: config.mastodonScopes, redirectURI: redirectURI, vault: vault, db: db) {
                return cached
            }
            guard register else {
                throw OAuthError.unexpected("Herald's app on \(instance) was replaced meanwhile; connect again")
            }
            let response: FetchResponse
            do {
                response = try http.postForm(
                    instance + "/api/v1/apps",
                    [
                        ("client_name", "Herald"), ("redirect_uris", redirectURI),
                        ("scopes", config.mastodonScopes), ("website", website),
                    ])
            } catch {
                throw OAuthError.unreachable("\(instance) could not be reached: \(error)")
            }
            guard response.status == 200, let json = response.json, let clientID = json.string("client_id"),
                let secret = json.string("client_secret")
            else {
                throw OAuthError.refused("\(instance) did not register Herald as an app (HTTP \(response.status)); is it a Mastodon server?")
            }
            let id = try db.queryRow(
                """
                INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id) VALUES ($1, $2, $3, $4)
                ON CONFLICT ON CONSTRAINT mastodon_apps_instance_url_key DO UPDATE
                SET redirect_uri = EXCLUDED.redirect_uri, scopes = EXCLUDED.scopes, client_id = EXCLUDED.client_id,
                    client_secret_key_id = NULL, client_secret_nonce = NULL, client_secret_ciphertext = NULL, created_at = now()
                RETURNING id
                """, [.text(instance), .text(redirectURI), .text(config.mastodonScopes), .text(String(clientID.prefix(200)))])!.int(0)
            var bytes = Array(secret.utf8)
            defer { Sodium.wipe(&bytes) }
            let sealed = try vault.seal(bytes, for: field(id))
            try db.query(
                """
                UPDATE mastodon_apps SET client_secret_key_id = $2, client_secret_nonce = $3, client_secret_ciphertext = $4 WHERE id = $1
                """, [.int(id), .int(sealed.keyID), .bytes(sealed.nonce), .bytes(sealed.ciphertext)])
            Log.info("registered Herald on a Mastodon instance", ["instance": instance])
            return endpoints(instance: instance, clientID: clientID, secret: secret, scopes: config.mastodonScopes)
        }
    }

    /// The cached client, if its redirect URI (when given) and scopes match and its secret still
    /// opens; works inside another transaction.
    public static func cachedProvider(instance: String, scopes: String?, redirectURI: String?, vault: TokenVault, db: Connection) throws
        -> OAuthProvider?
    {
        guard
            let row = try db.queryRow(
                """
                SELECT id, client_id, redirect_uri, scopes, client_secret_key_id, client_secret_nonce, client_secret_ciphertext
                FROM mastodon_apps WHERE instance_url = $1
                """, [.text(instance)])
        else { return nil }
        let id = try row.int(0)
        if let redirectURI, try row.string(2) != redirectURI { return nil }
        if let scopes, try row.string(3) != scopes { return nil }
        guard let keyID = try row.optionalInt(4) else { return nil }
        let sealed = SealedValue(keyID: keyID, nonce: try row.bytes(5), ciphertext: try row.bytes(6))
        guard let secret = try? vault.open(sealed, for: field(id)).string() else {
            Log.warn("the cached Mastodon app secret does not open; registering again", ["instance": instance])
            return nil
        }
        return endpoints(instance: instance, clientID: try row.string(1), secret: secret, scopes: try row.string(3))
    }

    static func field(_ id: Int) -> SealedField { SealedField(table: "mastodon_apps", column: "client_secret", rowID: id) }

    static func endpoints(instance: String, clientID: String, secret: String, scopes: String) -> OAuthProvider {
        OAuthProvider(
            platform: .mastodon, clientID: clientID, clientSecret: secret, authorizeURL: instance + "/oauth/authorize",
            tokenURL: instance + "/oauth/token", revokeURL: instance + "/oauth/revoke",
            userInfoURL: instance + "/api/v1/accounts/verify_credentials", scopes: scopes, instanceURL: instance)
    }

    /// True if every address the name resolves to is public; false if one is private, loopback,
    /// link-local or otherwise special; nil if it does not resolve. The rules are GuardedFetch's (PublicAddresses).
    static func publicAddresses(_ host: String) -> Bool? { PublicAddresses.allPublic(host) }

    static func isPublic(v4 b: [UInt8]) -> Bool { PublicAddresses.isPublic(v4: b) }

    static func isPublic(v6 b: [UInt8]) -> Bool { PublicAddresses.isPublic(v6: b) }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
