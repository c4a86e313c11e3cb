// The account page: name, email and its confirmation, time zone; forms to change them and the password.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum Account {
    static func show(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        return try render(c, user: user, name: user.name, timeZone: user.timeZone, errors: [:], flash: Notice.from(c))
    }

    static func update(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let form = try c.form()
        let db = try c.db()
        let (name, nameError) = Validation.name(form["name"])
        let (timeZone, zoneError) = try Validation.timeZone(form["time_zone"], db)
        var errors: [String: String] = [:]
        errors["name"] = nameError
        errors["time_zone"] = zoneError
        if !errors.isEmpty { return try render(c, user: user, name: name, timeZone: timeZone, errors: errors, status: 422) }
        try Users.updateProfile(userID: user.id, name: name, timeZone: timeZone, db)
        return .redirect(to: "/account?notice=profile-saved")
    }

    static func render(_ c: RequestContext, user: CurrentUser, name: String, timeZone: String, errors: [String: String],
                       flash: Flash? = nil, status: Int = 200) throws -> Response {
        let csrf = Layout.csrfField(try c.csrfToken())
        let zones = try TimeZones.load(c.db()).options
        let verified: HTML = user.emailVerified ? "<span class=\"badge\">confirmed</span>" : """
            <span class="badge warn">not confirmed</span>
            <form method="post" action="/account/verify-email" class="inline">\(csrf)<button class="link">Send a new link</button></form>
            """
        return try c.page("Your account", flash: flash, current: "/account", status: status, """
            <h1>Your account</h1>
            <section class="card"><h2>Profile</h2>
            <dl class="details"><dt>Name</dt><dd>\(user.name)</dd><dt>Email</dt><dd>\(user.email) \(verified)</dd>
            <dt>Time zone</dt><dd>\(user.timeZone)</dd></dl>
            <form class="form" method="post" action="/account" novalidate>\(csrf)
            \(Form.field("name", label: "Name", value: name, error: errors["name"], autocomplete: "name", maxLength: 100))
            \(Form.select("time_zone", label: "Time zone", options: zones, selected: timeZone, error: errors["time_zone"]))
            <div class="actions"><button type="submit" class="button primary">Save profile</button></div>
            </form></section>
            \(PasswordChange.form(csrf: csrf, errors: errors))
            <section class="card"><h2>Log out</h2><p>End this session on this device.</p>
            <form method="post" action="/logout">\(csrf)<button class="button">Log out</button></form></section>
            """)
    }
}
