// Queries on password_resets: a reset link's token, stored as its SHA-256 only.
import HeraldCrypto
import HeraldDatabase

enum PasswordResets {
    enum Lookup {
        case valid(id: Int, userID: Int)
        case used
        case expired
        case unknown
    }

    static func create(userID: Int, token: String, minutes: Int, _ db: Connection) throws {
        try db.query(
            """
            INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))
            """, [.int(userID), .bytes(Sodium.sha256(token)), .int(minutes)])
    }

    static func lookup(_ token: String, _ db: Connection) throws -> Lookup {
        guard
            let row = try db.queryRow(
                """
                SELECT id, user_id, used_at IS NOT NULL, expires_at <= now() FROM password_resets WHERE token_hash = $1
                """, [.bytes(Sodium.sha256(token))])
        else { return .unknown }
        if try row.bool(2) { return .used }
        if try row.bool(3) { return .expired }
        return .valid(id: try row.int(0), userID: try row.int(1))
    }

    /// Reset links mailed to the user within the last hour: past `PasswordForgot.mailsPerHour` no more
    /// are sent (the page says the same), so nobody can flood someone's mailbox through Herald.
    static func sentWithinAnHour(userID: Int, _ db: Connection) throws -> Int {
        try db.queryRow(
            "SELECT count(*) FROM password_resets WHERE user_id = $1 AND created_at > now() - interval '1 hour'", [.int(userID)]
        )?.int(0) ?? 0
    }

    /// Ends every reset link of the user not used yet: after a reset or a password change, an older
    /// link (perhaps in a mailbox someone else reads) must not set the password again.
    static func revokeAll(userID: Int, _ db: Connection) throws {
        try db.query("UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", [.int(userID)])
    }

    /// Marks the link used; false when it was used or expired in the meantime.
    static func claim(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query(
            "UPDATE password_resets SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()",
            [.int(id)]
        ).affectedRows == 1
    }
}
