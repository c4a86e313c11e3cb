// /invitations/{token}: whoever holds the emailed link sees the invitation; logged in with the
// invited address, they accept it and become a member. Another address, an expired, revoked or
// used link: each says so.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum InvitationAccept {
    /// Refuses what cannot be accepted, with the reason.
    static func check(_ invitation: Invitation?) throws -> Invitation {
        guard let invitation else {
            throw HTTPError(404, "Invitation not valid", "This invitation link is not valid. Check that you copied all of it.")
        }
        if invitation.accepted {
            throw HTTPError(410, "Invitation already used", "This invitation was accepted already. If it was you, open your workspaces.")
        }
        if invitation.revoked { throw HTTPError(410, "Invitation revoked", "This invitation was withdrawn. Ask whoever invited you for a new one.") }
        if invitation.expired {
            throw HTTPError(410, "Invitation expired", "This invitation has expired (they last 7 days). Ask whoever invited you for a new one.")
        }
        return invitation
    }

    static func show(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let user = try c.currentUser()
        let invitation = try check(try c.db().transaction(user: user?.id) { db in try InvitationStore.find(token, db) })
        guard let user else {
            return try c.page("Join \(invitation.workspaceName)", InvitationView.logIn(invitation, back: urlEncode("/invitations/\(token)")))
        }
        guard user.email.lowercased() == invitation.email.lowercased() else {
            throw HTTPError(
                403, "This invitation is for someone else",
                "This invitation is for \(invitation.email), but you are logged in as \(user.email). Log out and log in as \(invitation.email) to accept it."
            )
        }
        return try c.page(
            "Join \(invitation.workspaceName)", InvitationView.accept(invitation, token: token, csrf: Layout.csrfField(try c.csrfToken())))
    }

    static func accept(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let user = try c.requireUser()
        return try c.db().transaction(user: user.id) { db in
            let invitation = try check(try InvitationStore.find(token, db))
            guard user.email.lowercased() == invitation.email.lowercased() else {
                throw HTTPError(
                    403, "This invitation is for someone else",
                    "This invitation is for \(invitation.email), but you are logged in as \(user.email). Log out and log in as \(invitation.email) to accept it."
                )
            }
            switch try InvitationStore.accept(invitation, userID: user.id, db) {
            case .alreadyUsed: throw HTTPError(410, "Invitation already used", "This invitation was accepted already.")
            case .alreadyMember: throw HTTPError(409, "Already a member", "You are already a member of \(invitation.workspaceName).")
            case .joined: break
            }
            try Audit.record(
                db, workspace: invitation.workspaceID, actor: user.id, action: "member.joined", targetType: "user", targetID: user.id,
                details: ["role": invitation.role.rawValue], ip: c.request.remoteAddress)
            return .redirect(to: "/w/\(invitation.slug)/?notice=joined")
        }
    }
}
