// Queries on email_verifications: a confirmation link's token, stored as its SHA-256 only.
import HeraldCrypto
import HeraldDatabase

enum EmailVerifications {
    /// A link that may still be used.
    struct Pending {
        let id: Int
        let userID: Int
        let email: String
    }

    enum Lookup {
        case valid(Pending)
        case used
        case expired
        case unknown
    }

    static func create(userID: Int, email: String, token: String, hours: Int, _ db: Connection) throws {
        try db.query(
            """
            INSERT INTO email_verifications (user_id, email, token_hash, expires_at)
            VALUES ($1, $2, $3, now() + make_interval(hours => $4))
            """, [.int(userID), .text(email), .bytes(Sodium.sha256(token)), .int(hours)])
    }

    static func lookup(_ token: String, _ db: Connection) throws -> Lookup {
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
    static func claim(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query(
            "UPDATE email_verifications SET used_at = now() WHERE id = $1 AND used_at IS NULL",
            [.int(id)]
        ).affectedRows == 1
    }
}
