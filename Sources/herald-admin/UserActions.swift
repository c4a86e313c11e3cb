// POST /admin/users/{id}/lock, /unlock, /sessions/end and /verification: each in one transaction with
// its one audit event. Locking, unlocking and ending sessions are sensitive (sudo mode); a locked
// user cannot log in (herald-auth and the session lookup admit only active users) and their
// sessions end at once.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum UserActions {
    static func lock(_ c: RequestContext) throws -> Response {
        try change(c) { admin, db, user in
            guard user.summary.id != admin.id else {
                throw HTTPError(409, "Not your own account", "You cannot lock your own account here: another site admin can.")
            }
            guard try UserStore.lock(user.summary.id, db) else { return .refused("\(user.summary.name) is locked already.") }
            let ended = try UserStore.endSessions(user.summary.id, db)
            try record(c, admin, db, "admin.user_locked", user, ["sessions_ended": String(ended)])
            return .done("locked")
        }
    }

    static func unlock(_ c: RequestContext) throws -> Response {
        try change(c) { admin, db, user in
            guard try UserStore.unlock(user.summary.id, db) else { return .refused("\(user.summary.name) is not locked.") }
            try record(c, admin, db, "admin.user_unlocked", user, [:])
            return .done("unlocked")
        }
    }

    static func endSessions(_ c: RequestContext) throws -> Response {
        try change(c) { admin, db, user in
            // Your own: every other session, so this one goes on.
            let isSelf = user.summary.id == admin.id
            let ended = try UserStore.endSessions(user.summary.id, except: isSelf ? admin.sessionID : nil, db)
            try record(c, admin, db, "admin.sessions_ended", user, ["sessions_ended": String(ended)])
            return .done("sessions-ended")
        }
    }

    /// Not sensitive: it only mails the user a link.
    static func resendVerification(_ c: RequestContext) throws -> Response {
        try change(c, sensitive: false) { admin, db, user in
            guard !user.summary.verified else { return .refused("\(user.summary.email) is confirmed already.") }
            try EmailVerifications.send(userID: user.summary.id, email: user.summary.email, config: c.config, db)
            try record(c, admin, db, "admin.verification_resent", user, [:])
            return .done("verification-sent")
        }
    }

    enum Outcome {
        /// Done: back to the user's page with this notice.
        case done(String)
        /// Nothing to do in the user's present state: their page with this message (409).
        case refused(String)
    }

    /// Load the user (404) → sudo mode when `sensitive` → the change and its audit event, in one
    /// transaction; then the user's page.
    static func change(
        _ c: RequestContext, sensitive: Bool = true, _ body: (CurrentUser, Connection, UserDetail) throws -> Outcome
    ) throws -> Response {
        let id = try Param.id(c, "user")
        return try AdminGate.transaction(c) { admin, db in
            guard let user = try UserStore.find(id, db) else { throw HTTPError(404, "Not found", "There is no user \(id).") }
            if sensitive { try AdminGate.requireSudo(admin, db, returnTo: "/admin/users/\(id)") }
            switch try body(admin, db, user) {
            case .done(let notice): return .redirect(to: "/admin/users/\(id)?notice=\(notice)")
            case .refused(let message): return try UserShow.respond(c, admin, db, id, error: message, status: 409)
            }
        }
    }

    /// The action's audit event: a site event (no workspace) about the user, with their email as it was.
    static func record(
        _ c: RequestContext, _ admin: CurrentUser, _ db: Connection, _ action: String, _ user: UserDetail, _ details: [String: String]
    ) throws {
        var details = details
        details["email"] = user.summary.email
        try Audit.record(
            db, workspace: nil, actor: admin.id, action: action, targetType: "user", targetID: user.summary.id, details: details,
            ip: c.request.remoteAddress)
    }
}
