// Queries on the users table, for the pages of herald-auth.
import HeraldDatabase

struct UserRecord {
    let id: Int
    let name: String
    let email: String
    let passwordHash: String
    let status: String
}

enum Users {
    static func find(email: String, _ db: Connection) throws -> UserRecord? {
        guard let row = try db.queryRow("SELECT id, name, email, password_hash, status FROM users WHERE email = $1", [.text(email)]) else {
            return nil
        }
        return UserRecord(
            id: try row.int(0), name: try row.string(1), email: try row.string(2), passwordHash: try row.string(3), status: try row.string(4))
    }

    static func find(id: Int, _ db: Connection) throws -> UserRecord? {
        guard let row = try db.queryRow("SELECT id, name, email, password_hash, status FROM users WHERE id = $1", [.int(id)]) else { return nil }
        return UserRecord(
            id: try row.int(0), name: try row.string(1), email: try row.string(2), passwordHash: try row.string(3), status: try row.string(4))
    }

    /// Inserts a user; nil when the email is already registered.
    static func create(name: String, email: String, passwordHash: String, timeZone: String, _ db: Connection) throws -> Int? {
        do {
            let row = try db.queryRow(
                """
                INSERT INTO users (name, email, password_hash, time_zone) VALUES ($1, $2, $3, $4) RETURNING id
                """, [.text(name), .text(email), .text(passwordHash), .text(timeZone)])
            return try row?.int(0)
        } catch let error as DatabaseError where error.isUniqueViolation && error.constraint == "users_email_key" {
            return nil
        }
    }

    /// Replaces the password hash, keeping the old one in password_history.
    static func setPassword(userID: Int, newHash: String, _ db: Connection) throws {
        try db.query(
            """
            WITH old AS (SELECT password_hash FROM users WHERE id = $1)
            INSERT INTO password_history (user_id, password_hash) SELECT $1, password_hash FROM old
            """, [.int(userID)])
        try db.query("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [.int(userID), .text(newHash)])
    }

    /// A stronger hash after the cost settings were raised; the password itself is unchanged.
    static func rehash(userID: Int, newHash: String, _ db: Connection) throws {
        try db.query("UPDATE users SET password_hash = $2 WHERE id = $1", [.int(userID), .text(newHash)])
    }

    static func recordLogin(userID: Int, _ db: Connection) throws {
        try db.query("UPDATE users SET last_login_at = now() WHERE id = $1", [.int(userID)])
    }

    static func updateProfile(userID: Int, name: String, timeZone: String, _ db: Connection) throws {
        try db.query(
            "UPDATE users SET name = $2, time_zone = $3, updated_at = now() WHERE id = $1",
            [.int(userID), .text(name), .text(timeZone)])
    }

    static func markVerified(userID: Int, email: String, _ db: Connection) throws {
        try db.query(
            "UPDATE users SET email_verified_at = now() WHERE id = $1 AND email = $2 AND email_verified_at IS NULL",
            [.int(userID), .text(email)])
    }
}
