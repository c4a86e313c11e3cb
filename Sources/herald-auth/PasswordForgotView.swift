// The "forgot password" form, and the page that answers it.
import HeraldHTML

enum PasswordForgotView {
    static func form(email: String, error: String?, csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Reset your password</h1><p>Enter your email address and we will send you a link to choose a new password.</p>
        <form class="form" method="post" action="/password/forgot" novalidate>\(csrf)
        \(Form.field("email", label: "Email", type: "email", value: email, error: error, autocomplete: "email", maxLength: 254))
        <div class="actions"><button type="submit" class="button primary">Send reset link</button></div></form></div>
        """
    }

    /// Said whether or not an account exists for the address.
    static func sent(email: String, minutes: Int) -> HTML {
        """
        <div class="auth-card card"><h1>Check your email</h1>
        <p>If an account exists for <strong>\(email)</strong>, we sent it a link to reset the password. The link expires in \(minutes) minutes.</p>
        <p><a href="/login">Back to log in</a></p></div>
        """
    }
}
