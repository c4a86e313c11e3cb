// The signup_requests table and the mail of a sign-up. For a new address a row keeps the name, time
// zone and where to go next under a single-use link (only its SHA-256 is stored); whoever holds the
// link chooses the password. For an address that has an account, a row records the notice mailed to it.
import HeraldCrypto
import HeraldDatabase
import HeraldIdentity
import HeraldSupport

enum SignupRequests {
    static let lifetimeHours = 48
    /// Sign-up mails to one address within an hour, of either kind; more sign-ups mail nothing.
    static let mailsPerHour = 3

    struct Pending {
        let id: Int
        let email: String
        let name: String
        let timeZone: String
        let next: String
    }

    enum Lookup {
        case valid(Pending)
        case used
        case expired
        case unknown
    }

    /// The sign-up form's work, done after its answer is out (so the page, its status and its time are
    /// the same whether or not the address has an account): a link to a new address, a notice to one
    /// with an account, or nothing past `mailsPerHour`. Sign-ups of one address take turns (the
    /// advisory lock), so the count holds however many arrive at once.
    static func mail(name: String, email: String, timeZone: String, next: String, ip: String, config: Config, _ db: Connection) throws {
        try db.transaction { db in
            try db.query("SELECT pg_advisory_xact_lock(hashtextextended('herald.signup:' || lower($1), 0))", [.text(email)])
            try db.query("DELETE FROM signup_requests WHERE expires_at < now()")
            let sent =
                try db.queryRow(
                    "SELECT count(*) FROM signup_requests WHERE email = $1 AND created_at > now() - interval '1 hour'", [.text(email)]
                )?.int(0) ?? 0
            guard sent < mailsPerHour else { return }
            if let existing = try Users.find(email: email, db) {
                try db.query(
                    "INSERT INTO signup_requests (email, name, time_zone, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))",
                    [.text(email), .text(name), .text(timeZone), .int(lifetimeHours)])
                try Mailer.send(
                    db, to: existing.email, subject: "Someone tried to create a Herald account with your address",
                    body: """
                        Hello \(existing.name),

                        someone (maybe you) tried to create a Herald account with this address, which has one already. Nothing was changed.

                        If it was you, log in: \(config.baseURL)/login
                        Forgot your password? Ask for a new one: \(config.baseURL)/password/forgot

                        If it was not you, ignore this message.
                        """, config: config)
                // No actor: nobody proved who they are; the account as the target.
                try Audit.record(
                    db, workspace: nil, actor: nil, action: "auth.signup_existing_address", targetType: "user", targetID: existing.id, ip: ip)
            } else {
                let token = Sodium.randomToken()
                try db.query(
                    """
                    INSERT INTO signup_requests (email, name, time_zone, next_path, token_hash, expires_at)
                    VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))
                    """, [.text(email), .text(name), .text(timeZone), .text(next), .bytes(Sodium.sha256(token)), .int(lifetimeHours)])
                try Mailer.send(
                    db, to: email, subject: "Finish creating your Herald account",
                    body: """
                        Hello \(name),

                        open this link to choose your password and finish creating your Herald account:

                        \(config.baseURL)/signup/confirm/\(token)

                        The link works once and expires in \(lifetimeHours) hours. If you did not sign up, ignore this message; no account is made without it.
                        """, config: config)
            }
        }
    }

    static func lookup(_ token: String, _ db: Connection) throws -> Lookup {
        guard
            let row = try db.queryRow(
                """
                SELECT id, email, name, time_zone, next_path, used_at IS NOT NULL, expires_at <= now()
                FROM signup_requests WHERE token_hash = $1
                """, [.bytes(Sodium.sha256(token))])
        else { return .unknown }
        if try row.bool(5) { return .used }
        if try row.bool(6) { return .expired }
        return .valid(
            Pending(id: try row.int(0), email: try row.string(1), name: try row.string(2), timeZone: try row.string(3), next: try row.string(4)))
    }

    /// Marks the link used; false when it already was (a double submit creates one account).
    static func claim(_ id: Int, _ db: Connection) throws -> Bool {
        try db.query("UPDATE signup_requests SET used_at = now() WHERE id = $1 AND used_at IS NULL", [.int(id)]).affectedRows == 1
    }
}
