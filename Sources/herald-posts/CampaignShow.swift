// /w/{slug}/campaigns/{id}: a campaign with its posts by status, and its edit form.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum CampaignShow {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.view) { access, db in try respond(c, access, db, id: id, values: nil, errors: [:], flash: Notice.from(c)) }
    }

    /// Loads the campaign (404 when there is none) and its posts and renders its page; CampaignUpdate
    /// uses it to show the edit form again with what was entered (`values`) and the errors.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, id: Int, values: CampaignForm.Values?, errors: [String: String],
        flash: Flash? = nil, status: Int = 200
    ) throws -> Response {
        guard let stored = try CampaignStore.find(access.id, id: id, db) else { throw HTTPError.notFound }
        let posts = try CampaignStore.posts(access.id, campaign: id, db)
        return try c.page(
            "\(stored.name) · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            CampaignShowView.html(
                access, id: id, stored: stored, values: values ?? stored, errors: errors, posts: posts,
                csrf: Layout.csrfField(try c.csrfToken())))
    }
}
