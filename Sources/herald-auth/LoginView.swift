// The login form.
import HeraldHTML

enum LoginView {
    static func render(email: String, next: String, csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Log in</h1>
        <form class="form" method="post" action="/login" novalidate>\(csrf)
        <input type="hidden" name="next" value="\(next)">
        \(Form.field("email", label: "Email", type: "email", value: email, autocomplete: "username", maxLength: 254))
        \(Form.field("password", label: "Password", type: "password", autocomplete: "current-password"))
        <div class="actions"><button type="submit" class="button primary">Log in</button></div>
        </form>
        <p class="muted small"><a href="/password/forgot">Forgot your password?</a> · New here? <a href="/signup">Create an account</a>.</p></div>
        """
    }
}
