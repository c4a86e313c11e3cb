// Rendering an admin page: the section's frame (with the sudo state read from the session) around
// the view's body, in the site layout, with the notice of a redirect shown as a flash message.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum AdminPage {
    static func render(
        _ c: RequestContext, _ user: CurrentUser, _ db: Connection, _ section: AdminSection, title: String,
        flash: Flash? = nil, status: Int = 200, _ body: HTML
    ) throws -> Response {
        let here = c.request.method == "GET" ? c.request.path : section.path
        let frame = AdminFrameView.render(
            section, sudoUntil: try Sudo.until(session: user.sessionID, db), confirmPath: Sudo.confirmPath(next: here), body)
        return try c.page("\(title) · Admin", flash: flash ?? Notice.from(c), status: status, frame)
    }

    static func csrf(_ c: RequestContext) throws -> HTML { Layout.csrfField(try c.csrfToken()) }
}
