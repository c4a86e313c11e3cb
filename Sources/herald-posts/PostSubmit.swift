// Submitting a draft (or a rejected post) for review. Channel limits and blocking brand rules are
// checked first; with any, the post's page comes back listing them.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostSubmit {
    static func submit(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            let post = try PostTransition.load(.submit, id, access, db)
            let choices = try PostForm.Choices.load(access.id, db)
            var targets: [Int: String?] = [:]
            for target in try PostStore.targets(access.id, post: id, timeZone: access.user.timeZone, db) {
                targets[target.account.id] = target.bodyOverride
            }
            let content = PostContent(title: post.title, body: post.body, campaignID: post.campaignID, tagIDs: [], newTags: [], targets: targets)
            let issues = PostForm.issues(content, choices)
            if issues.contains(where: \.blocks) {
                return try PostShow.respond(c, access, post, db, issues: issues, status: 422)
            }
            return try PostTransition.move(.submit, post, to: .inReview, access, db, c, notice: "submitted").0
        }
    }
}
