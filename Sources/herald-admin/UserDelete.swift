// POST /admin/users/{id}/delete: sensitive (sudo mode) and confirmed by typing the user's email.
// Refused while they own a workspace that others belong to (a workspace is never deleted from under
// its members); the workspaces they own alone are deleted first, each with itself as the tenant (their
// audit trails stay, detached), then the account with its sessions and memberships. One audit event.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum UserDelete {
    static func destroy(_ c: RequestContext) throws -> Response {
        let id = try Param.id(c, "user")
        let typed = (try c.form()["confirm_email"] ?? "").trimmed
        return try AdminGate.transaction(c) { admin, db in
            guard let user = try UserStore.find(id, db) else { throw HTTPError(404, "Not found", "There is no user \(id).") }
            try AdminGate.requireSudo(admin, db, returnTo: "/admin/users/\(id)")
            guard id != admin.id else { throw HTTPError(409, "Not your own account", "You cannot delete your own account here.") }
            guard typed.lowercased() == user.summary.email.lowercased() else {
                let message =
                    typed.isEmpty
                    ? "Type the user's email address to confirm." : "That is not their email address. Type it exactly: \(user.summary.email)"
                return try UserShow.respond(c, admin, db, id, error: message, status: 400)
            }
            let memberships = try UserStore.memberships(id, db)
            let blocking = memberships.filter(\.blocksDeletion)
            guard blocking.isEmpty else {
                return try UserShow.respond(
                    c, admin, db, id,
                    error:
                        "\(user.summary.name) owns \(blocking.map(\.name).joined(separator: ", ")), which others belong to: ownership must pass to another member first.",
                    status: 409)
            }
            let alone = memberships.filter(\.goesWithUser)
            for workspace in alone {
                try AdminGate.actInWorkspace(workspace.workspaceID, db)
                guard try UserStore.deleteOwnedAlone(workspace.workspaceID, owner: id, db) else {
                    throw HTTPError(
                        409, "Changed meanwhile",
                        "Someone joined \(workspace.name) just now, so \(user.summary.name) was not deleted. Look at the page again.")
                }
            }
            try AdminGate.leaveWorkspace(db)
            try UserStore.delete(id, db)
            try Audit.record(
                db, workspace: nil, actor: admin.id, action: "admin.user_deleted", targetType: "user", targetID: id,
                details: [
                    "email": user.summary.email, "name": user.summary.name,
                    "workspaces_deleted": alone.map { "\($0.workspaceID):\($0.slug)" }.joined(separator: ","),
                ], ip: c.request.remoteAddress)
            return .redirect(to: "/admin/users?notice=user-deleted")
        }
    }
}
