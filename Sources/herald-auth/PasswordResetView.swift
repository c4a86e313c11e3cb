// The new-password form a reset link opens.
import HeraldHTML

enum PasswordResetView {
    static func render(token: String, error: String?, csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Choose a new password</h1>
        <form class="form" method="post" action="/password/reset/\(token)" novalidate>\(csrf)
        \(Form.field("password", label: "New password", type: "password", error: error, hint: "At least 8 characters.", autocomplete: "new-password", maxLength: 128))
        <div class="actions"><button type="submit" class="button primary">Set new password</button></div></form></div>
        """
    }
}
