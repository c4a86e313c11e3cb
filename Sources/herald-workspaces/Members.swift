// /w/{slug}/members: the team with roles, open invitations, and (for owners and admins) the
// forms to invite, change roles and remove; every member can leave, the owner can transfer.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum Members {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in
            try respond(c, access, db, flash: Notice.from(c))
        }
    }

    /// Loads the members (and, for those who manage them, the open invitations) and shows the
    /// page; also the answer to a refused invitation, with the form filled in again.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, flash: Flash? = nil,
        inviteEmail: String = "", inviteRole: Role = .editor, inviteError: String? = nil, status: Int = 200
    ) throws -> Response {
        let members = try WorkspaceStore.members(access.id, db)
        let csrf = Layout.csrfField(try c.csrfToken())
        let invitations = access.role.may(.manageMembers) ? try InvitationStore.open(access.id, db) : []
        let invite = MembersView.InviteForm(email: inviteEmail, role: inviteRole, error: inviteError)
        return try c.page(
            "Members · \(access.workspace.name)", flash: flash, current: access.path("/members"), status: status,
            MembersView.render(access, members: members, invitations: invitations, invite: invite, csrf: csrf))
    }
}

/// Parses the `{user}` path parameter; anything but a number is not found.
func userParameter(_ c: RequestContext) throws -> Int {
    guard let id = Int(try c.parameter("user")), id > 0 else { throw HTTPError.notFound }
    return id
}
