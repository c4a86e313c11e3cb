// Sign-up: name, email, password and time zone; creates the user, sends the confirmation link
// and logs the new user in.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum Signup {
    struct Values {
        var name = ""
        var email = ""
        var timeZone = "UTC"
        var next = ""
    }

    static func show(_ c: RequestContext) throws -> Response {
        if try c.currentUser() != nil { return .redirect(to: safeNextPath(c.request.query["next"])) }
        return try respond(c, values: Values(next: c.request.query["next"] ?? ""), errors: [:])
    }

    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        let (name, nameError) = Validation.name(form["name"])
        let (email, emailError) = Validation.email(form["email"])
        let (timeZone, zoneError) = try Validation.timeZone(form["time_zone"], c.db())
        let password = form["password"] ?? ""
        var errors: [String: String] = [:]
        errors["name"] = nameError
        errors["email"] = emailError
        errors["time_zone"] = zoneError
        errors["password"] = PasswordPolicy.problem(with: password, email: email)
        let next = form["next"] ?? ""
        let values = Values(name: name, email: email, timeZone: timeZone, next: next)
        if !errors.isEmpty { return try respond(c, values: values, errors: errors, status: 422) }

        // The hash may wait for a free core: without holding a database connection.
        c.giveBackDatabase()
        let hash = try c.services.hasher.hash(password)
        let userID: Int? = try c.db().transaction { db in
            guard let id = try Users.create(name: name, email: email, passwordHash: hash, timeZone: timeZone, db) else { return nil }
            try EmailVerifications.send(userID: id, email: email, config: c.config, db)
            try AuthAudit.record(db, "auth.signed_up", user: id, ip: c.request.remoteAddress)
            return id
        }
        guard let userID else {
            errors["email"] = "This email address is already registered. Log in instead, or reset your password."
            return try respond(c, values: values, errors: errors, status: 422)
        }
        try c.startSession(userID: userID)
        Log.info("user signed up", ["user": String(userID)])
        // Straight on to where the visitor was going (an invitation), or to their first workspace.
        return .redirect(to: next.isEmpty ? "/w/new?notice=welcome" : safeNextPath(next))
    }

    /// Loads what the form needs (the time zones) and shows it, empty or with the problems.
    static func respond(_ c: RequestContext, values: Values, errors: [String: String], status: Int = 200) throws -> Response {
        let zones = try TimeZones.load(c.db()).options
        return try c.page(
            "Create your account", current: "/signup", status: status,
            SignupView.render(values: values, zones: zones, errors: errors, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
