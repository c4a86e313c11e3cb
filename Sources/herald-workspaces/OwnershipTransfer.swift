// Transferring ownership to another member; the old owner stays on as an admin.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum OwnershipTransfer {
    static func transfer(_ c: RequestContext) throws -> Response {
        guard let target = Int(try c.form()["user"] ?? ""), target > 0 else { throw HTTPError.badRequest("Choose the member who becomes the owner.") }
        return try c.inWorkspace(.transferOwnership) { access, db in
            guard target != access.user.id, try WorkspaceStore.member(access.id, userID: target, db) != nil else {
                throw HTTPError.badRequest("The new owner must be another member of this workspace.")
            }
            try WorkspaceStore.transferOwnership(access.id, from: access.user.id, to: target, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "workspace.ownership_transferred", targetType: "user",
                targetID: target, ip: c.request.remoteAddress)
            return .redirect(to: access.path("/members?notice=transferred"))
        }
    }
}
