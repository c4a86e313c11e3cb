// Deleting a post that has not gone out (Workflow.swift says from which statuses) with its queued
// jobs; the audit event keeps its title.
import HeraldFastCGI
import HeraldIdentity
import HeraldQueue
import HeraldWeb

enum PostDelete {
    static func delete(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            let post = try PostTransition.load(.delete, id, access, db)
            try PostTransition.refuseWhileSending(.delete, post, access, db)
            // Its jobs would outlive it (they name the post in their payload, not by a foreign key).
            try Jobs.cancelQueued(db, workspace: access.id, post: id, kinds: [PublishingStore.publishKind, PublishingStore.reconcileKind])
            guard try PostStore.delete(access.id, post: id, status: post.status, db) else { throw PostTransition.changedMeanwhile }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: PostAction.delete.auditAction, targetType: "post", targetID: id,
                details: ["from": post.status.rawValue, "title": post.displayTitle], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/posts?notice=deleted"))
        }
    }
}
