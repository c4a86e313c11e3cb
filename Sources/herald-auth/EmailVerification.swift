// Sending a confirmation link (after sign-up, and POST /account/verify-email for a new one). The
// link's page is EmailConfirm.
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
        try EmailVerifications.create(userID: userID, email: email, token: token, hours: lifetimeHours, db)
        try Mailer.send(
            db, to: email, subject: "Confirm your email address for Herald",
            body: """
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
            try db.transaction { db in
                try send(userID: user.id, email: user.email, c, db)
                try AuthAudit.record(db, "auth.verification_resent", user: user.id, ip: c.request.remoteAddress)
            }
        }
        return .redirect(to: "/account?notice=verification-sent")
    }
}
