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
            try render(c, access, db, flash: Notice.from(c))
        }
    }

    static func render(_ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, flash: Flash? = nil,
                       inviteEmail: String = "", inviteRole: Role = .editor, inviteError: String? = nil, status: Int = 200) throws -> Response {
        let members = try WorkspaceStore.members(access.id, db)
        let canManage = access.role.may(.manageMembers)
        let csrf = Layout.csrfField(try c.csrfToken())
        let roleOptions = Role.assignable.map(\.rawValue)
        let rows = members.map { m -> HTML in
            var actions = HTML()
            if canManage && m.role != .owner {
                actions = """
                    <form method="post" action="\(access.path("/members/\(m.userID)/role"))" class="inline">\(csrf)\
                    <label class="visually-hidden" for="role-\(m.userID)">Role of \(m.name)</label>\
                    <select id="role-\(m.userID)" name="role">\(PrerenderedOptions(roleOptions).html(selected: m.role.rawValue))</select> \
                    <button class="button small">Change</button></form>
                    """
                if m.userID != access.user.id {
                    actions.append("""
                         <form method="post" action="\(access.path("/members/\(m.userID)/remove"))" class="inline">\(csrf)\
                        <button class="button small danger">Remove</button></form>
                        """)
                }
            }
            let you: HTML = m.userID == access.user.id ? " <span class=\"badge info\">you</span>" : ""
            return "<tr><td>\(m.name)\(you)<br><span class=\"muted small\">\(m.email)</span></td><td><span class=\"badge\">\(m.role.rawValue)</span></td><td class=\"muted\">\(m.since)</td><td>\(actions)</td></tr>"
        }
        var invitations = HTML()
        if canManage {
            let open = try WorkspaceStore.openInvitations(access.id, db)
            let inviteRows = open.map { i -> HTML in
                """
                <tr><td>\(i.email)</td><td><span class="badge">\(i.role.rawValue)</span></td>\
                <td class="muted">\(i.sentOn)\(i.invitedBy.map { HTML(" by \($0)") })\(i.expired ? HTML(" <span class=\"badge warn\">expired</span>") : HTML())</td>\
                <td><form method="post" action="\(access.path("/invitations/\(i.id)/revoke"))" class="inline">\(csrf)<button class="button small">Revoke</button></form></td></tr>
                """
            }
            invitations = """
                <section class="card"><h2>Invite someone</h2>
                <form class="form" method="post" action="\(access.path("/members/invite"))" novalidate>\(csrf)
                \(Form.field("email", label: "Email", type: "email", value: inviteEmail, error: inviteError, maxLength: 254))
                \(Form.select("role", label: "Role", options: roleOptions, selected: inviteRole.rawValue))
                <div class="actions"><button class="button primary">Send invitation</button></div></form>
                \(open.isEmpty ? HTML() : HTML("<h3>Open invitations</h3><table class=\"table\"><tbody>\(inviteRows)</tbody></table>"))
                </section>
                """
        }
        var yourMembership: HTML
        if access.role == .owner {
            let others = members.filter { $0.userID != access.user.id }
            yourMembership = others.isEmpty
                ? "<p>You are the owner. To leave, first invite someone and transfer ownership to them.</p>"
                : """
                <p>You are the owner. To leave or step down, first make another member the owner; you become an admin.</p>
                <form class="form" method="post" action="\(access.path("/transfer"))">\(csrf)
                <div class="field"><label for="new_owner">New owner</label><select id="new_owner" name="user">\(others.map { m -> HTML in
                    "<option value=\"\(m.userID)\">\(m.name) (\(m.email))</option>" })</select></div>
                <div class="actions"><button class="button">Transfer ownership</button></div></form>
                """
        } else {
            yourMembership = """
                <form method="post" action="\(access.path("/leave"))">\(csrf)<p>Leave \(access.workspace.name)? You lose access to it at once.</p>\
                <button class="button danger">Leave workspace</button></form>
                """
        }
        return try c.page("Members · \(access.workspace.name)", flash: flash, current: access.path("/members"), status: status, """
            <h1>Members</h1>
            <section class="card"><div class="table-scroll"><table class="table"><thead><tr><th>Member</th><th>Role</th><th>Since</th><th></th></tr></thead>
            <tbody>\(rows)</tbody></table></div></section>
            \(invitations)
            <section class="card"><h2>Roles</h2><dl class="details">\(Role.allCases.map { r -> HTML in "<dt>\(r.label)</dt><dd>\(r.summary)</dd>" })</dl></section>
            <section class="card"><h2>Your membership</h2>\(yourMembership)</section>
            """)
    }
}

/// Parses the `{user}` path parameter; anything but a number is not found.
func userParameter(_ c: RequestContext) throws -> Int {
    guard let id = Int(try c.parameter("user")), id > 0 else { throw HTTPError.notFound }
    return id
}
