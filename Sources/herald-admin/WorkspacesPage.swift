// GET /admin/workspaces: every workspace with its plan, members and credit balance, searched by name
// or slug, newest first, 50 a page.
import HeraldFastCGI
import HeraldWeb

enum WorkspacesPage {
    static func show(_ c: RequestContext) throws -> Response {
        let query = try Param.text(c, "q", limit: 100)
        let page = try Param.page(c)
        return try AdminGate.transaction(c) { user, db in
            let total = try WorkspaceDirectory.count(query: query, db)
            try Param.requireExists(page: page, total: total, pageSize: WorkspaceDirectory.pageSize, "these workspaces")
            let workspaces = try WorkspaceDirectory.page(query: query, page: page, db)
            return try AdminPage.render(
                c, user, db, .workspaces, title: "Workspaces", WorkspacesView.render(query: query, page: page, workspaces: workspaces, total: total))
        }
    }
}
