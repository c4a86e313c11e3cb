// Removing a member (not the owner; to remove yourself, leave).
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum MemberRemove {
    static func destroy(_ c: RequestContext) throws -> Response {
        let target = try userParameter(c)
        return try c.inWorkspace(.manageMembers) { access, db in
            guard let member = try WorkspaceStore.member(access.id, userID: target, db) else { throw HTTPError.notFound }
            guard member.role != .owner else {
                throw HTTPError(409, "The owner cannot be removed", "Ownership must be transferred to someone else first.")
            }
            guard target != access.user.id else {
                throw HTTPError(409, "Use “Leave workspace”", "To remove yourself, leave the workspace from the Members page.")
            }
            try WorkspaceStore.removeMember(access.id, userID: target, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "member.removed", targetType: "user", targetID: target,
                details: ["role": member.role.rawValue], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/members?notice=removed"))
        }
    }
}
