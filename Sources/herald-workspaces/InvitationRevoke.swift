// Revoking an open invitation: its link stops working.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum InvitationRevoke {
    static func revoke(_ c: RequestContext) throws -> Response {
        guard let id = Int(try c.parameter("id")), id > 0 else { throw HTTPError.notFound }
        return try c.inWorkspace(.manageMembers) { access, db in
            let changed = try db.query("""
                UPDATE invitations SET revoked_at = now()
                WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
                """, [.int(access.id), .int(id)]).affectedRows
            guard changed == 1 else { throw HTTPError.notFound }
            try Audit.record(db, workspace: access.id, actor: access.user.id, action: "member.invitation_revoked", targetType: "invitation",
                             targetID: id, ip: c.request.remoteAddress)
            return .redirect(to: access.path("/members?notice=revoked"))
        }
    }
}
