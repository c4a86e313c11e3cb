// Saving a campaign's edit form; a refused save shows its page again with the errors.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum CampaignUpdate {
    static func update(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let form = try c.form()
        return try c.inWorkspace(.writePosts) { access, db in
            var (values, errors) = CampaignForm.parse(form)
            if errors.isEmpty {
                let saved = try CampaignStore.save(access.id, id: id, values, db)
                errors = saved.1
                if errors.isEmpty {
                    guard saved.0 != nil else { throw HTTPError.notFound }
                    return .redirect(to: access.path("/campaigns/\(id)?notice=campaign-saved"))
                }
            }
            return try CampaignShow.respond(c, access, db, id: id, values: values, errors: errors, status: 422)
        }
    }
}
