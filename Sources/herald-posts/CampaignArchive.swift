// Archiving a campaign: it stays with its posts, listed last.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum CampaignArchive {
    static func archive(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            guard try CampaignStore.archive(access.id, id: id, db) else { throw HTTPError.notFound }
            return .redirect(to: access.path("/campaigns/\(id)?notice=campaign-archived"))
        }
    }
}
