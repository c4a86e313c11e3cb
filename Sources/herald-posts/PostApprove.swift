// Approving a post in review, with an optional comment for the author; never one's own post.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PostApprove {
    static func approve(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let comment = (try c.form()["comment"] ?? "").trimmed
        return try c.inWorkspace(.reviewPosts) { access, db in
            let post = try PostTransition.load(.approve, id, access, db)
            guard comment.count <= 5000 else { throw HTTPError.badRequest("A comment has at most 5,000 characters.") }
            try PostTransition.review(post, decision: "approved", comment: comment, access, db)
            return try PostTransition.move(
                .approve, post, to: .approved, access, db, c, details: comment.isEmpty ? [:] : ["comment": comment],
                notice: "approved"
            ).0
        }
    }
}
