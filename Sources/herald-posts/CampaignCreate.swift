// Creating a campaign from the list page's form; a refused one shows the list again with the errors.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum CampaignCreate {
    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.writePosts) { access, db in
            var (values, errors) = CampaignForm.parse(form)
            if errors.isEmpty {
                let saved = try CampaignStore.save(access.id, id: nil, values, db)
                errors = saved.1
                if let id = saved.0, errors.isEmpty {
                    try Audit.record(
                        db, workspace: access.id, actor: access.user.id, action: "campaign.created", targetType: "campaign", targetID: id,
                        details: ["name": values.name], ip: c.request.remoteAddress)
                    return .redirect(to: access.path("/campaigns/\(id)?notice=campaign-created"))
                }
            }
            values.status = values.status.isEmpty ? "planned" : values.status
            return try CampaignList.respond(c, access, db, values, errors, status: 422)
        }
    }
}
