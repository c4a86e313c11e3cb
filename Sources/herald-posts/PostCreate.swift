// Writing a new post: saved as a draft with revision 1.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostCreate {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.writePosts) { access, db in
            let choices = try PostForm.Choices.load(access.id, db)
            var content = PostContent(title: nil, body: "", campaignID: nil, tagIDs: [], newTags: [], targets: [:])
            if let campaign = c.request.query["campaign"].flatMap(Int.init), choices.campaigns.contains(where: { $0.id == campaign }) {
                content.campaignID = campaign
            }
            return try render(c, access, choices, content, errors: [:])
        }
    }

    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.writePosts) { access, db in
            let choices = try PostForm.Choices.load(access.id, db)
            let (content, errors) = PostForm.parse(form, choices)
            if !errors.isEmpty { return try render(c, access, choices, content, errors: errors, status: 422) }
            let id = try PostStore.create(access.id, author: access.user.id, content, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "post.created", targetType: "post", targetID: id,
                details: ["to": "draft"], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/posts/\(id)?notice=created"))
        }
    }

    static func render(
        _ c: RequestContext, _ access: WorkspaceAccess, _ choices: PostForm.Choices, _ content: PostContent,
        errors: [String: String], status: Int = 200
    ) throws -> Response {
        try c.page(
            "New post · \(access.workspace.name)", current: access.path("/posts"), status: status,
            PostFormView.newPost(access, choices, content, errors: errors, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
