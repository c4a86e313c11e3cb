// The account page (GET and POST /account): name, email and its confirmation, time zone; forms to
// change them and the password.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum Account {
    static func show(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        return try respond(c, user: user, name: user.name, timeZone: user.timeZone, errors: [:], flash: Notice.from(c))
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
        if !errors.isEmpty { return try respond(c, user: user, name: name, timeZone: timeZone, errors: errors, status: 422) }
        try Users.updateProfile(userID: user.id, name: name, timeZone: timeZone, db)
        return .redirect(to: "/account?notice=profile-saved")
    }

    /// Loads what the page needs (the time zones) and shows it; also the answer to a refused
    /// profile or password change.
    static func respond(
        _ c: RequestContext, user: CurrentUser, name: String, timeZone: String, errors: [String: String],
        flash: Flash? = nil, status: Int = 200
    ) throws -> Response {
        let csrf = Layout.csrfField(try c.csrfToken())
        let zones = try TimeZones.load(c.db()).options
        return try c.page(
            "Your account", flash: flash, current: "/account", status: status,
            AccountView.render(user: user, name: name, timeZone: timeZone, zones: zones, errors: errors, csrf: csrf))
    }
}
