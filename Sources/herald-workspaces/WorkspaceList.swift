// /w: the workspaces the user belongs to, and the way to create one.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum WorkspaceList {
    static func show(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let memberships = try c.db().transaction(user: user.id) { db in try Memberships.of(userID: user.id, db) }
        let rows = memberships.map { m -> HTML in
            "<tr><td><a href=\"/w/\(m.slug)/\">\(m.name)</a></td><td><span class=\"badge\">\(m.role.rawValue)</span></td><td class=\"muted\">\(m.timeZone)</td></tr>"
        }
        let list: HTML = memberships.isEmpty
            ? "<p class=\"empty\">You are not in any workspace yet. Create one, or ask a teammate to invite you.</p>"
            : "<table class=\"table\"><thead><tr><th>Workspace</th><th>Your role</th><th>Time zone</th></tr></thead><tbody>\(rows)</tbody></table>"
        return try c.page("Your workspaces", flash: Notice.from(c), current: "/w", """
            <h1>Your workspaces</h1>
            <section class="card">\(list)
            <p class="actions"><a class="button primary" href="/w/new">New workspace</a></p></section>
            """)
    }
}
