// "Cancel" on the publishing page: a pending send is not made. When no channel of the post is left
// to send to, the post goes back to approved (its time cleared) and waits for a new one; otherwise
// a post being published takes its status from the targets left.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum TargetCancel {
    static func cancel(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.schedulePosts) { access, db in
            let target = try PublishingActions.load(.cancel, id, access, db)
            guard try PublishingStore.cancel(access.id, target: id, db) else { throw PublishingActions.changedMeanwhile }
            try PublishingStore.cancelJobs(access.id, target: id, post: target.postID, kinds: [PublishingStore.publishKind], db)
            try PublishingActions.record(.cancel, target, access, db, c)
            guard try PublishingStore.activeTargets(access.id, post: target.postID, db) == 0 else {
                // A scheduled post keeps its status until its time comes (refreshing now would say "publishing").
                if target.postStatus != .scheduled { try PublishingStore.refreshPost(access.id, post: target.postID, db) }
                return PublishingActions.back(access, notice: "send-canceled")
            }
            guard try PostStore.transition(access.id, post: target.postID, from: target.postStatus, to: .approved, db) != nil else {
                throw PublishingActions.changedMeanwhile
            }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: PostAction.unschedule.auditAction, targetType: "post",
                targetID: target.postID, details: ["from": target.postStatus.rawValue, "to": PostStatus.approved.rawValue, "why": "no channel left"],
                ip: c.request.remoteAddress)
            return PublishingActions.back(access, notice: "send-canceled-unscheduled")
        }
    }
}
