// "It is live: here is its URL" on the publishing page: a send whose outcome Herald could not learn
// is confirmed by hand with the post's address, and counts as published from then on (its queued
// check is canceled). Only an http(s) address of at most 2,048 characters is taken.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum TargetMarkLive {
    static func markLive(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let url = (try c.form()["url"] ?? "").trimmed
        return try c.inWorkspace(.schedulePosts) { access, db in
            let target = try PublishingActions.load(.markLive, id, access, db)
            if let problem = PublishingActions.liveURLProblem(url) {
                return try PublishingShow.respond(c, access, db, live: PublishingView.LiveForm(target: id, url: url, error: problem), status: 422)
            }
            guard try PublishingStore.markLive(access.id, target: id, url: url, db) else { throw PublishingActions.changedMeanwhile }
            try PublishingStore.cancelJobs(access.id, target: id, post: target.postID, kinds: [PublishingStore.reconcileKind], db)
            try PublishingStore.refreshPost(access.id, post: target.postID, db)
            try PublishingActions.record(.markLive, target, access, db, c, details: ["url": url])
            return PublishingActions.back(access, notice: "marked-live")
        }
    }
}
