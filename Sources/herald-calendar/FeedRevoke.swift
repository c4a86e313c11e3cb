// Turning off one's calendar feed: the address stops working at once (404).
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum FeedRevoke {
    static func revoke(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in
            if try FeedStore.revoke(workspace: access.id, user: access.user.id, db) {
                try Audit.record(db, workspace: access.id, actor: access.user.id, action: "calendar.feed_revoked", ip: c.request.remoteAddress)
            }
            return .redirect(to: access.path("/calendar?notice=feed-off"))
        }
    }
}
