// Logout: the session is deleted server-side and the cookie cleared.
import HeraldFastCGI
import HeraldWeb

enum Logout {
    static func destroy(_ c: RequestContext) throws -> Response {
        try c.endSession()
        return .redirect(to: "/login?notice=logged-out")
    }
}
