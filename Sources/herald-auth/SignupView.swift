// The sign-up form: name, email, password and time zone.
import HeraldHTML

enum SignupView {
    static func render(values: Signup.Values, zones: PrerenderedOptions, errors: [String: String], csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Create your account</h1>
        <form class="form" method="post" action="/signup" novalidate>\(csrf)
        <input type="hidden" name="next" value="\(values.next)">
        \(Form.field("name", label: "Name", value: values.name, error: errors["name"], autocomplete: "name", maxLength: 100))
        \(Form.field("email", label: "Email", type: "email", value: values.email, error: errors["email"], autocomplete: "email", maxLength: 254))
        \(Form.field("password", label: "Password", type: "password", error: errors["password"],
                     hint: "At least 8 characters. A few unrelated words make a strong password.", autocomplete: "new-password", maxLength: 128))
        \(Form.select("time_zone", label: "Time zone", options: zones, selected: values.timeZone, error: errors["time_zone"]))
        <div class="actions"><button type="submit" class="button primary">Create account</button></div>
        </form>
        <p class="muted small">Already have an account? <a href="/login">Log in</a>.</p></div>
        """
    }
}
