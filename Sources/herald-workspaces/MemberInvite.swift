// Inviting someone by email: a single-use link valid for 7 days (to the outbox without a mail server).
import HeraldBilling
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum MemberInvite {
    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.manageMembers) { access, db in
            let email = (form["email"] ?? "").trimmed
            let role = Role(rawValue: form["role"] ?? "")
            var error: String?
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if email.isEmpty {
                error = "Enter the email address to invite."
            } else if email.utf8.count > 254 || parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty || email.contains(where: \.isWhitespace) {
                error = "Enter an email address like name@example.com."
            } else if try WorkspaceStore.isMember(access.id, email: email, db) {
                error = "\(email) is already a member of this workspace."
            }
            guard let role, Role.assignable.contains(role) else {
                throw HTTPError.badRequest("Choose one of the roles admin, editor, reviewer or viewer.")
            }
            if let error {
                return try Members.respond(c, access, db, inviteEmail: email, inviteRole: role, inviteError: error, status: 422)
            }
            // Members and open invitations count against the plan (a re-invitation replaces its own).
            do {
                try PlanLimits.check(db, workspace: access.id, .members, exceptInvitationTo: email)
            } catch let limit as PlanLimitError {
                return try Members.respond(
                    c, access, db, flash: Flash(.error, limit.message), inviteEmail: email, inviteRole: role, status: limit.refusal.httpStatus)
            }
            let token = try InvitationStore.invite(access.id, email: email, role: role, by: access.user.id, db)
            try Mailer.send(
                db, to: email, subject: "\(access.user.name) invited you to \(access.workspace.name) on Herald",
                body: """
                    Hello,

                    \(access.user.name) invited you to join \(access.workspace.name) on Herald as \(role.withArticle).

                    Accept the invitation here:

                    \(c.config.baseURL)/invitations/\(token)

                    The link works once and expires in 7 days. Log in (or sign up) with this email address to accept it.
                    """, config: c.config)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "member.invited", details: ["email": email, "role": role.rawValue],
                ip: c.request.remoteAddress)
            return .redirect(to: access.path("/members?notice=invited"))
        }
    }
}
