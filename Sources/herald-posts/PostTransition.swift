// What the workflow actions (submit, approve, reject, schedule, unschedule, delete) share: loading
// the post with the role and status check (Workflow.swift), the compare-and-set move with its audit
// event, and the review row.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostTransition {
    /// Loads the post and refuses what the workflow forbids.
    static func load(_ action: PostAction, _ id: Int, _ access: WorkspaceAccess, _ db: Connection) throws -> PostRecord {
        guard let post = try PostStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
        if let refusal = action.refusal(status: post.status, role: access.role, userIsAuthor: post.authorID == access.user.id) { throw refusal }
        return post
    }

    static let changedMeanwhile = HTTPError(
        409, "Changed meanwhile", "Someone moved this post on while you were looking at it. Reload it to see where it is now.")

    /// The transition itself, its audit event, and the redirect back to the post.
    static func move(
        _ action: PostAction, _ post: PostRecord, to target: PostStatus, _ access: WorkspaceAccess, _ db: Connection,
        _ c: RequestContext, details: [String: String] = [:], notice: String
    ) throws -> (Response, Int) {
        guard let version = try PostStore.transition(access.id, post: post.id, from: post.status, to: target, db) else { throw changedMeanwhile }
        var all = details
        all["from"] = post.status.rawValue
        all["to"] = target.rawValue
        try Audit.record(
            db, workspace: access.id, actor: access.user.id, action: action.auditAction, targetType: "post", targetID: post.id,
            details: all, ip: c.request.remoteAddress)
        return (.redirect(to: access.path("/posts/\(post.id)?notice=\(notice)")), version)
    }

    /// The review row; PostgreSQL refuses it too when the reviewer wrote the post.
    static func review(_ post: PostRecord, decision: String, comment: String, _ access: WorkspaceAccess, _ db: Connection) throws {
        guard try PostStore.addReview(access.id, post: post, reviewer: access.user.id, decision: decision, comment: comment, db) else {
            throw HTTPError(403, "Not your own post", "You wrote this post, so someone else must review it.")
        }
    }
}
