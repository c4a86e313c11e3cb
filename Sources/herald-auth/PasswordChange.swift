// Changing the password from the account page: the current one is required; other sessions end.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PasswordChange {
    static func update(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let form = try c.form()
        let current = form["current_password"] ?? ""
        let new = form["new_password"] ?? ""
        var errors: [String: String] = [:]
        let ip = c.request.remoteAddress
        guard let record = try Users.find(id: user.id, c.db()) else { throw Redirect("/login") }
        // A wrong current password is a password guess like a failed login: the same throttle counts it.
        if let seconds = try LoginThrottle.retryAfterSeconds(c.db(), email: user.email, ip: ip, config: c.config) {
            errors["current_password"] = "Too many wrong passwords. Try again in \(LoginThrottle.describe(seconds))."
            var response = try Account.respond(c, user: user, name: user.name, timeZone: user.timeZone, errors: errors, status: 429)
            response.setHeader("Retry-After", String(seconds))
            return response
        }
        // The hashes may wait for a free core: without holding a database connection.
        c.giveBackDatabase()
        if !c.services.hasher.verify(current, against: record.passwordHash) {
            errors["current_password"] = "This is not your current password."
            try c.db().transaction { db in
                try LoginThrottle.record(db, email: user.email, ip: ip, succeeded: false)
                try AuthAudit.record(db, "auth.password_change_failed", user: user.id, ip: ip)
            }
        }
        errors["new_password"] = PasswordPolicy.problem(with: new, email: user.email)
        if !errors.isEmpty {
            return try Account.respond(c, user: user, name: user.name, timeZone: user.timeZone, errors: errors, status: 422)
        }
        let hash = try c.services.hasher.hash(new)
        try c.db().transaction { db in
            try Users.setPassword(userID: user.id, newHash: hash, db)
            try Sessions.destroyAll(db, userID: user.id, except: user.sessionID)
            try PasswordResets.revokeAll(userID: user.id, db)
            try AuthAudit.record(db, "auth.password_changed", user: user.id, ip: ip)
        }
        return .redirect(to: "/account?notice=password-changed")
    }
}
