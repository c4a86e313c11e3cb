// Sign-up: name, email and time zone. The page answers the same, as quickly, whether or not the
// address has an account: what differs is mailed after the answer (SignupRequests.mail). A new
// address gets a link whose page asks for the password and creates the account, logged in, with its
// address confirmed; one with an account gets a mail saying someone tried to register with it.
// Whoever fills in the form never chooses the password, so nobody can prepare an account at an
// address that is not theirs.
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
        var errors: [String: String] = [:]
        errors["name"] = nameError
        errors["email"] = emailError
        errors["time_zone"] = zoneError
        let next = form["next"] ?? ""
        let values = Values(name: name, email: email, timeZone: timeZone, next: next)
        if !errors.isEmpty { return try respond(c, values: values, errors: errors, status: 422) }

        let db = try c.db()
        let ip = c.request.remoteAddress
        let config = c.config
        let nextPath = next.isEmpty ? "" : safeNextPath(next)
        db.afterAnswer {
            do {
                try SignupRequests.mail(name: name, email: email, timeZone: timeZone, next: nextPath, ip: ip, config: config, db)
            } catch {
                Log.error("sign-up mail not sent", ["error": String(describing: error)])
            }
        }
        return .redirect(to: "/signup/sent")
    }

    static func sent(_ c: RequestContext) throws -> Response {
        try c.page("Check your email", SignupView.sent(hours: SignupRequests.lifetimeHours))
    }

    /// GET /signup/confirm/{token}: the link's page, where its holder chooses the password (no change
    /// on GET: mail scanners follow links).
    static func showConfirm(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let lookup = try SignupRequests.lookup(token, c.db())
        guard case .valid(let pending) = lookup else { try refuse(lookup) }
        return try respondConfirm(c, pending, token: token, error: nil)
    }

    /// POST /signup/confirm/{token}: the password, then the account (its address confirmed by the
    /// link), logged in.
    static func confirm(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let password = try c.form()["password"] ?? ""
        let lookup = try SignupRequests.lookup(token, c.db())
        guard case .valid(let pending) = lookup else { try refuse(lookup) }
        if let problem = PasswordPolicy.problem(with: password, email: pending.email) {
            return try respondConfirm(c, pending, token: token, error: problem, status: 422)
        }
        // The hash may wait for a free core: without holding a database connection.
        c.giveBackDatabase()
        let hash = try c.services.hasher.hash(password)
        let created: (user: Int, next: String) = try c.db().transaction { db in
            let lookup = try SignupRequests.lookup(token, db)
            guard case .valid(let pending) = lookup else { try refuse(lookup) }
            guard try SignupRequests.claim(pending.id, db) else { try refuse(.used) }
            guard
                let id = try Users.create(name: pending.name, email: pending.email, passwordHash: hash, timeZone: pending.timeZone, db)
            else {
                throw HTTPError(
                    409, "Address already registered",
                    "An account with this address was created in the meantime. Log in, or reset your password if you need to.")
            }
            try Users.markVerified(userID: id, email: pending.email, db)
            try AuthAudit.record(db, "auth.signed_up", user: id, ip: c.request.remoteAddress)
            return (id, pending.next)
        }
        // A session this browser had before (another account's) ends with the new one's start.
        try c.endSession()
        try c.startSession(userID: created.user)
        Log.info("user signed up", ["user": String(created.user)])
        // Straight on to where the visitor was going (an invitation), or to their first workspace.
        return .redirect(to: created.next.isEmpty ? "/w/new?notice=welcome" : safeNextPath(created.next))
    }

    private static func refuse(_ lookup: SignupRequests.Lookup) throws -> Never {
        switch lookup {
        case .used:
            throw HTTPError(410, "Link already used", "This link was used already: your account exists. Log in with your email address and password.")
        case .expired: throw HTTPError(410, "Link expired", "This link has expired. Sign up again to get a new one.")
        case .unknown, .valid: throw HTTPError(404, "Link not valid", "This link is not valid. Check that you copied all of it.")
        }
    }

    private static func respondConfirm(
        _ c: RequestContext, _ pending: SignupRequests.Pending, token: String, error: String?, status: Int = 200
    ) throws -> Response {
        try c.page(
            "Finish creating your account", status: status,
            SignupView.confirm(
                name: pending.name, email: pending.email, token: token, error: error, csrf: Layout.csrfField(try c.csrfToken())))
    }

    /// Loads what the form needs (the time zones) and shows it, empty or with the problems.
    static func respond(_ c: RequestContext, values: Values, errors: [String: String], status: Int = 200) throws -> Response {
        let zones = try TimeZones.load(c.db()).options
        return try c.page(
            "Create your account", current: "/signup", status: status,
            SignupView.render(values: values, zones: zones, errors: errors, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
