// Sudo mode, as GitHub has it: sensitive admin actions need the password entered again within the
// last 10 minutes. /admin/confirm asks for it (Argon2id, the same verification as logging in), marks
// the session until when (sessions.sudo_until) and goes back to where the action was. Wrong passwords
// are audited and, after five in 15 minutes on one session, refused for a while.
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum Sudo {
    static let minutes = 10
    static let maxFailures = 5
    static let windowMinutes = 15

    static func isFresh(session: Int, _ db: Connection) throws -> Bool { try until(session: session, db) != nil }

    /// Until when (HH:MM in the admin's time zone) sensitive actions need no password; nil when they need it now.
    static func until(session: Int, _ db: Connection) throws -> String? {
        try db.queryRow("SELECT to_char(sudo_until, 'HH24:MI') FROM sessions WHERE id = $1 AND sudo_until > now()", [.int(session)])?
            .optionalString(0)
    }

    static func confirmPath(next: String) -> String { "/admin/confirm?next=\(urlEncode(next))" }

    /// A path of the admin pages to go back to; anything else (another site, `//host`, `/\host`,
    /// control or invisible characters, a backslash anywhere, a path outside /admin) is /admin.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.utf8.count < 1024, raw == "/admin" || raw.hasPrefix("/admin/") || raw.hasPrefix("/admin?") else { return "/admin" }
        let unsafe = raw.unicodeScalars.contains { scalar in
            scalar == "\\" || scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        }
        return unsafe ? "/admin" : raw
    }

    static func show(_ c: RequestContext) throws -> Response {
        let next = safeNext(c.request.query["next"])
        return try AdminGate.transaction(c) { user, db in
            try respond(c, user, next: next, until: try until(session: user.sessionID, db), error: nil)
        }
    }

    static func confirm(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        let next = safeNext(form["next"])
        let password = form["password"] ?? ""
        return try AdminGate.transaction(c) { user, db in
            // One attempt at a time per session: the row lock holds a second one until this one is counted.
            guard
                let hash = try db.queryRow(
                    """
                    SELECT u.password_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND u.id = $2 FOR UPDATE OF s
                    """, [.int(user.sessionID), .int(user.id)])?.string(0)
            else { throw HTTPError.notFound }
            if let wait = try retryAfterMinutes(user, db) {
                let words = wait == 1 ? "1 minute" : "\(wait) minutes"
                var response = try respond(
                    c, user, next: next, until: nil,
                    error: "Too many wrong passwords. Try again in \(words); until then no sensitive action can be confirmed in this session.",
                    status: 429)
                response.setHeader("Retry-After", String(wait * 60))
                return response
            }
            let matches = !password.isEmpty && password.utf8.count <= 4096 && c.services.hasher.verify(password, against: hash)
            guard matches else {
                try Audit.record(
                    db, workspace: nil, actor: user.id, action: "admin.sudo_failed", targetType: "user", targetID: user.id,
                    details: ["session_id": String(user.sessionID)], ip: c.request.remoteAddress)
                let message = password.isEmpty ? "Enter your password." : "That is not your password."
                return try respond(c, user, next: next, until: nil, error: message, status: 401)
            }
            let until =
                try db.queryRow(
                    "UPDATE sessions SET sudo_until = now() + make_interval(mins => $2) WHERE id = $1 RETURNING to_char(sudo_until, 'HH24:MI')",
                    [.int(user.sessionID), .int(minutes)])?.string(0) ?? ""
            try Audit.record(
                db, workspace: nil, actor: user.id, action: "admin.sudo_confirmed", targetType: "user", targetID: user.id,
                details: ["session_id": String(user.sessionID), "until": until], ip: c.request.remoteAddress)
            return .redirect(to: next + (next.contains("?") ? "&" : "?") + "notice=sudo-confirmed")
        }
    }

    /// Minutes until another attempt is allowed after `maxFailures` wrong ones in the window, or nil.
    static func retryAfterMinutes(_ user: CurrentUser, _ db: Connection) throws -> Int? {
        let row = try db.queryRow(
            """
            SELECT count(*), ceil(extract(epoch FROM min(occurred_at) + make_interval(mins => $3) - now()) / 60)::int
            FROM audit_events
            WHERE workspace_id IS NULL AND actor_id = $1 AND action = 'admin.sudo_failed' AND details ->> 'session_id' = $2
              AND occurred_at > now() - make_interval(mins => $3)
            """, [.int(user.id), .text(String(user.sessionID)), .int(windowMinutes)])
        guard let row, try row.int(0) >= maxFailures else { return nil }
        return max(1, try row.optionalInt(1) ?? 1)
    }

    static func respond(
        _ c: RequestContext, _ user: CurrentUser, next: String, until: String?, error: String?, status: Int = 200
    ) throws -> Response {
        try c.page(
            "Confirm your password", flash: error.map { Flash(.error, $0) }, status: status,
            SudoView.render(email: user.email, next: next, until: until, minutes: minutes, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
