// The account page's markup: the profile with the email's confirmation state, the profile and
// password forms, and the log-out button.
import HeraldHTML
import HeraldIdentity

enum AccountView {
    static func render(
        user: CurrentUser, name: String, timeZone: String, zones: PrerenderedOptions, errors: [String: String],
        csrf: HTML
    ) -> HTML {
        let verified: HTML =
            user.emailVerified
            ? "<span class=\"badge\">confirmed</span>"
            : """
            <span class="badge warn">not confirmed</span>
            <form method="post" action="/account/verify-email" class="inline">\(csrf)<button class="link">Send a new link</button></form>
            """
        return """
            <h1>Your account</h1>
            <section class="card"><h2>Profile</h2>
            <dl class="details"><dt>Name</dt><dd>\(user.name)</dd><dt>Email</dt><dd>\(user.email) \(verified)</dd>
            <dt>Time zone</dt><dd>\(user.timeZone)</dd></dl>
            <form class="form" method="post" action="/account" novalidate>\(csrf)
            \(Form.field("name", label: "Name", value: name, error: errors["name"], autocomplete: "name", maxLength: 100))
            \(Form.select("time_zone", label: "Time zone", options: zones, selected: timeZone, error: errors["time_zone"]))
            <div class="actions"><button type="submit" class="button primary">Save profile</button></div>
            </form></section>
            \(passwordForm(csrf: csrf, errors: errors))
            <section class="card"><h2>Log out</h2><p>End this session on this device.</p>
            <form method="post" action="/logout">\(csrf)<button class="button">Log out</button></form></section>
            """
    }

    /// The password change form (POST /account/password); its errors come back on this page.
    static func passwordForm(csrf: HTML, errors: [String: String]) -> HTML {
        """
        <section class="card"><h2>Change password</h2>
        <form class="form" method="post" action="/account/password" novalidate>\(csrf)
        \(Form.field("current_password", label: "Current password", type: "password", error: errors["current_password"], autocomplete: "current-password"))
        \(Form.field("new_password", label: "New password", type: "password", error: errors["new_password"],
                     hint: "At least 8 characters.", autocomplete: "new-password", maxLength: 128))
        <div class="actions"><button type="submit" class="button primary">Change password</button></div>
        </form></section>
        """
    }
}
