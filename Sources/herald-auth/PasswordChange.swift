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
        guard let record = try Users.find(id: user.id, c.db()) else { throw Redirect("/login") }
        // The hashes may wait for a free core: without holding a database connection.
        c.giveBackDatabase()
        if !c.services.hasher.verify(current, against: record.passwordHash) {
            errors["current_password"] = "This is not your current password."
        }
        errors["new_password"] = PasswordPolicy.problem(with: new, email: user.email)
        if !errors.isEmpty {
            return try Account.respond(c, user: user, name: user.name, timeZone: user.timeZone, errors: errors, status: 422)
        }
        let hash = try c.services.hasher.hash(new)
        try c.db().transaction { db in
            try Users.setPassword(userID: user.id, newHash: hash, db)
            try Sessions.destroyAll(db, userID: user.id, except: user.sessionID)
            try AuthAudit.record(db, "auth.password_changed", user: user.id, ip: c.request.remoteAddress)
        }
        return .redirect(to: "/account?notice=password-changed")
    }
}
