// /password/forgot: asking for a password reset link by email address. The answer is the same
// whether or not an account exists; the link's page is PasswordReset.
import HeraldCrypto
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PasswordForgot {
    static let lifetimeMinutes = 60
    /// Reset mails to one address within an hour; more requests get the same page and no mail.
    static let mailsPerHour = 3

    static func show(_ c: RequestContext) throws -> Response {
        try respond(c, email: "", error: nil)
    }

    static func request(_ c: RequestContext) throws -> Response {
        let (email, error) = Validation.email(try c.form()["email"])
        if let error { return try respond(c, email: email, error: error, status: 422) }
        let db = try c.db()
        if let user = try Users.find(email: email, db), user.status == "active",
            try PasswordResets.sentWithinAnHour(userID: user.id, db) < mailsPerHour
        {
            try db.transaction { db in
                let token = Sodium.randomToken()
                try PasswordResets.create(userID: user.id, token: token, minutes: lifetimeMinutes, db)
                try Audit.record(
                    db, workspace: nil, actor: nil, action: "auth.password_reset_requested", targetType: "user", targetID: user.id,
                    ip: c.request.remoteAddress)
                try Mailer.send(
                    db, to: user.email, subject: "Reset your Herald password",
                    body: """
                        Hello \(user.name),

                        someone (hopefully you) asked to reset the password of your Herald account. Choose a new one here:

                        \(c.config.baseURL)/password/reset/\(token)

                        The link works once and expires in \(lifetimeMinutes) minutes. If you did not ask, ignore this message; your password stays as it is.
                        """, config: c.config)
            }
        }
        return try c.page("Check your email", PasswordForgotView.sent(email: email, minutes: lifetimeMinutes))
    }

    /// The form, empty or with the address and its problem.
    static func respond(_ c: RequestContext, email: String, error: String?, status: Int = 200) throws -> Response {
        try c.page(
            "Reset your password", status: status,
            PasswordForgotView.form(email: email, error: error, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
