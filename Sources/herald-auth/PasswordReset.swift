// /password/reset/{token}: setting a new password through the emailed link; every session of the
// user ends.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PasswordReset {
    /// The reset row for a token: (id, user id) when valid; otherwise an error page.
    static func check(_ token: String, _ db: Connection) throws -> (id: Int, userID: Int) {
        switch try PasswordResets.lookup(token, db) {
        case .valid(let id, let userID): return (id, userID)
        case .used: throw HTTPError(410, "Link already used", "This password reset link was used already. Ask for a new one if you need to.")
        case .expired: throw HTTPError(410, "Link expired", "This password reset link has expired. Ask for a new one.")
        case .unknown: throw HTTPError(404, "Link not valid", "This password reset link is not valid. Ask for a new one.")
        }
    }

    static func show(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        _ = try check(token, c.db())
        return try respond(c, token: token, error: nil)
    }

    static func reset(_ c: RequestContext) throws -> Response {
        let token = try c.parameter("token")
        let reset = try check(token, c.db())
        guard let user = try Users.find(id: reset.userID, c.db()) else { throw HTTPError.notFound }
        let password = try c.form()["password"] ?? ""
        if let problem = PasswordPolicy.problem(with: password, email: user.email) {
            return try respond(c, token: token, error: problem, status: 422)
        }
        // The hash may wait for a free core: without holding a database connection.
        c.giveBackDatabase()
        let hash = try c.services.hasher.hash(password)
        let done: Bool = try c.db().transaction { db in
            guard try PasswordResets.claim(reset.id, db) else { return false }
            try PasswordResets.revokeAll(userID: user.id, db)
            try Users.setPassword(userID: user.id, newHash: hash, db)
            try Sessions.destroyAll(db, userID: user.id)
            try AuthAudit.record(db, "auth.password_reset", user: user.id, ip: c.request.remoteAddress)
            return true
        }
        guard done else { throw HTTPError(410, "Link already used", "This password reset link was used already.") }
        try c.endSession()
        return .redirect(to: "/login?notice=password-reset")
    }

    /// The new-password form, empty or with the password's problem.
    static func respond(_ c: RequestContext, token: String, error: String?, status: Int = 200) throws -> Response {
        try c.page(
            "Choose a new password", status: status,
            PasswordResetView.render(token: token, error: error, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
