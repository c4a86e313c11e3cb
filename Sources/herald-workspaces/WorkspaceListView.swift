// The list of the user's workspaces with their role in each, and the button to create one.
import HeraldHTML
import HeraldIdentity

enum WorkspaceListView {
    static func render(_ memberships: [WorkspaceMembership]) -> HTML {
        let rows = memberships.map { m -> HTML in
            "<tr><td><a href=\"/w/\(m.slug)/\">\(m.name)</a></td><td><span class=\"badge\">\(m.role.rawValue)</span></td><td class=\"muted\">\(m.timeZone)</td></tr>"
        }
        let list: HTML =
            memberships.isEmpty
            ? "<p class=\"empty\">You are not in any workspace yet. Create one, or ask a teammate to invite you.</p>"
            : "<table class=\"table\"><thead><tr><th>Workspace</th><th>Your role</th><th>Time zone</th></tr></thead><tbody>\(rows)</tbody></table>"
        return """
            <h1>Your workspaces</h1>
            <section class="card">\(list)
            <p class="actions"><a class="button primary" href="/w/new">New workspace</a></p></section>
            """
    }
}
