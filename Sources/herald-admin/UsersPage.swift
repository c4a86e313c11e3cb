// GET /admin/users: every account, searched by email or name and filtered by status and whether the
// email is confirmed, newest first, 50 a page.
import HeraldFastCGI
import HeraldWeb

enum UsersPage {
    static func show(_ c: RequestContext) throws -> Response {
        let filter = UserStore.Filter(
            query: try Param.text(c, "q"), status: try Param.choice(c, "status", ["active", "locked"]),
            verified: try Param.choice(c, "verified", ["yes", "no"]), page: try Param.page(c))
        return try AdminGate.transaction(c) { user, db in
            let total = try UserStore.count(filter, db)
            try Param.requireExists(page: filter.page, total: total, pageSize: UserStore.pageSize, "these users")
            let users = try UserStore.page(filter, db)
            return try AdminPage.render(c, user, db, .users, title: "Users", UsersView.render(filter, users: users, total: total, viewer: user.id))
        }
    }
}
