// POST /account/verify-email: a new confirmation link for the logged-in user (the identity layer's
// EmailVerifications sends it, as after sign-up). The link's page is EmailConfirm.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum EmailVerification {
    static func resend(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        if !user.emailVerified {
            let db = try c.db()
            try db.transaction { db in
                try EmailVerifications.send(userID: user.id, email: user.email, config: c.config, db)
                try AuthAudit.record(db, "auth.verification_resent", user: user.id, ip: c.request.remoteAddress)
            }
        }
        return .redirect(to: "/account?notice=verification-sent")
    }
}
