// The campaigns list: every campaign with its status, dates and post count, and the form for a new one.
import HeraldHTML
import HeraldIdentity

enum CampaignListView {
    /// `values` and `errors` refill the new-campaign form after a refused attempt.
    static func html(_ access: WorkspaceAccess, _ campaigns: [CampaignSummary], _ values: CampaignForm.Values, _ errors: [String: String], csrf: HTML)
        -> HTML
    {
        let rows = campaigns.map { r -> HTML in
            "<tr><td><a href=\"\(access.path("/campaigns/\(r.id)"))\">\(r.name)</a></td><td><span class=\"badge muted\">\(r.status)</span></td><td class=\"muted\">\(r.startsOn) – \(r.endsOn)</td><td>\(r.posts)</td></tr>"
        }
        let form: HTML =
            access.role.may(.writePosts)
            ? """
            <section class="card"><h2>New campaign</h2>\(CampaignFormView.html(access.path("/campaigns"), values, errors, csrf: csrf, label: "Create campaign"))</section>
            """ : HTML()
        return """
            <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> /</p><h1>Campaigns</h1>
            <p>AI drafts are written on a campaign (open one, then "Write drafts with AI") from your \
            <a href="\(access.path("/sources"))">sources</a> in your <a href="\(access.path("/personas"))">personas'</a> voices.</p>
            <section class="card">\(rows.isEmpty ? HTML("<p class=\"empty\">No campaigns yet.</p>")
                : HTML("<table class=\"table\"><thead><tr><th>Campaign</th><th>Status</th><th>Dates</th><th>Posts</th></tr></thead><tbody>\(rows)</tbody></table>"))</section>
            \(form)
            """
    }
}
