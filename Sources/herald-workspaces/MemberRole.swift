// Changing a member's role. The owner's role changes only by transferring ownership.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum MemberRole {
    static func update(_ c: RequestContext) throws -> Response {
        let target = try userParameter(c)
        let role = Role(rawValue: try c.form()["role"] ?? "")
        return try c.inWorkspace(.manageMembers) { access, db in
            guard let member = try WorkspaceStore.member(access.id, userID: target, db) else { throw HTTPError.notFound }
            guard let role, Role.assignable.contains(role) else {
                throw HTTPError.badRequest("Choose one of the roles admin, editor, reviewer or viewer.")
            }
            guard member.role != .owner else {
                throw HTTPError(
                    409, "Transfer ownership first", "The owner's role changes only by making someone else the owner (Members → Your membership).")
            }
            try WorkspaceStore.setRole(access.id, userID: target, role: role, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "member.role_changed", targetType: "user", targetID: target,
                details: ["from": member.role.rawValue, "to": role.rawValue], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/members?notice=role-changed"))
        }
    }
}
