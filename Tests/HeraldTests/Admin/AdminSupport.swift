// Helpers for the /admin tests: a site admin with a real session, sudo mode confirmed through the
// confirm page, and the audit events an action wrote.
import Foundation
import Testing

@testable import HeraldDatabase
@testable import HeraldIdentity

enum AdminSupport {
    /// A new user made a site admin with the owner role's connection (as `heraldctl users set-admin`
    /// would), and a browser logged in as them that already holds a CSRF token.
    static func admin(_ name: String = "Site Admin") throws -> (user: Fixtures.User, browser: Browser) {
        let user = try Fixtures.user(name)
        try TestEnvironment.connectOwner().query("UPDATE users SET is_site_admin = true WHERE id = $1", [.int(user.id)])
        let browser = try Fixtures.browser(for: user)
        let page = try browser.get("/admin")
        guard page.status == 200 else { throw TestFailure("the admin's overview answered \(page.status)") }
        return (user, browser)
    }

    /// Confirms the admin's password on /admin/confirm (sudo mode for the next 10 minutes).
    static func confirm(_ browser: Browser) throws {
        try browser.get("/admin/confirm")
        let response = try browser.post("/admin/confirm", [("password", TestEnvironment.defaultPassword), ("next", "/admin")])
        guard response.status == 303 else { throw TestFailure("confirming the password answered \(response.status): \(response.body.prefix(300))") }
    }

    /// A site admin in sudo mode.
    static func sudoAdmin(_ name: String = "Site Admin") throws -> (user: Fixtures.User, browser: Browser) {
        let admin = try admin(name)
        try confirm(admin.browser)
        return admin
    }

    /// The newest audit event id now, to look only at what comes after.
    static func lastEventID() throws -> Int {
        try Fixtures.count("SELECT coalesce(max(id), 0) FROM audit_events")
    }

    struct Event: Equatable {
        let action: String
        let workspaceID: Int?
        let targetType: String?
        let targetID: Int?
        let ip: String?
        let details: [String: String]
    }

    /// The events `actor` wrote after `after`, oldest first.
    static func events(by actor: Int, after: Int) throws -> [Event] {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        return try admin.query(
            """
            SELECT action, workspace_id, target_type, target_id, host(ip),
                   (SELECT string_agg(key || '=' || value, E'\\n' ORDER BY key) FROM jsonb_each_text(details))
            FROM audit_events WHERE actor_id = $1 AND id > $2 ORDER BY id
            """, [.int(actor), .int(after)]
        ).rows.map { row in
            var details: [String: String] = [:]
            for line in (row.optionalString(5) ?? "").split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                details[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return Event(
                action: try row.string(0), workspaceID: try row.optionalInt(1), targetType: row.optionalString(2), targetID: try row.optionalInt(3),
                ip: row.optionalString(4), details: details)
        }
    }

    /// A dead job of a kind no worker claims (so another test's worker never runs it), in `workspace`.
    static func deadJob(_ workspace: Fixtures.Workspace, error: String = "the platform said no") throws -> Int {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            """
            INSERT INTO jobs (workspace_id, kind, status, attempts, max_attempts, last_error, idempotency_key, finished_at)
            VALUES ($1, 'rollup_daily_metrics', 'dead', 3, 3, $2, $3, now()) RETURNING id
            """, [.int(workspace.id), .text(error), .text("admin-test:" + UUID().uuidString)])!.int(0)
    }

    /// A job's status and attempts.
    static func job(_ id: Int) throws -> (status: String, attempts: Int)? {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow("SELECT status, attempts FROM jobs WHERE id = $1", [.int(id)])
            .map { (try $0.string(0), try $0.int(1)) }
    }

    /// Jobs retried in a test are due now: cancel them, so nothing else ever runs them.
    static func cancel(_ job: Int) {
        _ = try? TestEnvironment.connectSuperuser(database: "herald").query(
            "UPDATE jobs SET status = 'canceled', finished_at = now() WHERE id = $1 AND status <> 'running'", [.int(job)])
    }

    /// A user's status and live sessions.
    static func account(_ id: Int) throws -> (status: String, sessions: Int)? {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            "SELECT status, (SELECT count(*) FROM sessions s WHERE s.user_id = u.id) FROM users u WHERE id = $1", [.int(id)]
        ).map { (try $0.string(0), try $0.int(1)) }
    }
}
