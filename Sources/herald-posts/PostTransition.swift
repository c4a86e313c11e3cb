// What the workflow actions (submit, approve, reject, schedule, unschedule, delete) share: loading
// the post with the role and status check (Workflow.swift), the compare-and-set move with its audit
// event, the review row, and queuing or stopping the post's sends.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldQueue
import HeraldWeb

enum PostTransition {
    /// Loads the post and refuses what the workflow forbids.
    static func load(_ action: PostAction, _ id: Int, _ access: WorkspaceAccess, _ db: Connection) throws -> PostRecord {
        guard let post = try PostStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
        if let refusal = action.refusal(status: post.status, role: access.role, userIsAuthor: post.authorID == access.user.id) { throw refusal }
        // Four eyes on the text itself: whoever wrote the version under review (an admin who edited
        // someone's post, say) cannot approve or reject it either.
        if action == .approve || action == .reject, try PostStore.lastEditor(access.id, post: post.id, db) == access.user.id {
            throw HTTPError(403, "You edited this version", "You made the latest changes to this post, so someone else must review it.")
        }
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

    /// Refuses to change a post one of whose targets the worker is sending right now (the post may
    /// still say scheduled for that moment): rescheduling or editing it then could send it twice.
    static func refuseWhileSending(_ action: PostAction, _ post: PostRecord, _ access: WorkspaceAccess, _ db: Connection) throws {
        guard try PublishingStore.isSending(access.id, post: post.id, db) else { return }
        throw HTTPError(
            409, "Not possible now",
            "This post cannot be \(action.pastTense) now: it is being published now, to one of its channels. Look again in a minute.")
    }

    /// Queues the post's sends for `runAt` at `version` (in the scheduling transaction): the sends
    /// queued before are canceled, every target starts again as pending, and each gets one job,
    /// keyed by target and version so that asking twice queues it once, and serialized per account.
    static func queueSends(_ post: Int, version: Int, runAt: String, _ access: WorkspaceAccess, _ db: Connection) throws {
        try Jobs.cancelQueued(db, workspace: access.id, post: post, kinds: [PublishingStore.publishKind])
        for target in try PublishingStore.resetTargets(access.id, post: post, db) {
            try Jobs.enqueue(
                db, workspace: access.id, kind: PublishingStore.publishKind,
                payload: ["post": String(post), "target": String(target.id), "version": String(version), "account": String(target.account)],
                runAt: runAt, key: "post_target:\(target.id):v\(version)", serialKey: "account:\(target.account)")
        }
    }

    /// Stops the post's queued sends (unscheduled, edited): the jobs are canceled and its targets wait as pending again.
    static func stopSends(_ post: Int, _ access: WorkspaceAccess, _ db: Connection) throws {
        try Jobs.cancelQueued(db, workspace: access.id, post: post, kinds: [PublishingStore.publishKind])
        _ = try PublishingStore.resetTargets(access.id, post: post, db)
    }

    /// The review row; PostgreSQL refuses it too when the reviewer wrote the post.
    static func review(_ post: PostRecord, decision: String, comment: String, _ access: WorkspaceAccess, _ db: Connection) throws {
        guard try PostStore.addReview(access.id, post: post, reviewer: access.user.id, decision: decision, comment: comment, db) else {
            throw HTTPError(403, "Not your own post", "You wrote this post, so someone else must review it.")
        }
    }
}
