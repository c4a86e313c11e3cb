// One user's page: the account, the actions (lock or unlock, end sessions, resend the confirmation
// link, delete), their workspaces, and the newest audit events by or about them.
import HeraldHTML
import HeraldSupport

enum UserView {
    static func render(_ user: UserDetail, memberships: [UserMembership], events: [AuditLine], isSelf: Bool, csrf: HTML) -> HTML {
        let u = user.summary
        let base = "/admin/users/\(u.id)"
        return """
            <p class="small"><a href="/admin/users">← Users</a></p>
            <h1>\(u.name)\(u.siteAdmin ? HTML(" <span class=\"badge accent\">site admin</span>") : HTML())</h1>
            <div class="grid">
            <section class="card"><h2>Account</h2><dl class="details">\
            <dt>Email</dt><dd>\(u.email) \(UsersView.verified(u))</dd><dt>Status</dt><dd>\(UsersView.status(u))</dd>\
            <dt>Last login</dt><dd>\(u.lastLogin ?? "never")</dd><dt>Created</dt><dd>\(u.created)</dd>\
            <dt>Time zone</dt><dd>\(user.timeZone)</dd><dt>Live sessions</dt><dd>\(user.liveSessions)</dd><dt>User id</dt><dd>\(u.id)</dd></dl></section>
            <section class="card"><h2>Actions</h2>\(actions(user, base: base, isSelf: isSelf, csrf: csrf))</section>
            </div>
            <section class="card"><h2>Workspaces</h2>\(workspaces(memberships))</section>
            \(deletion(user, memberships, base: base, isSelf: isSelf, csrf: csrf))
            <section class="card"><h2>Newest events by or about \(u.name)</h2>\(eventList(events, userID: u.id))</section>
            """
    }

    static func actions(_ user: UserDetail, base: String, isSelf: Bool, csrf: HTML) -> HTML {
        let u = user.summary
        let lock: HTML =
            isSelf
            ? "<p class=\"muted small\">You cannot lock your own account here.</p>"
            : u.locked
                ? """
                <form method="post" action="\(base)/unlock">\(csrf)<p>Locked: they cannot log in.</p>\
                <button class="button">Unlock account</button></form>
                """
                : """
                <form method="post" action="\(base)/lock">\(csrf)<p>Locking stops them logging in and ends their sessions at once.</p>\
                <button class="button danger">Lock account</button></form>
                """
        let sessions: HTML = """
            <form method="post" action="\(base)/sessions/end">\(csrf)<p>\(isSelf ? "Log yourself out everywhere but here." : "Log them out everywhere (\(user.liveSessions) live sessions).")</p>\
            <button class="button">End \(isSelf ? "my other" : "all") sessions</button></form>
            """
        let verification: HTML =
            u.verified
            ? "<p class=\"muted small\">Their email address is confirmed.</p>"
            : """
            <form method="post" action="\(base)/verification">\(csrf)<p>Their email address is not confirmed yet.</p>\
            <button class="button">Send a new confirmation link</button></form>
            """
        return lock + sessions + verification
    }

    static func workspaces(_ memberships: [UserMembership]) -> HTML {
        guard !memberships.isEmpty else { return "<p class=\"muted\">They belong to no workspace.</p>" }
        let rows = memberships.map { m -> HTML in
            """
            <tr><td><a href="/admin/workspaces/\(m.workspaceID)">\(m.name)</a><br><span class="muted small">\(m.slug)</span></td>\
            <td><span class="badge">\(m.role)</span></td><td class="num">\(m.members)</td></tr>
            """
        }
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Workspaces"><table class="table"><thead><tr><th>Workspace</th><th>Role</th><th class="num">Members</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }

    /// The delete form, or why there is none.
    static func deletion(_ user: UserDetail, _ memberships: [UserMembership], base: String, isSelf: Bool, csrf: HTML) -> HTML {
        let u = user.summary
        let blocking = memberships.filter(\.blocksDeletion)
        let alone = memberships.filter(\.goesWithUser)
        let body: HTML
        if isSelf {
            body = "<p>You cannot delete your own account here.</p>"
        } else if !blocking.isEmpty {
            let names = blocking.map { m -> HTML in "<li><a href=\"/admin/workspaces/\(m.workspaceID)\">\(m.name)</a> (\(m.members) members)</li>" }
            body = """
                <p>\(u.name) cannot be deleted: they own workspaces that others belong to, and a workspace is never deleted \
                from under its members. Ownership must pass to another member first (the owner does that on the workspace's \
                members page), or the other members must leave.</p><ul>\(names)</ul>
                """
        } else {
            let names: String = alone.map { m -> String in "\(m.name) (\(m.slug))" }.joined(separator: ", ")
            let goes: HTML = alone.isEmpty ? HTML() : "<p>The workspaces only they belong to go with them: \(names).</p>"
            body = """
                <p>Deleting \(u.name) removes the account, its sessions and memberships at once. Their posts and comments stay in \
                their workspaces without an author; the audit log keeps their events. This cannot be undone.</p>\(goes)
                <form class="form" method="post" action="\(base)/delete" novalidate>\(csrf)
                \(Form.field("confirm_email", label: "Type their email address to confirm", autocomplete: "off", maxLength: 254))
                <div class="actions"><button class="button danger">Delete user</button></div></form>
                """
        }
        return "<section class=\"card danger-zone\"><h2>Delete this user</h2>\(body)</section>"
    }

    static func eventList(_ events: [AuditLine], userID: Int) -> HTML {
        guard !events.isEmpty else { return "<p class=\"muted\">No events yet.</p>" }
        let rows = events.map { e -> HTML in
            "<tr><td class=\"small\">\(e.time)</td><td><code>\(e.action)</code></td><td class=\"small\">\(e.ip ?? "")</td></tr>"
        }
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Newest events"><table class="table"><thead><tr><th>Time</th><th>Action</th><th>Address</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            <p><a href="/admin/audit?actor=\(userID)">Everything they did</a></p>
            """
    }
}
