// POST /account/verify-email: a new confirmation link for the logged-in user (the identity layer's
// EmailVerifications sends it, as after sign-up). The link's page is EmailConfirm.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum EmailVerification {
    /// Confirmation mails to one account within an hour, sign-up's included.
    static let mailsPerHour = 3

    static func resend(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        if !user.emailVerified {
            let db = try c.db()
            if try EmailVerifications.sentWithinAnHour(userID: user.id, db) >= mailsPerHour {
                var response = try Account.respond(
                    c, user: user, name: user.name, timeZone: user.timeZone, errors: [:],
                    flash: Flash(
                        .error, "We sent you \(mailsPerHour) confirmation links within the last hour. Use the newest one, or ask again later."),
                    status: 429)
                response.setHeader("Retry-After", "3600")
                return response
            }
            try db.transaction { db in
                try EmailVerifications.send(userID: user.id, email: user.email, config: c.config, db)
                try AuthAudit.record(db, "auth.verification_resent", user: user.id, ip: c.request.remoteAddress)
            }
        }
        return .redirect(to: "/account?notice=verification-sent")
    }
}
