// /password/forgot: asking for a password reset link by email address. The answer is the same, and
// as quick, whether or not an account exists; the link's page is PasswordReset.
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
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
        // The same work before the answer whether or not the address has an account (this lookup);
        // the rest waits until the answer is out, so the page's time tells nothing either.
        if let user = try Users.find(email: email, db), user.status == "active" {
            let ip = c.request.remoteAddress
            let config = c.config
            db.afterAnswer {
                do {
                    try sendLink(to: user, ip: ip, config: config, db)
                } catch {
                    Log.error("password reset link not sent", ["user": String(user.id), "error": String(describing: error)])
                }
            }
        }
        return try c.page("Check your email", PasswordForgotView.sent(email: email, minutes: lifetimeMinutes))
    }

    /// A reset link to the account, unless it got `mailsPerHour` within the hour. Requests for one
    /// account take turns (the advisory lock), so the count holds however many arrive at once.
    static func sendLink(to user: UserRecord, ip: String, config: Config, _ db: Connection) throws {
        try db.transaction { db in
            try db.query("SELECT pg_advisory_xact_lock(hashtextextended('herald.password_reset:' || $1::text, 0))", [.int(user.id)])
            guard try PasswordResets.sentWithinAnHour(userID: user.id, db) < mailsPerHour else { return }
            let token = Sodium.randomToken()
            try PasswordResets.create(userID: user.id, token: token, minutes: lifetimeMinutes, db)
            try Audit.record(
                db, workspace: nil, actor: nil, action: "auth.password_reset_requested", targetType: "user", targetID: user.id, ip: ip)
            try Mailer.send(
                db, to: user.email, subject: "Reset your Herald password",
                body: """
                    Hello \(user.name),

                    someone (hopefully you) asked to reset the password of your Herald account. Choose a new one here:

                    \(config.baseURL)/password/reset/\(token)

                    The link works once and expires in \(lifetimeMinutes) minutes. If you did not ask, ignore this message; your password stays as it is.
                    """, config: config)
        }
    }

    /// The form, empty or with the address and its problem.
    static func respond(_ c: RequestContext, email: String, error: String?, status: Int = 200) throws -> Response {
        try c.page(
            "Reset your password", status: status,
            PasswordForgotView.form(email: email, error: error, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
