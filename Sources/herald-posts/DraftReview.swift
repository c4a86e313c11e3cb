// A person's decision on an AI draft: approve (a post draft is made of it, which then goes through
// the normal review and scheduling) or reject. Only a draft waiting for review can be decided;
// anything else is a 409 that says where the draft is, and changes nothing.
import HeraldContent
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum DraftReview {
    static func approve(_ c: RequestContext) throws -> Response { try decide(c, approve: true) }
    static func reject(_ c: RequestContext) throws -> Response { try decide(c, approve: false) }

    static func decide(_ c: RequestContext, approve: Bool) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            guard let candidate = try DraftStore.lock(access.id, id: id, db) else { throw HTTPError.notFound }
            guard candidate.status.mayReview(), let body = candidate.body else {
                throw HTTPError(
                    409, "Not waiting for review",
                    "This draft is \(candidate.status.label.lowercased()); only a draft waiting for review can be approved or rejected.")
            }
            if approve {
                let post = try DraftStore.approve(
                    access.id, id: id, reviewer: access.user.id, campaign: candidate.campaign, persona: candidate.persona,
                    platform: candidate.platform ?? candidate.kind.fixedPlatform, title: candidate.title, body: body, db)
                try Audit.record(
                    db, workspace: access.id, actor: access.user.id, action: "ai.draft_approved", targetType: "content_candidate", targetID: id,
                    details: ["post": String(post)], ip: c.request.remoteAddress)
                return .redirect(to: access.path("/posts/\(post)?notice=draft-approved"))
            }
            try DraftStore.reject(access.id, id: id, reviewer: access.user.id, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "ai.draft_rejected", targetType: "content_candidate", targetID: id,
                ip: c.request.remoteAddress)
            return .redirect(to: access.path("/campaigns/\(candidate.campaign)/drafts?notice=draft-rejected"))
        }
    }
}
