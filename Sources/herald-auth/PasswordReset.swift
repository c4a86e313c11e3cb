// Password reset by emailed link: ask with an email address (same answer whether or not an
// account exists), then set a new password through the link; every session of the user ends.
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum PasswordReset {
    static let lifetimeMinutes = 60

    static func showRequest(_ c: RequestContext) throws -> Response {
        try renderRequest(c, email: "", error: nil)
    }

    static func request(_ c: RequestContext) throws -> Response {
        let (email, error) = Validation.email(try c.form()["email"])
        if let error { return try renderRequest(c, email: email, error: error, status: 422) }
        let db = try c.db()
        if let user = try Users.find(email: email, db), user.status == "active" {
            try db.transaction { db in
                let token = Sodium.randomToken()
                try db.query("""
                    INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))
                    """, [.int(user.id), .bytes(Sodium.sha256(token)), .int(lifetimeMinutes)])
                try Mailer.send(db, to: user.email, subject: "Reset your Herald password", body: """
                    Hello \(user.name),

                    someone (hopefully you) asked to reset the password of your Herald account. Choose a new one here:

                    \(c.config.baseURL)/password/reset/\(token)

                    The link works once and expires in \(lifetimeMinutes) minutes. If you did not ask, ignore this message; your password stays as it is.
                    """, config: c.config)
            }
        }
        return try c.page("Check your email", """
            <div class="auth-card card"><h1>Check your email</h1>
            <p>If an account exists for <strong>\(email)</strong>, we sent it a link to reset the password. The link expires in \(lifetimeMinutes) minutes.</p>
            <p><a href="/login">Back to log in</a></p></div>
            """)
    }

    static func renderRequest(_ c: RequestContext, email: String, error: String?, status: Int = 200) throws -> Response {
        try c.page("Reset your password", status: status, """
            <div class="auth-card card"><h1>Reset your password</h1><p>Enter your email address and we will send you a link to choose a new password.</p>
            <form class="form" method="post" action="/password/forgot" novalidate>\(Layout.csrfField(try c.csrfToken()))
            \(Form.field("email", label: "Email", type: "email", value: email, error: error, autocomplete: "email", maxLength: 254))
            <div class="actions"><button type="submit" class="button primary">Send reset link</button></div></form></div>
            """)
    }

    /// The reset row for a token: (id, user id) when valid; otherwise an error page.
    static func lookup(_ token: String, _ db: Connection) throws -> (id: Int, userID: Int) {
        guard let row = try db.queryRow("""
            SELECT id, user_id, used_at IS NOT NULL, expires_at <= now() FROM password_resets WHERE token_hash = $1
            """, [.bytes(Sodium.sha256(token))]) else {
            throw HTTPError(404, "Link not valid", "This password reset link is not valid. Ask for a new one.")
        }
        if try row.bool(2) { throw HTTPError(410, "Link already used", "This password reset link was used already. Ask for a new one if you need to.") }
        if try row.bool(3) { throw HTTPError(410, "Link expired", "This password reset link has expired. Ask for a new one.") }
        return (try row.int(0), try row.int(1))
    }

    static func showReset(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        _ = try lookup(token, c.db())
        return try renderReset(c, token: token, error: nil)
    }

    static func reset(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let db = try c.db()
        let reset = try lookup(token, db)
        guard let user = try Users.find(id: reset.userID, db) else { throw HTTPError.notFound }
        let password = try c.form()["password"] ?? ""
        if let problem = PasswordPolicy.problem(with: password, email: user.email) {
            return try renderReset(c, token: token, error: problem, status: 422)
        }
        let hash = try c.services.hasher.hash(password)
        let done: Bool = try db.transaction { db in
            let claimed = try db.query("UPDATE password_resets SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()",
                                       [.int(reset.id)]).affectedRows
            guard claimed == 1 else { return false }
            try Users.setPassword(userID: user.id, newHash: hash, db)
            try Sessions.destroyAll(db, userID: user.id)
            return true
        }
        guard done else { throw HTTPError(410, "Link already used", "This password reset link was used already.") }
        try c.endSession()
        return .redirect(to: "/login?notice=password-reset")
    }

    static func renderReset(_ c: RequestContext, token: String, error: String?, status: Int = 200) throws -> Response {
        try c.page("Choose a new password", status: status, """
            <div class="auth-card card"><h1>Choose a new password</h1>
            <form class="form" method="post" action="/password/reset/\(token)" novalidate>\(Layout.csrfField(try c.csrfToken()))
            \(Form.field("password", label: "New password", type: "password", error: error, hint: "At least 8 characters.", autocomplete: "new-password", maxLength: 128))
            <div class="actions"><button type="submit" class="button primary">Set new password</button></div></form></div>
            """)
    }
}
