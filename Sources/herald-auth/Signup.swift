// Sign-up: name, email, password and time zone. The page answers the same whether or not the address
// has an account: a new address gets a link that creates the account and logs in (SignupRequests),
// one with an account gets a mail saying someone tried to register with it.
import HeraldDatabase
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

        let db = try c.db()
        if try SignupRequests.sentWithinAnHour(email: email, db) >= SignupRequests.mailsPerHour {
            errors["email"] =
                "We sent \(SignupRequests.mailsPerHour) messages to this address within the last hour. Use the newest one (check the spam folder too), or try again later."
            var response = try respond(c, values: values, errors: errors, status: 429)
            response.setHeader("Retry-After", "3600")
            return response
        }
        // Hashed whether or not the address has an account, so that both take as long. The hash may
        // wait for a free core: without holding a database connection.
        c.giveBackDatabase()
        let hash = try c.services.hasher.hash(password)
        try c.db().transaction { db in
            if let existing = try Users.find(email: email, db) {
                try SignupRequests.recordNotice(name: name, email: email, timeZone: timeZone, db)
                try Mailer.send(
                    db, to: existing.email, subject: "Someone tried to create a Herald account with your address",
                    body: """
                        Hello \(existing.name),

                        someone (maybe you) tried to create a Herald account with this address, which has one already. Nothing was changed.

                        If it was you, log in: \(c.config.baseURL)/login
                        Forgot your password? Ask for a new one: \(c.config.baseURL)/password/forgot

                        If it was not you, ignore this message.
                        """, config: c.config)
                // No actor: nobody proved who they are; the account as the target.
                try Audit.record(
                    db, workspace: nil, actor: nil, action: "auth.signup_existing_address", targetType: "user", targetID: existing.id,
                    ip: c.request.remoteAddress)
            } else {
                let token = try SignupRequests.createLink(name: name, email: email, passwordHash: hash, timeZone: timeZone, next: next, db)
                try Mailer.send(
                    db, to: email, subject: "Finish creating your Herald account",
                    body: """
                        Hello \(name),

                        open this link to finish creating your Herald account:

                        \(c.config.baseURL)/signup/confirm/\(token)

                        The link works once and expires in \(SignupRequests.lifetimeHours) hours. If you did not sign up, ignore this message; no account is made without it.
                        """, config: c.config)
            }
        }
        // The same answer whether or not the address has an account.
        return .redirect(to: "/signup/sent")
    }

    static func sent(_ c: RequestContext) throws -> Response {
        try c.page("Check your email", SignupView.sent(hours: SignupRequests.lifetimeHours))
    }

    /// GET /signup/confirm/{token}: the link's page, with the button that creates the account (no
    /// change on GET: mail scanners follow links).
    static func showConfirm(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let lookup = try SignupRequests.lookup(token, c.db())
        guard case .valid(let pending) = lookup else { try refuse(lookup) }
        return try c.page(
            "Finish creating your account",
            SignupView.confirm(name: pending.name, email: pending.email, token: token, csrf: Layout.csrfField(try c.csrfToken())))
    }

    /// POST /signup/confirm/{token}: creates the account (its address confirmed by the link) and logs in.
    static func confirm(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let created: (user: Int, next: String) = try c.db().transaction { db in
            let lookup = try SignupRequests.lookup(token, db)
            guard case .valid(let pending) = lookup else { try refuse(lookup) }
            guard try SignupRequests.claim(pending.id, db) else { try refuse(.used) }
            guard
                let id = try Users.create(
                    name: pending.name, email: pending.email, passwordHash: pending.passwordHash, timeZone: pending.timeZone, db)
            else {
                throw HTTPError(
                    409, "Address already registered",
                    "An account with this address was created in the meantime. Log in, or reset your password if you need to.")
            }
            try Users.markVerified(userID: id, email: pending.email, db)
            try AuthAudit.record(db, "auth.signed_up", user: id, ip: c.request.remoteAddress)
            return (id, pending.next)
        }
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

    /// Loads what the form needs (the time zones) and shows it, empty or with the problems.
    static func respond(_ c: RequestContext, values: Values, errors: [String: String], status: Int = 200) throws -> Response {
        let zones = try TimeZones.load(c.db()).options
        return try c.page(
            "Create your account", current: "/signup", status: status,
            SignupView.render(values: values, zones: zones, errors: errors, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
