// The signup_requests table: every sign-up is a row and a mail. For a new address the row keeps what
// the form gave (the password as its Argon2id hash) under a single-use link, whose SHA-256 only is
// stored; for an address that has an account it records the notice mailed to it.
import HeraldCrypto
import HeraldDatabase

enum SignupRequests {
    static let lifetimeHours = 48
    /// Sign-up mails to one address within an hour, of either kind.
    static let mailsPerHour = 3

    struct Pending {
        let id: Int
        let email: String
        let name: String
        let passwordHash: String
        let timeZone: String
        let next: String
    }

    enum Lookup {
        case valid(Pending)
        case used
        case expired
        case unknown
    }

    static func sentWithinAnHour(email: String, _ db: Connection) throws -> Int {
        try db.queryRow(
            "SELECT count(*) FROM signup_requests WHERE email = $1 AND created_at > now() - interval '1 hour'", [.text(email)]
        )?.int(0) ?? 0
    }

    /// A link that creates the account; returns the token to mail.
    static func createLink(name: String, email: String, passwordHash: String, timeZone: String, next: String, _ db: Connection) throws -> String {
        let token = Sodium.randomToken()
        try db.query(
            """
            INSERT INTO signup_requests (email, name, password_hash, time_zone, next_path, token_hash, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
            """,
            [
                .text(email), .text(name), .text(passwordHash), .text(timeZone), .text(String(next.prefix(2000))), .bytes(Sodium.sha256(token)),
                .int(lifetimeHours),
            ])
        return token
    }

    /// The notice to an address that has an account (counted like a link).
    static func recordNotice(name: String, email: String, timeZone: String, _ db: Connection) throws {
        try db.query(
            """
            INSERT INTO signup_requests (email, name, time_zone, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))
            """, [.text(email), .text(name), .text(timeZone), .int(lifetimeHours)])
    }

    static func lookup(_ token: String, _ db: Connection) throws -> Lookup {
        guard
            let row = try db.queryRow(
                """
                SELECT id, email, name, password_hash, time_zone, next_path, used_at IS NOT NULL, expires_at <= now()
                FROM signup_requests WHERE token_hash = $1
                """, [.bytes(Sodium.sha256(token))])
        else { return .unknown }
        if try row.bool(6) { return .used }
        if try row.bool(7) { return .expired }
        return .valid(
            Pending(
                id: try row.int(0), email: try row.string(1), name: try row.string(2), passwordHash: try row.string(3),
                timeZone: try row.string(4), next: try row.string(5)))
    }

    /// Marks the link used; false when it already was (a double submit creates one account).
    static func claim(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query("UPDATE signup_requests SET used_at = now() WHERE id = $1 AND used_at IS NULL", [.int(id)]).affectedRows == 1
    }
}
