// /verify-email/{token}: email confirmation by a single-use link. Opening the link shows a button;
// only the POST changes anything (no state change on GET: mail scanners follow links).
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum EmailConfirm {
    static func show(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        switch try EmailVerifications.lookup(token, c.db()) {
        case .valid(let pending):
            return try c.page(
                "Confirm your email",
                EmailConfirmView.render(
                    email: pending.email, token: token,
                    csrf: Layout.csrfField(try c.csrfToken())))
        case .used:
            throw HTTPError(
                410, "Link already used", "This confirmation link was used already. Your address may be confirmed; check your account page.")
        case .expired: throw HTTPError(410, "Link expired", "This confirmation link has expired. Log in and ask for a new one on your account page.")
        case .unknown: throw HTTPError(404, "Link not valid", "This confirmation link is not valid. Check that you copied all of it.")
        }
    }

    static func confirm(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let db = try c.db()
        return try db.transaction { db in
            switch try EmailVerifications.lookup(token, db) {
            case .valid(let pending):
                if try EmailVerifications.claim(pending.id, db) {
                    try Users.markVerified(userID: pending.userID, email: pending.email, db)
                    try Audit.record(
                        db, workspace: nil, actor: try c.currentUser()?.id, action: "auth.email_verified", targetType: "user",
                        targetID: pending.userID, details: ["email": pending.email], ip: c.request.remoteAddress)
                }
                return .redirect(to: try c.currentUser() == nil ? "/login?notice=email-verified" : "/account?notice=email-verified")
            case .used: throw HTTPError(410, "Link already used", "This confirmation link was used already.")
            case .expired:
                throw HTTPError(410, "Link expired", "This confirmation link has expired. Log in and ask for a new one on your account page.")
            case .unknown: throw HTTPError(404, "Link not valid", "This confirmation link is not valid.")
            }
        }
    }
}
