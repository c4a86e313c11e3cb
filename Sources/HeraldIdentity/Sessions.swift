// Sessions: a random 256-bit token in the browser, only its SHA-256 in the database, with idle
// and absolute expiry.
import HeraldCrypto
public import HeraldDatabase
public import HeraldSupport

/// The logged-in user of a request.
public struct CurrentUser: Sendable {
    public let id: Int
    public let name: String
    public let email: String
    public let timeZone: String
    public let emailVerified: Bool
    public let isSiteAdmin: Bool
    public let sessionID: Int
    /// The raw cookie value; needed to derive the CSRF token. Never logged.
    let sessionToken: String
}

public enum Sessions {
    /// Creates a session and returns its token for the cookie.
    public static func create(_ db: Connection, userID: Int, ip: String, userAgent: String?, config: Config) throws -> String {
        let token = Sodium.randomToken()
        try db.query(
            """
            INSERT INTO sessions (user_id, token_hash, expires_at, ip, user_agent)
            VALUES ($1, $2, now() + make_interval(hours => $3), NULLIF($4, '')::inet, left($5, 512))
            """, [.int(userID), .bytes(Sodium.sha256(token)), .int(config.sessionAbsoluteHours), .text(ip), .text(userAgent)])
        return token
    }

    /// The user of a live session, or nil when the token is unknown, expired or idle too long.
    public static func lookup(_ db: Connection, token: String, config: Config) throws -> CurrentUser? {
        guard token.utf8.count == 43 else { return nil }
        guard
            let row = try db.queryRow(
                """
                SELECT s.id, u.id, u.name, u.email, u.time_zone, u.email_verified_at IS NOT NULL, u.is_site_admin,
                       s.last_seen_at < now() - interval '1 minute'
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = $1 AND s.expires_at > now()
                  AND s.last_seen_at > now() - make_interval(mins => $2) AND u.status = 'active'
                """, [.bytes(Sodium.sha256(token)), .int(config.sessionIdleMinutes)])
        else { return nil }
        let sessionID = try row.int(0)
        if try row.bool(7) {
            // Touch at most once a minute, so most page views stay read-only.
            try db.query("UPDATE sessions SET last_seen_at = now() WHERE id = $1", [.int(sessionID)])
        }
        return CurrentUser(
            id: try row.int(1), name: try row.string(2), email: try row.string(3), timeZone: try row.string(4),
            emailVerified: try row.bool(5), isSiteAdmin: try row.bool(6), sessionID: sessionID, sessionToken: token)
    }

    public static func destroy(_ db: Connection, token: String) throws {
        try db.query("DELETE FROM sessions WHERE token_hash = $1", [.bytes(Sodium.sha256(token))])
    }

    /// Ends every session of a user, except one (the one changing the password) if given.
    public static func destroyAll(_ db: Connection, userID: Int, except sessionID: Int? = nil) throws {
        try db.query("DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2", [.int(userID), .int(sessionID)])
    }
}

public enum CSRF {
    /// Derived from the session token with a keyed hash: no storage, and it changes with the session.
    static func token(forSession sessionToken: String) -> String {
        Sodium.base64URLEncode(Sodium.keyedHash(key: Sodium.sha256(sessionToken), message: Array("herald-csrf-v1".utf8)))
    }
}
