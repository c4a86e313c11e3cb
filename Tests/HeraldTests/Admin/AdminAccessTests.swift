// Who gets into /admin, through nginx: every page and action of herald-admin (its own route table)
// is a plain 404 for a visitor who is logged out and for a logged-in user who is not a site admin,
// GET and POST, with or without a valid CSRF token, and changes nothing. Sensitive actions without a
// fresh password confirmation go to the confirm page and change nothing; a wrong password changes
// nothing, is audited, and is throttled.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdminAccessTests {
    /// herald-admin's routes, as it prints them with `--routes`.
    func routes() throws -> [(method: String, pattern: String)] {
        try TestEnvironment.run(TestEnvironment.binary("herald-admin"), ["--routes"]).split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        }
    }

    @Test func everyPageAndActionIsNotFoundForAnyoneButASiteAdmin() throws {
        let victim = try Fixtures.user("Victim")
        let workspace = try Fixtures.workspace(owner: victim)
        let job = try AdminSupport.deadJob(workspace)
        defer { AdminSupport.cancel(job) }
        let victimBrowser = try Fixtures.browser(for: victim)
        let firstEvent = try AdminSupport.lastEventID()

        let member = try Fixtures.user("Member")
        _ = try Fixtures.workspace(owner: member)
        let memberBrowser = try Fixtures.browser(for: member)
        try memberBrowser.get("/account")
        let memberCSRF = try #require(memberBrowser.lastCSRF, "the member's pages carry a CSRF token")
        let loggedOut = Browser()
        try loggedOut.get("/login")

        let table = try routes()
        #expect(table.count >= 20, "\(table.count) routes")
        let fields: [(String, String)] = [
            ("password", TestEnvironment.defaultPassword), ("next", "/admin"), ("confirm_email", victim.email), ("operation", "grant"),
            ("amount", "500"), ("reason", "sneaky"), ("key", "k1"),
        ]
        // Only /admin: GET /metrics is for the local-only metrics listener, which the public site never routes.
        for route in table where route.pattern.hasPrefix("/admin") {
            let path = route.pattern
                .replacingOccurrences(of: "/admin/users/{id}", with: "/admin/users/\(victim.id)")
                .replacingOccurrences(of: "/admin/workspaces/{id}", with: "/admin/workspaces/\(workspace.id)")
                .replacingOccurrences(of: "/admin/jobs/{id}", with: "/admin/jobs/\(job)")
            for (who, browser, csrf) in [("logged out", loggedOut, loggedOut.lastCSRF), ("a member", memberBrowser, memberCSRF)] {
                for method in Set([route.method, "GET", "POST"]) {
                    let response =
                        method == "GET" ? try browser.get(path) : try browser.post(path, fields, csrf: .some(csrf))
                    #expect(response.status == 404, "\(method) \(path) as \(who): \(response.status)")
                    #expect(response.header("X-Herald-Program") == "admin", "\(method) \(path) as \(who) reached herald-admin")
                    #expect(!response.body.contains("Site administration"), "\(method) \(path) as \(who) shows nothing of /admin")
                }
            }
        }
        // Nothing changed.
        #expect(try AdminSupport.account(victim.id)?.status == "active")
        #expect(try AdminSupport.account(victim.id)?.sessions == 1)
        #expect(try victimBrowser.get("/account").status == 200, "the victim's session still works")
        #expect(try AdminSupport.job(job)?.status == "dead")
        #expect(try Fixtures.count("SELECT count(*) FROM credit_entries WHERE workspace_id = $1", [.int(workspace.id)]) == 0)
        #expect(try Fixtures.count("SELECT count(*) FROM email_verifications WHERE user_id = $1", [.int(victim.id)]) == 0)
        #expect(try Fixtures.count("SELECT count(*) FROM sessions WHERE user_id = $1 AND sudo_until IS NOT NULL", [.int(member.id)]) == 0)
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM audit_events WHERE id > $1 AND (actor_id = $2 OR target_id IN ($3, $4))",
                [.int(firstEvent), .int(member.id), .int(victim.id), .int(job)]) == 0, "no audit event")
    }

    @Test func sensitiveActionsWithoutAConfirmedPasswordGoToTheConfirmPageAndChangeNothing() throws {
        let (admin, browser) = try AdminSupport.admin()
        let victim = try Fixtures.user("Victim")
        let locked = try Fixtures.user("Locked")
        try TestEnvironment.connectSuperuser(database: "herald").query("UPDATE users SET status = 'disabled' WHERE id = $1", [.int(locked.id)])
        let workspace = try Fixtures.workspace(owner: victim)
        let job = try AdminSupport.deadJob(workspace)
        defer { AdminSupport.cancel(job) }
        _ = try Fixtures.browser(for: victim)
        let firstEvent = try AdminSupport.lastEventID()

        let actions: [(path: String, fields: [(String, String)], back: String)] = [
            ("/admin/users/\(victim.id)/lock", [], "/admin/users/\(victim.id)"),
            ("/admin/users/\(locked.id)/unlock", [], "/admin/users/\(locked.id)"),
            ("/admin/users/\(victim.id)/sessions/end", [], "/admin/users/\(victim.id)"),
            ("/admin/users/\(victim.id)/delete", [("confirm_email", victim.email)], "/admin/users/\(victim.id)"),
            (
                "/admin/workspaces/\(workspace.id)/credits", [("operation", "grant"), ("amount", "75"), ("reason", "launch bonus"), ("key", "abc")],
                "/admin/workspaces/\(workspace.id)?operation=grant&amount=75&reason=launch%20bonus&key=abc"
            ),
            ("/admin/jobs/\(job)/retry", [], "/admin/jobs"),
            ("/admin/jobs/\(job)/discard", [], "/admin/jobs"),
        ]
        for action in actions {
            let response = try browser.post(action.path, action.fields)
            #expect(response.status == 303, "\(action.path): \(response.status)")
            let location = try #require(response.header("Location"))
            #expect(location.hasPrefix("/admin/confirm?next="), "\(action.path) → \(location)")
            #expect(URLComponents(string: location)?.queryItems?.first { $0.name == "next" }?.value == action.back, "\(action.path) → \(location)")
        }
        #expect(try AdminSupport.account(victim.id)?.status == "active")
        #expect(try AdminSupport.account(victim.id)?.sessions == 1)
        #expect(try AdminSupport.account(locked.id)?.status == "disabled")
        #expect(try AdminSupport.job(job)?.status == "dead")
        #expect(try Fixtures.count("SELECT count(*) FROM credit_entries WHERE workspace_id = $1", [.int(workspace.id)]) == 0)
        #expect(try AdminSupport.events(by: admin.id, after: firstEvent).isEmpty, "refused actions write no event")

        // The confirm page then sends the admin back to the credits form, filled in as it was.
        try browser.get("/admin/confirm?next=\(formEncode(actions[4].back))")
        let confirmed = try browser.post("/admin/confirm", [("password", TestEnvironment.defaultPassword), ("next", actions[4].back)])
        #expect(confirmed.status == 303)
        #expect(confirmed.header("Location") == actions[4].back + "&notice=sudo-confirmed")
        let form = try browser.get(actions[4].back + "&notice=sudo-confirmed")
        #expect(form.body.contains("value=\"launch bonus\"") && form.body.contains("value=\"75\""), "the form keeps what was typed")
        #expect(form.body.contains("Password confirmed"))

        // A confirmation that has run out counts for nothing.
        try TestEnvironment.connectSuperuser(database: "herald").query(
            "UPDATE sessions SET sudo_until = now() - interval '1 second' WHERE user_id = $1", [.int(admin.id)])
        let late = try browser.post("/admin/users/\(victim.id)/lock", [])
        #expect(late.status == 303 && late.header("Location")?.hasPrefix("/admin/confirm?") == true)
        #expect(try AdminSupport.account(victim.id)?.status == "active")
    }

    @Test func aWrongPasswordChangesNothingIsAuditedAndIsThrottled() throws {
        let (admin, browser) = try AdminSupport.admin()
        let firstEvent = try AdminSupport.lastEventID()
        let session = try Fixtures.count("SELECT id FROM sessions WHERE user_id = $1", [.int(admin.id)])
        try browser.get("/admin/confirm?next=/admin/users")
        let wrong = try browser.post("/admin/confirm", [("password", "not my password at all"), ("next", "/admin/users")])
        #expect(wrong.status == 401)
        #expect(wrong.body.contains("That is not your password."))
        #expect(try Fixtures.count("SELECT count(*) FROM sessions WHERE user_id = $1 AND sudo_until IS NOT NULL", [.int(admin.id)]) == 0)
        let events = try AdminSupport.events(by: admin.id, after: firstEvent)
        #expect(
            events == [
                AdminSupport.Event(
                    action: "admin.sudo_failed", workspaceID: nil, targetType: "user", targetID: admin.id, ip: "127.0.0.1",
                    details: ["session_id": String(session)])
            ], "\(events)")

        for _ in 2...5 { #expect(try browser.post("/admin/confirm", [("password", "wrong again"), ("next", "/admin")]).status == 401) }
        // Five wrong in 15 minutes: even the right password waits now.
        let refused = try browser.post("/admin/confirm", [("password", TestEnvironment.defaultPassword), ("next", "/admin")])
        #expect(refused.status == 429)
        #expect(refused.body.contains("Too many wrong passwords. Try again in"))
        #expect(Int(refused.header("Retry-After") ?? "") ?? 0 > 0)
        #expect(try Fixtures.count("SELECT count(*) FROM sessions WHERE user_id = $1 AND sudo_until IS NOT NULL", [.int(admin.id)]) == 0)
        #expect(try AdminSupport.events(by: admin.id, after: firstEvent).map(\.action) == Array(repeating: "admin.sudo_failed", count: 5))
    }

    @Test func theRightPasswordOpensTenMinutesAndGoesBackOnlyToAnAdminPage() throws {
        let (admin, browser) = try AdminSupport.admin()
        let firstEvent = try AdminSupport.lastEventID()
        try browser.get("/admin/confirm?next=/admin/jobs")
        let response = try browser.post("/admin/confirm", [("password", TestEnvironment.defaultPassword), ("next", "/admin/jobs")])
        #expect(response.status == 303)
        #expect(response.header("Location") == "/admin/jobs?notice=sudo-confirmed")
        let minutes = try Fixtures.count(
            "SELECT round(extract(epoch FROM sudo_until - now()) / 60)::int FROM sessions WHERE user_id = $1", [.int(admin.id)])
        #expect(minutes == 10)
        let events = try AdminSupport.events(by: admin.id, after: firstEvent)
        #expect(events.map(\.action) == ["admin.sudo_confirmed"] && events.first?.ip == "127.0.0.1" && events.first?.targetID == admin.id)
        for hostile in ["//evil.example", "https://evil.example/admin", "/w/acme", "/admin\\@evil.example", "/adminx", "javascript:alert(1)"] {
            let back = try browser.post("/admin/confirm", [("password", TestEnvironment.defaultPassword), ("next", hostile)])
            #expect(back.header("Location") == "/admin?notice=sudo-confirmed", "next=\(hostile) → \(back.header("Location") ?? "none")")
        }
    }

    @Test func onlySiteAdminsSeeTheAdminLinkInTheHeader() throws {
        let (_, admin) = try AdminSupport.admin()
        #expect(try admin.get("/account").body.contains("<a href=\"/admin\">Admin</a>"))
        let member = try Fixtures.browser(for: try Fixtures.user("Member"))
        let page = try member.get("/account")
        #expect(page.status == 200)
        #expect(!page.body.contains("href=\"/admin\""))
    }
}
