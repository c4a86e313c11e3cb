// Editing a post. The form carries the version it was opened at: if the post changed meanwhile
// the save is refused with "changed since you opened it" (optimistic locking) and the text kept.
// Saving an approved or scheduled post sends it back to draft (its queued sends canceled); every
// save is a new revision.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostEdit {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            guard let post = try PostStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
            if let refusal = PostAction.edit.refusal(status: post.status, role: access.role, userIsAuthor: post.authorID == access.user.id) {
                throw refusal
            }
            let choices = try PostForm.Choices.load(access.id, db)
            var targets: [Int: String?] = [:]
            for target in try PostStore.targets(access.id, post: id, timeZone: access.user.timeZone, db) {
                targets[target.account.id] = target.bodyOverride
            }
            let content = PostContent(
                title: post.title, body: post.body, campaignID: post.campaignID,
                tagIDs: try PostStore.tagIDs(access.id, post: id, db), newTags: [], targets: targets)
            return try render(c, access, post, choices, content, version: post.version, errors: [:])
        }
    }

    static func save(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let form = try c.form()
        return try c.inWorkspace(.writePosts) { access, db in
            guard let post = try PostStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
            if let refusal = PostAction.edit.refusal(status: post.status, role: access.role, userIsAuthor: post.authorID == access.user.id) {
                throw refusal
            }
            try PostTransition.refuseWhileSending(.edit, post, access, db)
            guard let version = Int(form["version"] ?? "") else {
                throw HTTPError.badRequest("The form is missing the post's version; reload the page.")
            }
            let choices = try PostForm.Choices.load(access.id, db)
            let (content, errors) = PostForm.parse(form, choices)
            if !errors.isEmpty { return try render(c, access, post, choices, content, version: version, errors: errors, status: 422) }
            guard try PostStore.update(access.id, post: id, version: version, editor: access.user.id, content, db) else {
                var conflict = errors
                conflict["conflict"] =
                    "This post changed since you opened it (someone saved it or moved it on). Your text is below; reload the post to see theirs, then save again."
                let current = try PostStore.find(access.id, id: id, timeZone: access.user.timeZone, db)
                return try render(c, access, post, choices, content, version: current?.version ?? version, errors: conflict, status: 409)
            }
            try PostTransition.stopSends(id, access, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: PostAction.edit.auditAction, targetType: "post", targetID: id,
                details: ["from": post.status.rawValue, "to": "draft"], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/posts/\(id)?notice=saved"))
        }
    }

    static func render(
        _ c: RequestContext, _ access: WorkspaceAccess, _ post: PostRecord, _ choices: PostForm.Choices, _ content: PostContent,
        version: Int, errors: [String: String], status: Int = 200
    ) throws -> Response {
        try c.page(
            "Edit post · \(access.workspace.name)", current: access.path("/posts"), status: status,
            PostFormView.editPost(access, post, choices, content, version: version, errors: errors, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
