// Email confirmation by a single-use link. Opening the link shows a button; only the POST
// changes anything (no state change on GET: mail scanners follow links).
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum EmailVerification {
    static let lifetimeHours = 48

    /// Creates a token and mails the link.
    static func send(userID: Int, email: String, _ c: RequestContext, _ db: Connection) throws {
        let token = Sodium.randomToken()
        try db.query("""
            INSERT INTO email_verifications (user_id, email, token_hash, expires_at)
            VALUES ($1, $2, $3, now() + make_interval(hours => $4))
            """, [.int(userID), .text(email), .bytes(Sodium.sha256(token)), .int(lifetimeHours)])
        try Mailer.send(db, to: email, subject: "Confirm your email address for Herald", body: """
            Hello,

            confirm your email address for Herald by opening this link:

            \(c.config.baseURL)/verify-email/\(token)

            The link works once and expires in \(lifetimeHours) hours. If you did not sign up, ignore this message.
            """, config: c.config)
    }

    static func resend(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        if !user.emailVerified {
            let db = try c.db()
            try db.transaction { db in try send(userID: user.id, email: user.email, c, db) }
        }
        return .redirect(to: "/account?notice=verification-sent")
    }

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

    static func lookup(_ token: String, _ db: Connection) throws -> Lookup {
        guard let row = try db.queryRow("""
            SELECT id, user_id, email, used_at IS NOT NULL, expires_at <= now() FROM email_verifications WHERE token_hash = $1
            """, [.bytes(Sodium.sha256(token))]) else { return .unknown }
        if try row.bool(3) { return .used }
        if try row.bool(4) { return .expired }
        return .valid(Pending(id: try row.int(0), userID: try row.int(1), email: try row.string(2)))
    }

    static func show(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        switch try lookup(token, c.db()) {
        case .valid(let pending):
            return try c.page("Confirm your email", """
                <div class="auth-card card"><h1>Confirm your email</h1><p>Confirm that <strong>\(pending.email)</strong> is your address.</p>
                <form method="post" action="/verify-email/\(token)">\(Layout.csrfField(try c.csrfToken()))
                <button class="button primary">Confirm email address</button></form></div>
                """)
        case .used: throw HTTPError(410, "Link already used", "This confirmation link was used already. Your address may be confirmed; check your account page.")
        case .expired: throw HTTPError(410, "Link expired", "This confirmation link has expired. Log in and ask for a new one on your account page.")
        case .unknown: throw HTTPError(404, "Link not valid", "This confirmation link is not valid. Check that you copied all of it.")
        }
    }

    static func confirm(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let db = try c.db()
        return try db.transaction { db in
            switch try lookup(token, db) {
            case .valid(let pending):
                // The compare-and-set on used_at makes a double submit harmless.
                let claimed = try db.query("UPDATE email_verifications SET used_at = now() WHERE id = $1 AND used_at IS NULL",
                                           [.int(pending.id)]).affectedRows
                if claimed == 1 { try Users.markVerified(userID: pending.userID, email: pending.email, db) }
                return .redirect(to: try c.currentUser() == nil ? "/login?notice=email-verified" : "/account?notice=email-verified")
            case .used: throw HTTPError(410, "Link already used", "This confirmation link was used already.")
            case .expired: throw HTTPError(410, "Link expired", "This confirmation link has expired. Log in and ask for a new one on your account page.")
            case .unknown: throw HTTPError(404, "Link not valid", "This confirmation link is not valid.")
            }
        }
    }
}
