// The confirm page of sudo mode: the password form, what it unlocks and for how long.
import HeraldHTML

enum SudoView {
    static func render(email: String, next: String, until: String?, minutes: Int, csrf: HTML) -> HTML {
        let state: HTML =
            until.map {
                HTML("<p class=\"muted small\">Your password is confirmed until \($0); confirming again starts a new \(minutes) minutes.</p>")
            }
            ?? HTML()
        return """
            <div class="auth-card card"><h1>Confirm your password</h1>
            <p>Locking and unlocking users, ending their sessions, deleting users, granting or adjusting credits and \
            retrying or discarding jobs need your password again. After you confirm it they need no password for \(minutes) minutes.</p>
            \(state)
            <form class="form" method="post" action="/admin/confirm" novalidate>\(csrf)
            <input type="hidden" name="next" value="\(next)">
            \(Form.field("password", label: "Password of \(email)", type: "password", autocomplete: "current-password"))
            <div class="actions"><button type="submit" class="button primary">Confirm</button> <a href="\(url: next)">Cancel</a></div>
            </form></div>
            """
    }
}
