// The users list: the search form, the table (status, email confirmed, last login, created) and pages.
import HeraldHTML
import HeraldSupport

enum UsersView {
    static func render(_ filter: UserStore.Filter, users: [UserSummary], total: Int, viewer: Int) -> HTML {
        func items(page: Int) -> [(String, String)] {
            [("q", filter.query), ("status", filter.status), ("verified", filter.verified), ("page", page > 1 ? String(page) : "")]
        }
        let rows = users.map { u -> HTML in
            """
            <tr><td><a href="/admin/users/\(u.id)">\(u.name)</a>\(u.id == viewer ? HTML(" <span class=\"badge info\">you</span>") : HTML())\
            \(u.siteAdmin ? HTML(" <span class=\"badge accent\">site admin</span>") : HTML())<br><span class="muted small">\(u.email)</span></td>\
            <td>\(status(u))</td><td>\(verified(u))</td><td class="muted small">\(u.lastLogin ?? "never")</td>\
            <td class="muted small">\(u.created)</td></tr>
            """
        }
        let table: HTML =
            users.isEmpty
            ? "<p class=\"empty\">No user matches.</p>"
            : """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Users"><table class="table"><thead><tr><th>User</th><th>Status</th><th>Email</th><th>Last login</th>\
            <th>Created</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        return """
            <h1>Users</h1>
            <form class="filters" method="get" action="/admin/users">
            <label>Email or name <input type="search" name="q" value="\(filter.query)" maxlength="254"></label>
            <label>Status <select name="status">\(options([("", "Any"), ("active", "Active"), ("locked", "Locked")], filter.status))</select></label>
            <label>Email confirmed <select name="verified">\(options([("", "Either"), ("yes", "Confirmed"), ("no", "Not confirmed")], filter.verified))</select></label>
            <button class="button">Search</button> <a href="/admin/users">Clear</a></form>
            <section class="card">\(table)\(Pager.render("/admin/users", page: filter.page, total: total, pageSize: UserStore.pageSize, items: items))</section>
            """
    }

    static func status(_ u: UserSummary) -> HTML {
        u.locked ? "<span class=\"badge danger\">locked</span>" : "<span class=\"badge ok\">active</span>"
    }

    static func verified(_ u: UserSummary) -> HTML {
        u.verified ? "<span class=\"badge muted\">confirmed</span>" : "<span class=\"badge warn\">not confirmed</span>"
    }
}

/// `<option>`s from (value, label) pairs with one selected.
func options(_ items: [(String, String)], _ selected: String) -> HTML {
    HTML.join(
        items.map { item -> HTML in
            item.0 == selected ? "<option value=\"\(item.0)\" selected>\(item.1)</option>" : "<option value=\"\(item.0)\">\(item.1)</option>"
        })
}

/// Offset pages: "← Newer · Page 2 of 7 (312) · Older →".
enum Pager {
    static func render(_ path: String, page: Int, total: Int, pageSize: Int, items: (Int) -> [(String, String)]) -> HTML {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        guard pages > 1 else { return total > 0 ? "<p class=\"muted small\">\(grouped(total)) in all.</p>" : HTML() }
        let previous: HTML = page > 1 ? "<a href=\"\(link(path, items(page - 1)))\" rel=\"prev\">← Previous</a>" : "<span></span>"
        let next: HTML = page < pages ? "<a href=\"\(link(path, items(page + 1)))\" rel=\"next\">Next →</a>" : "<span></span>"
        return
            "<nav class=\"pagination\" aria-label=\"Pages\">\(previous)<span>Page \(page) of \(pages) (\(grouped(total)) in all)</span>\(next)</nav>"
    }
}
