// Unscheduling a post: it goes back to approved and waits for a new time; its queued sends are canceled.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostUnschedule {
    static func unschedule(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.schedulePosts) { access, db in
            let post = try PostTransition.load(.unschedule, id, access, db)
            try PostTransition.refuseWhileSending(.unschedule, post, access, db)
            let (response, _) = try PostTransition.move(.unschedule, post, to: .approved, access, db, c, notice: "unscheduled")
            try PostTransition.stopSends(id, access, db)
            return response
        }
    }
}
