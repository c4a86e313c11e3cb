// Logout: the session is deleted server-side and the cookie cleared.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum Logout {
    static func destroy(_ c: RequestContext) throws -> Response {
        if let user = try c.currentUser() {
            try AuthAudit.record(c.db(), "auth.logged_out", user: user.id, ip: c.request.remoteAddress)
        }
        try c.endSession()
        return .redirect(to: "/login?notice=logged-out")
    }
}
