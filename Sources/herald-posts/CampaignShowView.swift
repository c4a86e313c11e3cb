// A campaign's page: its description, its posts grouped by status, and (for writers) the edit form
// and the archive button.
import HeraldHTML
import HeraldIdentity

enum CampaignShowView {
    /// `stored` is the campaign as saved (heading, archive button); `values` fill the edit form, after a refused save what was entered.
    static func html(
        _ access: WorkspaceAccess, id: Int, stored: CampaignForm.Values, values: CampaignForm.Values, errors: [String: String],
        posts: [CampaignPost], csrf: HTML
    ) -> HTML {
        // The posts come in workflow order, so each status's posts are one run.
        var groups: [(PostStatus, [HTML])] = []
        for post in posts {
            let item: HTML = "<li><a href=\"\(access.path("/posts/\(post.id)"))\">\(post.title)</a></li>"
            if groups.last?.0 == post.status { groups[groups.count - 1].1.append(item) } else { groups.append((post.status, [item])) }
        }
        let byStatus = HTML.join(
            groups.map { g -> HTML in "<h3>\(g.0.label) <span class=\"muted small\">\(g.1.count)</span></h3><ul class=\"plain\">\(g.1)</ul>" })
        let canWrite = access.role.may(.writePosts)
        return """
            <p class="muted small"><a href="\(access.path("/campaigns"))">Campaigns</a> /</p>
            <h1>\(stored.name) <span class="badge muted">\(stored.status)</span></h1>
            \(stored.description.isEmpty ? HTML() : HTML("<p class=\"lead\">\(stored.description)</p>"))
            <div class="grid wide-first">
            <section class="card"><h2>Posts</h2>\(posts.isEmpty ? HTML("<p class=\"empty\">No posts in this campaign yet.</p>") : byStatus)
            \(canWrite ? HTML("<p><a class=\"button primary\" href=\"\(access.path("/posts/new?campaign=\(id)"))\">New post in this campaign</a> <a class=\"button\" href=\"\(access.path("/campaigns/\(id)/drafts"))\">Write drafts with AI</a></p>") : HTML())</section>
            \(canWrite ? HTML("""
                <section class="card"><h2>Edit</h2>\(CampaignFormView.html(access.path("/campaigns/\(id)"), values, errors, csrf: csrf, label: "Save campaign"))
                \(stored.status == "archived" ? HTML() : HTML("<form method=\"post\" action=\"\(access.path("/campaigns/\(id)/archive"))\">\(csrf)<button class=\"button small\">Archive campaign</button></form>"))</section>
                """) : HTML())
            </div>
            """
    }
}
