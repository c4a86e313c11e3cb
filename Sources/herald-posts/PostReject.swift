// Rejecting a post in review: a comment saying what needs to change is required; never one's own post.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PostReject {
    static func reject(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let comment = (try c.form()["comment"] ?? "").trimmed
        return try c.inWorkspace(.reviewPosts) { access, db in
            let post = try PostTransition.load(.reject, id, access, db)
            guard !comment.isEmpty else {
                return try PostShow.respond(c, access, post, db, reviewError: "Say what needs to change: a rejection needs a comment.", status: 422)
            }
            guard comment.count <= 5000 else { throw HTTPError.badRequest("A comment has at most 5,000 characters.") }
            try PostTransition.review(post, decision: "rejected", comment: comment, access, db)
            return try PostTransition.move(.reject, post, to: .rejected, access, db, c, details: ["comment": comment], notice: "rejected").0
        }
    }
}
