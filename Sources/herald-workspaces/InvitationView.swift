// The page an invitation link opens: who invited whom to which workspace in which role, and
// either the way to log in (or sign up) first or the button that accepts it.
import HeraldHTML
import HeraldIdentity

enum InvitationView {
    /// For a visitor who is not logged in; `back` is this page's address, URL-encoded.
    static func logIn(_ invitation: Invitation, back: String) -> HTML {
        """
        <div class="auth-card card"><h1>Join \(invitation.workspaceName)</h1>\(intro(invitation))
        <p>Log in with \(invitation.email) to accept, or create an account with that address first.</p>
        <p class="actions"><a class="button primary" href="/login?next=\(back)">Log in to accept</a> <a class="button" href="/signup?next=\(back)">Create an account</a></p></div>
        """
    }

    /// For the invited user, logged in.
    static func accept(_ invitation: Invitation, token: String, csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Join \(invitation.workspaceName)</h1>\(intro(invitation))
        <form method="post" action="/invitations/\(token)">\(csrf)
        <button class="button primary">Accept and join</button></form></div>
        """
    }

    static func intro(_ invitation: Invitation) -> HTML {
        "<p>\(invitation.inviter ?? "Someone") invited <strong>\(invitation.email)</strong> to join <strong>\(invitation.workspaceName)</strong> as \(invitation.role.withArticle).</p>"
    }
}
