// Login: one generic error for a wrong password or unknown email, throttled per account and
// per IP, a new session id on success.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum Login {
    static let genericError = "The email or password is incorrect."

    static func show(_ c: RequestContext) throws -> Response {
        if try c.currentUser() != nil { return .redirect(to: safeNextPath(c.request.query["next"])) }
        return try respond(c, email: "", next: c.request.query["next"] ?? "", error: nil, flash: Notice.from(c))
    }

    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        var db = try c.db()
        let email = (form["email"] ?? "").trimmed
        let password = form["password"] ?? ""
        let next = form["next"] ?? ""
        let ip = c.request.remoteAddress

        let user = email.isEmpty || email.utf8.count > 254 ? nil : try Users.find(email: email, db)
        if let seconds = try LoginThrottle.retryAfterSeconds(db, email: email, ip: ip, config: c.config) {
            try AuthAudit.loginFailed(db, email: email, account: user?.id, reason: .throttled, ip: ip)
            let wait = LoginThrottle.describe(seconds)
            var response = try respond(
                c, email: email, next: next,
                error: "Too many failed attempts. Try again in \(wait), or reset your password by email.", status: 429)
            response.setHeader("Retry-After", String(seconds))
            return response
        }
        // Verify against a decoy hash when there is no such user, so both cases take as long. The hash
        // may wait for a free core (at most cores-many run at once): not holding a database connection.
        c.giveBackDatabase()
        let matches = c.services.hasher.verify(password, against: user?.passwordHash ?? c.services.hasher.decoyHash)
        db = try c.db()
        let refusal: AuthAudit.Refusal? =
            switch (user, matches && password.utf8.count <= 4096) {
            case (nil, _): .unknownEmail
            case (_, false): .wrongPassword
            case (let account?, true) where account.status != "active": .disabled
            default: nil
            }
        guard let user, refusal == nil else {
            try db.transaction { db in
                try LoginThrottle.record(db, email: email, ip: ip, succeeded: false)
                try AuthAudit.loginFailed(db, email: email, account: user?.id, reason: refusal ?? .wrongPassword, ip: ip)
            }
            return try respond(c, email: email, next: next, error: genericError, status: 401)
        }
        try db.transaction { db in
            try LoginThrottle.record(db, email: email, ip: ip, succeeded: true)
            try AuthAudit.record(db, "auth.login_succeeded", user: user.id, ip: ip)
        }
        if c.services.hasher.needsRehash(user.passwordHash) {
            try Users.rehash(userID: user.id, newHash: c.services.hasher.hash(password), db)
        }
        try Users.recordLogin(userID: user.id, db)
        // A new session id at every login; whatever session the browser had is ended.
        try c.endSession()
        try c.startSession(userID: user.id)
        return .redirect(to: safeNextPath(next))
    }

    /// The login form, with the error (or the notice) above it.
    static func respond(_ c: RequestContext, email: String, next: String, error: String?, flash: Flash? = nil, status: Int = 200) throws -> Response {
        try c.page(
            "Log in", flash: flash ?? error.map { Flash(.error, $0) }, current: "/login", status: status,
            LoginView.render(email: email, next: next, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
