// /w: the workspaces the user belongs to, and the way to create one.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum WorkspaceList {
    static func show(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let memberships = try c.db().transaction(user: user.id) { db in try Memberships.of(userID: user.id, db) }
        return try c.page("Your workspaces", flash: Notice.from(c), current: "/w", WorkspaceListView.render(memberships))
    }
}
