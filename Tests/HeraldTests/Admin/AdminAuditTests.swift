// /admin/audit through nginx: filtered by actor (email or id), workspace (slug or id), action prefix
// and dates in the admin's time zone, newest first, paged by keyset; the CSV download holds exactly
// the filtered set and parses; malformed filters are a 400 page that says what is expected.
import Foundation
import Testing

@testable import HeraldDatabase
@testable import HeraldSupport

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdminAuditTests {
    /// Event ids in a page of the audit log, in order.
    func ids(_ body: String) -> [Int] {
        body.matches(of: #/<tr><td class="muted">([0-9]+)</td>/#).compactMap { Int($0.1) }
    }

    /// An event written directly (as the superuser), at a fixed time.
    func event(actor: Int?, workspace: Int?, action: String, at time: String, details: String = "{}") throws -> Int {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            """
            INSERT INTO audit_events (workspace_id, actor_id, action, target_type, target_id, details, ip, occurred_at)
            VALUES ($1, $2, $3, 'user', $2, $4::jsonb, '192.0.2.7', $5::timestamptz) RETURNING id
            """, [.int(workspace), .int(actor), .text(action), .text(details), .text(time)])!.int(0)
    }

    @Test func filtersByActorWorkspaceActionAndDates() throws {
        let (admin, browser) = try AdminSupport.admin()
        let alice = try Fixtures.user("Alice")
        let bob = try Fixtures.user("Bob")
        let w1 = try Fixtures.workspace(owner: alice)
        let w2 = try Fixtures.workspace(owner: bob)
        let e1 = try event(
            actor: alice.id, workspace: w1.id, action: "admin.user_locked", at: "2024-03-10 12:00+00", details: #"{"note": "<b>bold</b>"}"#)
        let e2 = try event(actor: alice.id, workspace: nil, action: "auth.login_succeeded", at: "2024-03-11 12:00+00")
        let e3 = try event(actor: alice.id, workspace: w2.id, action: "credits.granted", at: "2024-03-12 12:00+00")
        let e4 = try event(actor: bob.id, workspace: w1.id, action: "admin.job_retried", at: "2024-03-12 23:30+00")
        let e5 = try event(actor: bob.id, workspace: w1.id, action: "admin.jobxretried", at: "2024-03-13 00:30+00")

        #expect(ids(try browser.get("/admin/audit?actor=\(alice.id)").body) == [e3, e2, e1], "newest first")
        #expect(ids(try browser.get("/admin/audit?actor=\(formEncode(alice.email.uppercased()))").body) == [e3, e2, e1], "by email")
        #expect(ids(try browser.get("/admin/audit?workspace=\(w1.slug)").body).filter { [e1, e4, e5].contains($0) } == [e5, e4, e1])
        #expect(ids(try browser.get("/admin/audit?workspace=\(w1.id)&actor=\(alice.id)").body) == [e1])
        #expect(ids(try browser.get("/admin/audit?actor=\(alice.id)&action=admin.").body) == [e1])
        #expect(ids(try browser.get("/admin/audit?actor=\(bob.id)&action=admin.job_").body) == [e4], "_ is no wildcard")
        #expect(ids(try browser.get("/admin/audit?actor=\(alice.id)&from=2024-03-11&to=2024-03-12").body) == [e3, e2], "both days included")
        #expect(ids(try browser.get("/admin/audit?actor=\(bob.id)&to=2024-03-12").body) == [e4])
        // Days are the admin's: in Tokyo, 23:30 UTC on the 12th is already the 13th.
        try TestEnvironment.connectSuperuser(database: "herald").query("UPDATE users SET time_zone = 'Asia/Tokyo' WHERE id = $1", [.int(admin.id)])
        #expect(ids(try browser.get("/admin/audit?actor=\(bob.id)&from=2024-03-13&to=2024-03-13").body) == [e5, e4])

        let page = try browser.get("/admin/audit?actor=\(alice.id)&action=admin.")
        #expect(page.body.contains("note:</span> &lt;b&gt;bold&lt;/b&gt;"), "details, escaped")
        #expect(page.body.contains("192.0.2.7") && page.body.contains("<code>admin.user_locked</code>"))
        #expect(page.body.contains("href=\"/admin/audit.csv?actor=\(alice.id)&amp;action=admin.\""), "the CSV link keeps the filter")

        let nobody = try browser.get("/admin/audit?actor=nobody-\(UUID().uuidString.prefix(6))@example.com")
        #expect(nobody.status == 200 && nobody.body.contains("No user has the email") && ids(nobody.body).isEmpty)
        let noWorkspace = try browser.get("/admin/audit?workspace=no-such-slug-here")
        #expect(noWorkspace.status == 200 && noWorkspace.body.contains("No workspace has or had the slug") && ids(noWorkspace.body).isEmpty)
    }

    @Test func pagesGoOlderByKeyset() throws {
        let (_, browser) = try AdminSupport.admin()
        let actor = try Fixtures.user("Busy Bee")
        try TestEnvironment.connectSuperuser(database: "herald").query(
            "INSERT INTO audit_events (actor_id, action) SELECT $1, 'auth.login_succeeded' FROM generate_series(1, 60)", [.int(actor.id)])
        let first = try browser.get("/admin/audit?actor=\(actor.id)")
        let firstIDs = ids(first.body)
        #expect(firstIDs.count == 50 && firstIDs == firstIDs.sorted(by: >))
        let older = try #require(first.firstMatch(#"href="(/admin/audit\?[^"]*before=[0-9]+)" rel="next""#))
        let second = try browser.get(older.replacingOccurrences(of: "&amp;", with: "&"))
        let secondIDs = ids(second.body)
        #expect(secondIDs.count == 10 && secondIDs.allSatisfy { $0 < firstIDs.last! })
        #expect(second.body.contains("← Newest") && !second.body.contains("rel=\"next\""))
        #expect(try browser.get("/admin/audit?actor=\(actor.id)&before=1").body.contains("No event matches this filter."))
    }

    @Test func theCSVHoldsExactlyTheFilteredEventsAndParses() throws {
        let (_, browser) = try AdminSupport.admin()
        let actor = try Fixtures.user("Exporter")
        let workspace = try Fixtures.workspace(owner: actor)
        let tricky = #"{"reason": "comma, \"quotes\"\nand a new line", "formula": "=1+1"}"#
        let kept = try event(actor: actor.id, workspace: workspace.id, action: "credits.adjusted", at: "2024-05-01 08:00+00", details: tricky)
        _ = try event(actor: actor.id, workspace: workspace.id, action: "auth.logout", at: "2024-05-01 09:00+00")
        let response = try browser.get("/admin/audit.csv?actor=\(actor.id)&action=credits")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(response.header("Content-Disposition") == "attachment; filename=\"herald-audit.csv\"")
        let records = try CSV.parse(response.body)
        #expect(
            records.first == [
                "Event", "Time", "Action", "Actor id", "Actor email", "Workspace id", "Workspace slug", "Workspace deleted", "Target type",
                "Target id", "IP", "Details",
            ])
        #expect(records.count == 2, "\(records)")
        let row = try #require(records.last)
        #expect(
            Array(row[0...7]) == [
                String(kept), "2024-05-01T08:00:00+00", "credits.adjusted", String(actor.id), actor.email, String(workspace.id), workspace.slug, "",
            ])
        #expect(row[10] == "192.0.2.7")
        #expect(row[11].contains(#""reason": "comma, \"quotes\"\nand a new line""#), "the details as stored: \(row[11])")
        #expect(try CSV.parse(try browser.get("/admin/audit.csv?actor=\(actor.id)&from=2024-05-02").body).count == 1, "only the header")
        #expect(try browser.get("/admin/audit.csv?from=2024-13-01").status == 400)
    }

    @Test func malformedFiltersAreA400ThatSaysWhatIsExpected() throws {
        let (_, browser) = try AdminSupport.admin()
        let cases: [(String, String)] = [
            ("from=2024-02-30", "The from date is a day written YYYY-MM-DD"),
            ("from=2023-02-29", "The from date is a day written YYYY-MM-DD"),
            ("to=yesterday", "The to date is a day written YYYY-MM-DD"),
            ("to=2024-1-5", "The to date is a day written YYYY-MM-DD"),
            ("from=2024-03-02&to=2024-03-01", "is after the to date"),
            ("action=DROP%20TABLE", "An action filter is the start of an action name"),
            ("action=admin%25", "An action filter is the start of an action name"),
            ("actor=not%20an%20email", "Filter the actor by email address"),
            ("actor=-5", "Filter the actor by email address"),
            ("workspace=Bad%20Slug!", "Filter the workspace by its slug"),
            ("before=abc", "before is an event number"),
            ("before=99999999999999999999999", "before is an event number"),
        ]
        for (query, message) in cases {
            for path in ["/admin/audit", "/admin/audit.csv"] {
                let response = try browser.get("\(path)?\(query)")
                #expect(response.status == 400, "\(path)?\(query): \(response.status)")
                #expect(response.body.contains(message), "\(path)?\(query): \(response.body.prefix(400))")
            }
        }
        #expect(try browser.get("/admin/audit?from=2024-02-29&to=2024-02-29").status == 200, "a leap day is a day")
    }
}
