// /w/{slug}/campaigns: the workspace's campaigns (the seeds' "projects") and the form for a new one.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum CampaignList {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try respond(c, access, db, CampaignForm.Values(), [:], flash: Notice.from(c)) }
    }

    /// Loads the campaigns and renders the list; CampaignCreate uses it to show the form again with its errors.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, _ values: CampaignForm.Values, _ errors: [String: String],
        flash: Flash? = nil, status: Int = 200
    ) throws -> Response {
        let campaigns = try CampaignStore.list(access.id, db)
        return try c.page(
            "Campaigns · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            CampaignListView.html(access, campaigns, values, errors, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
