// The start page: a short introduction for visitors; logged-in users go to their workspaces.
import HeraldFastCGI
import HeraldSupport
import HeraldWeb

enum Home {
    static func show(_ c: RequestContext) throws -> Response {
        if try c.currentUser() != nil { return .redirect(to: "/w") }
        return try c.page("Plan, approve and publish together", HomeView.render())
    }
}
