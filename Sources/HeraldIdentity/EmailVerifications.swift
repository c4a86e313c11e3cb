// Email confirmation links: a token whose SHA-256 only is stored (email_verifications), valid 48
// hours, mailed through the outbox. herald-auth sends one after sign-up and on request and serves
// the link's page (/verify-email/{token}); herald-admin sends a new one for a user.
import HeraldCrypto
public import HeraldDatabase
public import HeraldSupport

public enum EmailVerifications {
    public static let lifetimeHours = 48

    /// A link that may still be used.
    public struct Pending: Sendable {
        public let id: Int
        public let userID: Int
        public let email: String
    }

    public enum Lookup: Sendable {
        case valid(Pending)
        case used
        case expired
        case unknown
    }

    /// Creates a token and mails the link to `email`.
    /// Confirmation links made for the user within the last hour (sign-up's included).
    public static func sentWithinAnHour(userID: Int, _ db: Connection) throws -> Int {
        try db.queryRow(
            "SELECT count(*) FROM email_verifications WHERE user_id = $1 AND created_at > now() - interval '1 hour'", [.int(userID)]
        )?.int(0) ?? 0
    }

    public static func send(userID: Int, email: String, config: Config, _ db: Connection) throws {
        let token = Sodium.randomToken()
        try db.query(
            """
            INSERT INTO email_verifications (user_id, email, token_hash, expires_at)
            VALUES ($1, $2, $3, now() + make_interval(hours => $4))
            """, [.int(userID), .text(email), .bytes(Sodium.sha256(token)), .int(lifetimeHours)])
        try Mailer.send(
            db, to: email, subject: "Confirm your email address for Herald",
            body: """
                Hello,

                confirm your email address for Herald by opening this link:

                \(config.baseURL)/verify-email/\(token)

                The link works once and expires in \(lifetimeHours) hours. If you did not sign up, ignore this message.
                """, config: config)
    }

    public static func lookup(_ token: String, _ db: Connection) throws -> Lookup {
        guard
            let row = try db.queryRow(
                """
                SELECT id, user_id, email, used_at IS NOT NULL, expires_at <= now() FROM email_verifications WHERE token_hash = $1
                """, [.bytes(Sodium.sha256(token))])
        else { return .unknown }
        if try row.bool(3) { return .used }
        if try row.bool(4) { return .expired }
        return .valid(Pending(id: try row.int(0), userID: try row.int(1), email: try row.string(2)))
    }

    /// Marks the link used; false when it already was. The compare-and-set on used_at makes a
    /// double submit harmless.
    public static func claim(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query(
            "UPDATE email_verifications SET used_at = now() WHERE id = $1 AND used_at IS NULL",
            [.int(id)]
        ).affectedRows == 1
    }
}
