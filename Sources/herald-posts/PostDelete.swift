// Deleting a post that has not gone out (Workflow.swift says from which statuses); the audit event
// keeps its title.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostDelete {
    static func delete(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            let post = try PostTransition.load(.delete, id, access, db)
            guard try PostStore.delete(access.id, post: id, status: post.status, db) else { throw PostTransition.changedMeanwhile }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: PostAction.delete.auditAction, targetType: "post", targetID: id,
                details: ["from": post.status.rawValue, "title": post.displayTitle], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/posts?notice=deleted"))
        }
    }
}
