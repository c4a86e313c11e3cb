// /invitations/{token}: whoever holds the emailed link sees the invitation; logged in with the
// invited address, they accept it and become a member. Another address, an expired, revoked or
// used link: each says so.
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum InvitationAccept {
    struct Invitation {
        let id: Int
        let workspaceID: Int
        let workspaceName: String
        let slug: String
        let email: String
        let role: Role
        let inviter: String?
        let accepted: Bool
        let revoked: Bool
        let expired: Bool
    }

    /// The invitation for a token, visible through the token policy; run inside a transaction.
    static func find(_ token: String, _ db: Connection) throws -> Invitation? {
        let hash = Sodium.sha256(token)
        try db.query("SELECT set_config('app.invitation_token', $1, true)", [.text(Sodium.hex(hash))])
        guard let row = try db.queryRow("""
            SELECT i.id, i.workspace_id, w.name, w.slug, i.email, i.role, u.name,
                   i.accepted_at IS NOT NULL, i.revoked_at IS NOT NULL, i.expires_at <= now()
            FROM invitations i JOIN workspaces w ON w.id = i.workspace_id LEFT JOIN users u ON u.id = i.invited_by
            WHERE i.token_hash = $1
            """, [.bytes(hash)]) else { return nil }
        return Invitation(id: try row.int(0), workspaceID: try row.int(1), workspaceName: try row.string(2), slug: try row.string(3),
                          email: try row.string(4), role: Role(rawValue: try row.string(5)) ?? .viewer, inviter: row.optionalString(6),
                          accepted: try row.bool(7), revoked: try row.bool(8), expired: try row.bool(9))
    }

    /// Refuses what cannot be accepted, with the reason.
    static func check(_ invitation: Invitation?) throws -> Invitation {
        guard let invitation else { throw HTTPError(404, "Invitation not valid", "This invitation link is not valid. Check that you copied all of it.") }
        if invitation.accepted { throw HTTPError(410, "Invitation already used", "This invitation was accepted already. If it was you, open your workspaces.") }
        if invitation.revoked { throw HTTPError(410, "Invitation revoked", "This invitation was withdrawn. Ask whoever invited you for a new one.") }
        if invitation.expired { throw HTTPError(410, "Invitation expired", "This invitation has expired (they last 7 days). Ask whoever invited you for a new one.") }
        return invitation
    }

    static func show(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let user = try c.currentUser()
        let invitation = try check(try c.db().transaction(user: user?.id) { db in try find(token, db) })
        let intro: HTML = "<p>\(invitation.inviter ?? "Someone") invited <strong>\(invitation.email)</strong> to join <strong>\(invitation.workspaceName)</strong> as \(invitation.role == .admin || invitation.role == .editor ? "an" : "a") \(invitation.role.rawValue).</p>"
        guard let user else {
            let back = urlEncode("/invitations/\(token)")
            return try c.page("Join \(invitation.workspaceName)", """
                <div class="auth-card card"><h1>Join \(invitation.workspaceName)</h1>\(intro)
                <p>Log in with \(invitation.email) to accept, or create an account with that address first.</p>
                <p class="actions"><a class="button primary" href="/login?next=\(back)">Log in to accept</a> <a class="button" href="/signup?next=\(back)">Create an account</a></p></div>
                """)
        }
        guard user.email.lowercased() == invitation.email.lowercased() else {
            throw HTTPError(403, "This invitation is for someone else",
                            "This invitation is for \(invitation.email), but you are logged in as \(user.email). Log out and log in as \(invitation.email) to accept it.")
        }
        return try c.page("Join \(invitation.workspaceName)", """
            <div class="auth-card card"><h1>Join \(invitation.workspaceName)</h1>\(intro)
            <form method="post" action="/invitations/\(token)">\(Layout.csrfField(try c.csrfToken()))
            <button class="button primary">Accept and join</button></form></div>
            """)
    }

    static func accept(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let user = try c.requireUser()
        return try c.db().transaction(user: user.id) { db in
            let invitation = try check(try find(token, db))
            guard user.email.lowercased() == invitation.email.lowercased() else {
                throw HTTPError(403, "This invitation is for someone else",
                                "This invitation is for \(invitation.email), but you are logged in as \(user.email). Log out and log in as \(invitation.email) to accept it.")
            }
            // The token proved the invitation; from here on the tenant is its workspace.
            try db.query("SELECT set_config('app.invitation_token', '', true)")
            try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(invitation.workspaceID))])
            let claimed = try db.query("""
                UPDATE invitations SET accepted_at = now()
                WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
                """, [.int(invitation.workspaceID), .int(invitation.id)]).affectedRows
            guard claimed == 1 else { throw HTTPError(410, "Invitation already used", "This invitation was accepted already.") }
            do {
                try db.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)",
                             [.int(invitation.workspaceID), .int(user.id), .text(invitation.role.rawValue)])
            } catch let error as DatabaseError where error.isUniqueViolation {
                throw HTTPError(409, "Already a member", "You are already a member of \(invitation.workspaceName).")
            }
            // The link reached this address, which confirms it.
            try db.query("UPDATE users SET email_verified_at = now() WHERE id = $1 AND email_verified_at IS NULL", [.int(user.id)])
            try Audit.record(db, workspace: invitation.workspaceID, actor: user.id, action: "member.joined", targetType: "user", targetID: user.id,
                             details: ["role": invitation.role.rawValue], ip: c.request.remoteAddress)
            return .redirect(to: "/w/\(invitation.slug)/?notice=joined")
        }
    }
}
