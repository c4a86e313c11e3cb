// Revoking an open invitation: its link stops working.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum InvitationRevoke {
    static func revoke(_ c: RequestContext) throws -> Response {
        guard let id = Int(try c.parameter("id")), id > 0 else { throw HTTPError.notFound }
        return try c.inWorkspace(.manageMembers) { access, db in
            guard try InvitationStore.revoke(access.id, id: id, db) else { throw HTTPError.notFound }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "member.invitation_revoked", targetType: "invitation",
                targetID: id, ip: c.request.remoteAddress)
            return .redirect(to: access.path("/members?notice=revoked"))
        }
    }
}
