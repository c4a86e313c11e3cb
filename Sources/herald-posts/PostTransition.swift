// Moving a post along the workflow: submit, approve, reject, unschedule, delete. Each checks the
// role and the status (Workflow.swift), moves the post with a compare-and-set on its status, and
// records who and when in the audit trail.
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

    static let changedMeanwhile = HTTPError(409, "Changed meanwhile", "Someone moved this post on while you were looking at it. Reload it to see where it is now.")

    /// The transition itself, its audit event, and the redirect back to the post.
    static func move(_ action: PostAction, _ post: PostRecord, to target: PostStatus, _ access: WorkspaceAccess, _ db: Connection,
                     _ c: RequestContext, details: [String: String] = [:], notice: String) throws -> (Response, Int) {
        guard let version = try PostStore.transition(access.id, post: post.id, from: post.status, to: target, db) else { throw changedMeanwhile }
        var all = details
        all["from"] = post.status.rawValue
        all["to"] = target.rawValue
        try Audit.record(db, workspace: access.id, actor: access.user.id, action: action.auditAction, targetType: "post", targetID: post.id,
                         details: all, ip: c.request.remoteAddress)
        return (.redirect(to: access.path("/posts/\(post.id)?notice=\(notice)")), version)
    }

    static func submit(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            let post = try load(.submit, id, access, db)
            let choices = try PostForm.Choices.load(access.id, db)
            var targets: [Int: String?] = [:]
            for target in try PostStore.targets(access.id, post: id, db) { targets[target.account.id] = target.bodyOverride }
            let content = PostContent(title: post.title, body: post.body, campaignID: post.campaignID, tagIDs: [], newTags: [], targets: targets)
            let issues = PostForm.issues(content, choices)
            if issues.contains(where: \.blocks) {
                return try PostShow.render(c, access, post, db, issues: issues, status: 422)
            }
            return try move(.submit, post, to: .inReview, access, db, c, notice: "submitted").0
        }
    }

    static func approve(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let comment = (try c.form()["comment"] ?? "").trimmed
        return try c.inWorkspace(.reviewPosts) { access, db in
            let post = try load(.approve, id, access, db)
            guard comment.count <= 5000 else { throw HTTPError.badRequest("A comment has at most 5,000 characters.") }
            try review(post, decision: "approved", comment: comment, access, db)
            return try move(.approve, post, to: .approved, access, db, c, details: comment.isEmpty ? [:] : ["comment": comment], notice: "approved").0
        }
    }

    static func reject(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let comment = (try c.form()["comment"] ?? "").trimmed
        return try c.inWorkspace(.reviewPosts) { access, db in
            let post = try load(.reject, id, access, db)
            guard !comment.isEmpty else {
                return try PostShow.render(c, access, post, db, reviewError: "Say what needs to change: a rejection needs a comment.", status: 422)
            }
            guard comment.count <= 5000 else { throw HTTPError.badRequest("A comment has at most 5,000 characters.") }
            try review(post, decision: "rejected", comment: comment, access, db)
            return try move(.reject, post, to: .rejected, access, db, c, details: ["comment": comment], notice: "rejected").0
        }
    }

    /// The review row; PostgreSQL refuses it too when the reviewer wrote the post.
    static func review(_ post: PostRecord, decision: String, comment: String, _ access: WorkspaceAccess, _ db: Connection) throws {
        do {
            try db.query("""
                INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''))
                """, [.int(access.id), .int(post.id), .int(post.version), .int(access.user.id), .text(decision), .text(comment)])
        } catch let error as DatabaseError where error.constraint == "reviews_not_self_approval" {
            throw HTTPError(403, "Not your own post", "You wrote this post, so someone else must review it.")
        }
    }

    static func unschedule(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.schedulePosts) { access, db in
            let post = try load(.unschedule, id, access, db)
            return try move(.unschedule, post, to: .approved, access, db, c, notice: "unscheduled").0
        }
    }

    static func delete(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            let post = try load(.delete, id, access, db)
            let deleted = try db.query("DELETE FROM posts WHERE workspace_id = $1 AND id = $2 AND status = $3",
                                       [.int(access.id), .int(id), .text(post.status.rawValue)]).affectedRows
            guard deleted == 1 else { throw changedMeanwhile }
            try Audit.record(db, workspace: access.id, actor: access.user.id, action: PostAction.delete.auditAction, targetType: "post", targetID: id,
                             details: ["from": post.status.rawValue, "title": post.displayTitle], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/posts?notice=deleted"))
        }
    }
}
