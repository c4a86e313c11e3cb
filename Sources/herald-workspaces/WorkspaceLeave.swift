// Leaving a workspace. The owner cannot leave until ownership is transferred.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum WorkspaceLeave {
    static func leave(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in
            guard access.role != .owner else {
                throw HTTPError(
                    409, "Transfer ownership first",
                    "You own \(access.workspace.name). Make another member the owner (Members → Your membership) before you leave.")
            }
            try WorkspaceStore.removeMember(access.id, userID: access.user.id, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "member.left", targetType: "user", targetID: access.user.id,
                ip: c.request.remoteAddress)
            return .redirect(to: "/w?notice=left")
        }
    }
}
