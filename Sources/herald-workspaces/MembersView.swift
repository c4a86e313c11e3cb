// The members page's markup: the team table (with role and remove forms for owners and admins),
// the invitation form and open invitations, what each role may do, and your own membership.
import HeraldHTML
import HeraldIdentity

enum MembersView {
    /// What the invitation form shows again after a refusal.
    struct InviteForm {
        var email = ""
        var role = Role.editor
        var error: String?
    }

    /// `invitations` are the open ones; shown (with the form) only to those who manage members.
    static func render(_ access: WorkspaceAccess, members: [Member], invitations: [OpenInvitation], invite: InviteForm, csrf: HTML) -> HTML {
        let canManage = access.role.may(.manageMembers)
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
                    actions.append(
                        """
                         <form method="post" action="\(access.path("/members/\(m.userID)/remove"))" class="inline">\(csrf)\
                        <button class="button small danger">Remove</button></form>
                        """)
                }
            }
            let you: HTML = m.userID == access.user.id ? " <span class=\"badge info\">you</span>" : ""
            return
                "<tr><td>\(m.name)\(you)<br><span class=\"muted small\">\(m.email)</span></td><td><span class=\"badge\">\(m.role.rawValue)</span></td><td class=\"muted\">\(m.since)</td><td>\(actions)</td></tr>"
        }
        return """
            <h1>Members</h1>
            <section class="card"><div class="table-scroll" role="region" tabindex="0" aria-label="Members"><table class="table"><thead><tr><th>Member</th><th>Role</th><th>Since</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows)</tbody></table></div></section>
            \(canManage ? inviteSection(access, invitations, invite, roleOptions: roleOptions, csrf: csrf) : HTML())
            <section class="card"><h2>Roles</h2><dl class="details">\(Role.allCases.map { r -> HTML in "<dt>\(r.label)</dt><dd>\(r.summary)</dd>" })</dl></section>
            <section class="card"><h2>Your membership</h2>\(yourMembership(access, members, csrf: csrf))</section>
            """
    }

    static func inviteSection(_ access: WorkspaceAccess, _ open: [OpenInvitation], _ invite: InviteForm, roleOptions: [String], csrf: HTML) -> HTML {
        let inviteRows = open.map { i -> HTML in
            """
            <tr><td>\(i.email)</td><td><span class="badge">\(i.role.rawValue)</span></td>\
            <td class="muted">\(i.sentOn)\(i.invitedBy.map { HTML(" by \($0)") })\(i.expired ? HTML(" <span class=\"badge warn\">expired</span>") : HTML())</td>\
            <td><form method="post" action="\(access.path("/invitations/\(i.id)/revoke"))" class="inline">\(csrf)<button class="button small">Revoke</button></form></td></tr>
            """
        }
        return """
            <section class="card"><h2>Invite someone</h2>
            <form class="form" method="post" action="\(access.path("/members/invite"))" novalidate>\(csrf)
            \(Form.field("email", label: "Email", type: "email", value: invite.email, error: invite.error, maxLength: 254))
            \(Form.select("role", label: "Role", options: roleOptions, selected: invite.role.rawValue))
            <div class="actions"><button class="button primary">Send invitation</button></div></form>
            \(open.isEmpty ? HTML() : HTML("<h3>Open invitations</h3><table class=\"table\"><tbody>\(inviteRows)</tbody></table>"))
            </section>
            """
    }

    /// The owner may transfer ownership (once there is someone to take it); everyone else may leave.
    static func yourMembership(_ access: WorkspaceAccess, _ members: [Member], csrf: HTML) -> HTML {
        guard access.role == .owner else {
            return """
                <form method="post" action="\(access.path("/leave"))">\(csrf)<p>Leave \(access.workspace.name)? You lose access to it at once.</p>\
                <button class="button danger">Leave workspace</button></form>
                """
        }
        let others = members.filter { $0.userID != access.user.id }
        return others.isEmpty
            ? "<p>You are the owner. To leave, first invite someone and transfer ownership to them.</p>"
            : """
            <p>You are the owner. To leave or step down, first make another member the owner; you become an admin.</p>
            <form class="form" method="post" action="\(access.path("/transfer"))">\(csrf)
            <div class="field"><label for="new_owner">New owner</label><select id="new_owner" name="user">\(others.map { m -> HTML in
                "<option value=\"\(m.userID)\">\(m.name) (\(m.email))</option>" })</select></div>
            <div class="actions"><button class="button">Transfer ownership</button></div></form>
            """
    }
}
