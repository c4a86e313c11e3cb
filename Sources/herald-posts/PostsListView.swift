// The posts list page: status tabs with counts, the filter form, the table and pagination.
import HeraldHTML
import HeraldIdentity
import HeraldSupport

enum PostsListView {
    /// What the filter form's selects offer.
    struct Choices {
        let campaigns: [(id: Int, name: String)]
        let channels: [(id: Int, name: String)]
        let tags: [(id: Int, name: String)]
        let authors: [(id: Int, name: String)]
    }

    static func html(
        _ access: WorkspaceAccess, _ filter: PostsList.Filter, rows: [PostsListStore.Row], hasMore: Bool,
        counts: [PostStatus: Int], capped: Bool, choices: Choices
    ) -> HTML {
        let base = access.path("/posts")
        let total: String = capped ? "\(PostsListStore.searchCandidates)+" : String(counts.values.reduce(0, +))
        var tabs: [HTML] = [
            filter.status == nil
                ? "<a aria-current=\"page\" href=\"\(base)\(filter.link(status: .some(nil)))\">All <span class=\"count\">\(total)</span></a>"
                : "<a href=\"\(base)\(filter.link(status: .some(nil)))\">All <span class=\"count\">\(total)</span></a>"
        ]
        for status in PostStatus.allCases where counts[status, default: 0] > 0 || status == filter.status {
            let href = base + filter.link(status: .some(status))
            tabs.append(
                status == filter.status
                    ? "<a aria-current=\"page\" href=\"\(href)\">\(status.label) <span class=\"count\">\(counts[status, default: 0])</span></a>"
                    : "<a href=\"\(href)\">\(status.label) <span class=\"count\">\(counts[status, default: 0])</span></a>")
        }
        func options(_ items: [(id: Int, name: String)], selected: Int?) -> HTML {
            HTML.join(
                items.map { i -> HTML in
                    i.id == selected ? "<option value=\"\(i.id)\" selected>\(i.name)</option>" : "<option value=\"\(i.id)\">\(i.name)</option>"
                })
        }
        let tableRows = rows.map { r -> HTML in
            """
            <tr><td><a href="\(base)/\(r.id)">\(r.title)</a>\(r.campaign.map { HTML("<br><span class=\"muted small\">\($0)</span>") })</td>\
            <td><span class="badge \(r.status.badgeClass)">\(r.status.label)</span></td><td class="small">\(r.channels.isEmpty ? "—" : r.channels)</td>\
            <td class="muted small">\(r.scheduled ?? "—")</td><td class="muted small">\(r.author ?? "—")</td></tr>
            """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(filter.query == nil ? "No posts here yet." : "No posts match “\(filter.query!)”.")</p>"
            : "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Posts\"><table class=\"table\"><thead><tr><th>Post</th><th>Status</th><th>Channels</th><th>Scheduled</th><th>Author</th></tr></thead><tbody>\(rows.isEmpty ? [] : tableRows)</tbody></table></div>"
        var pager: [HTML] = []
        if filter.page > 1 { pager.append("<a href=\"\(base)\(filter.link(page: filter.page - 1))\">← Previous</a>") }
        pager.append("<span>Page \(filter.page)</span>")
        if hasMore { pager.append("<a href=\"\(base)\(filter.link(page: filter.page + 1))\">Next →</a>") }
        let canWrite = access.role.may(.writePosts)
        return """
            <div class="page-head"><h1>Posts</h1><p class="actions">\(canWrite ? HTML("<a class=\"button primary\" href=\"\(base)/new\">New post</a> <a class=\"button\" href=\"\(base)/import\">Import CSV</a> ") : HTML())\
            <a class="button" href="\(access.path("/posts.csv"))\(filter.link())">Export CSV</a> <a class="button" href="\(access.path("/campaigns"))">Campaigns</a></p></div>
            <nav class="tabs" aria-label="Status">\(tabs)</nav>
            <form class="filters" method="get" action="\(base)">
            \(filter.status.map { HTML("<input type=\"hidden\" name=\"status\" value=\"\($0.rawValue)\">") })
            <label>Search <input type="search" name="q" value="\(filter.query ?? "")" placeholder="Words in the post"></label>
            <label>Campaign <select name="campaign"><option value="">Any</option>\(options(choices.campaigns, selected: filter.campaign))</select></label>
            <label>Channel <select name="channel"><option value="">Any</option>\(options(choices.channels, selected: filter.channel))</select></label>
            <label>Tag <select name="tag"><option value="">Any</option>\(options(choices.tags, selected: filter.tag))</select></label>
            <label>Author <select name="author"><option value="">Anyone</option>\(options(choices.authors, selected: filter.author))</select></label>
            <button class="button">Filter</button> <a href="\(base)">Clear</a></form>
            \(capped ? HTML("<p class=\"muted small\">Many posts match “\(filter.query ?? "")”: these are the best of the \(PostsListStore.searchCandidates) newest matches, and the counts above count only those. Add words to narrow the search.</p>") : HTML())
            <section class="card">\(table)<nav class="pagination" aria-label="Pages">\(pager)</nav></section>
            """
    }
}
