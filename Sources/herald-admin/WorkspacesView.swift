// The workspaces list: the search form, the table (owner, plan, members, balance, created) and pages.
import HeraldHTML
import HeraldSupport

enum WorkspacesView {
    static func render(query: String, page: Int, workspaces: [WorkspaceSummary], total: Int) -> HTML {
        let rows = workspaces.map { w -> HTML in
            """
            <tr><td><a href="/admin/workspaces/\(w.id)">\(w.name)</a><br><span class="muted small">\(w.slug)</span></td>\
            <td class="small"><a href="/admin/users/\(w.ownerID)">\(w.ownerEmail)</a></td><td><span class="badge">\(w.plan)</span></td>\
            <td class="num">\(w.members)</td><td class="num">\(grouped(w.balance))</td><td class="muted small">\(w.created)</td></tr>
            """
        }
        let table: HTML =
            workspaces.isEmpty
            ? "<p class=\"empty\">No workspace matches.</p>"
            : """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Workspaces"><table class="table"><thead><tr><th>Workspace</th><th>Owner</th><th>Plan</th><th class="num">Members</th>\
            <th class="num">Credits</th><th>Created</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        let pager = Pager.render("/admin/workspaces", page: page, total: total, pageSize: WorkspaceDirectory.pageSize) { p in
            [("q", query), ("page", p > 1 ? String(p) : "")]
        }
        return """
            <h1>Workspaces</h1>
            <form class="filters" method="get" action="/admin/workspaces">
            <label>Name or slug <input type="search" name="q" value="\(query)" maxlength="100"></label>
            <button class="button">Search</button> <a href="/admin/workspaces">Clear</a></form>
            <section class="card">\(table)\(pager)</section>
            """
    }
}
