// The sign-up form (name, email, time zone), the page that answers it, and the page of the mailed
// link, where the password is chosen.
import HeraldHTML

enum SignupView {
    static func render(values: Signup.Values, zones: PrerenderedOptions, errors: [String: String], csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Create your account</h1>
        <p>We will email you a link to confirm your address and choose your password.</p>
        <form class="form" method="post" action="/signup" novalidate>\(csrf)
        <input type="hidden" name="next" value="\(values.next)">
        \(Form.field("name", label: "Name", value: values.name, error: errors["name"], autocomplete: "name", maxLength: 100))
        \(Form.field("email", label: "Email", type: "email", value: values.email, error: errors["email"], autocomplete: "email", maxLength: 254))
        \(Form.select("time_zone", label: "Time zone", options: zones, selected: values.timeZone, error: errors["time_zone"]))
        <div class="actions"><button type="submit" class="button primary">Create account</button></div>
        </form>
        <p class="muted small">Already have an account? <a href="/login">Log in</a>.</p></div>
        """
    }

    /// Said whether or not the address has an account.
    static func sent(hours: Int) -> HTML {
        """
        <div class="auth-card card"><h1>Check your email</h1>
        <p>We sent a message to the address you entered. Open the link in it within \(hours) hours to choose your password and finish creating your account.</p>
        <p class="muted small">Nothing there after a few minutes? Check the spam folder, or <a href="/signup">sign up again</a> (an address gets at most three such messages an hour). Already have an account? <a href="/login">Log in</a>.</p></div>
        """
    }

    /// The page the link opens: who the account is for, and the password that finishes it.
    static func confirm(name: String, email: String, token: String, error: String?, csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Finish creating your account</h1>
        <p>The Herald account of <strong>\(name)</strong> for <strong>\(email)</strong>: choose its password.</p>
        <form class="form" method="post" action="/signup/confirm/\(token)" novalidate>\(csrf)
        \(Form.field("password", label: "Password", type: "password", error: error,
                     hint: "At least 8 characters. A few unrelated words make a strong password.", autocomplete: "new-password", maxLength: 128))
        <div class="actions"><button type="submit" class="button primary">Create my account</button></div></form></div>
        """
    }
}
