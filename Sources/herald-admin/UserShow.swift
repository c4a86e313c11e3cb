// GET /admin/users/{id}: one user — status, email, sessions, workspaces — with what an admin can do
// to the account, why deleting it is refused while they own a workspace shared with others, and the
// newest audit events by or about them.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum UserShow {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try Param.id(c, "user")
        return try AdminGate.transaction(c) { admin, db in try respond(c, admin, db, id) }
    }

    /// The page, also after a refused action (`error`, with its status).
    static func respond(
        _ c: RequestContext, _ admin: CurrentUser, _ db: Connection, _ id: Int, error: String? = nil, status: Int = 200
    ) throws -> Response {
        guard let user = try UserStore.find(id, db) else { throw HTTPError(404, "Not found", "There is no user \(id).") }
        let memberships = try UserStore.memberships(id, db)
        let events = try AuditStore.events(AuditQuery(subject: id), limit: 10, db)
        return try AdminPage.render(
            c, admin, db, .users, title: user.summary.name, flash: error.map { Flash(.error, $0) }, status: status,
            UserView.render(user, memberships: memberships, events: events, isSelf: id == admin.id, csrf: try AdminPage.csrf(c)))
    }
}
