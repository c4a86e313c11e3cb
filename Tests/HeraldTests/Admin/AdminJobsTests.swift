// /admin/jobs through nginx: counts by kind and status, the oldest due job's age, dead jobs with
// their errors, and retry (back to the queue, attempts reset, due now) or discard (canceled), each
// with one audit event in the job's workspace; the database policy allows nothing else.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdminJobsTests {
    @Test func theQueuePageShowsCountsTheOldestDueJobAndDeadJobsWithTheirErrors() throws {
        let (_, browser) = try AdminSupport.admin()
        let workspace = try Fixtures.workspace(owner: try Fixtures.user("Owner"))
        let dead = try AdminSupport.deadJob(workspace, error: "token refused <401>")
        defer { AdminSupport.cancel(dead) }
        let page = try browser.get("/admin/jobs")
        #expect(page.status == 200)
        #expect(page.body.contains("<code>rollup_daily_metrics</code>"))
        #expect(page.body.contains("<th class=\"num\">dead</th>") && page.body.contains("<th class=\"num\">queued</th>"))
        #expect(page.body.contains("token refused &lt;401&gt;"), "the last error, escaped")
        #expect(page.body.contains("action=\"/admin/jobs/\(dead)/retry\"") && page.body.contains("action=\"/admin/jobs/\(dead)/discard\""))
        let filtered = try browser.get("/admin/jobs?kind=rollup_daily_metrics")
        #expect(filtered.body.contains("of kind <code>rollup_daily_metrics</code>") && filtered.body.contains("/admin/jobs/\(dead)/retry"))
        #expect(!(try browser.get("/admin/jobs?kind=fetch_post_metrics").body.contains("/admin/jobs/\(dead)/retry")))

        // A job due for a while shows its wait (the oldest due is at least this old).
        let waiting = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            """
            INSERT INTO jobs (workspace_id, kind, status, run_at, idempotency_key) VALUES ($1, 'rollup_daily_metrics', 'queued',
            now() - interval '3 days', $2) RETURNING id
            """, [.int(workspace.id), .text("admin-test:" + UUID().uuidString)])!.int(0)
        defer { AdminSupport.cancel(waiting) }
        let due = try browser.get("/admin/jobs")
        #expect(due.body.range(of: "due now; the oldest has waited [3-9] days", options: .regularExpression) != nil, "\(due.body.prefix(3000))")
    }

    @Test func retryPutsADeadJobBackAndDiscardCancelsItEachAudited() throws {
        let (admin, browser) = try AdminSupport.sudoAdmin()
        let workspace = try Fixtures.workspace(owner: try Fixtures.user("Owner"))
        let first = try AdminSupport.deadJob(workspace)
        let second = try AdminSupport.deadJob(workspace)
        defer {
            AdminSupport.cancel(first)
            AdminSupport.cancel(second)
        }
        let firstEvent = try AdminSupport.lastEventID()
        try browser.get("/admin/jobs")

        let retried = try browser.post("/admin/jobs/\(first)/retry", [])
        #expect(retried.status == 303 && retried.header("Location") == "/admin/jobs?notice=job-retried")
        #expect(try AdminSupport.job(first)! == ("queued", 0))
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM jobs WHERE id = $1 AND run_at <= now() AND finished_at IS NULL AND last_error IS NOT NULL", [.int(first)]) == 1)
        AdminSupport.cancel(first)  // due now: nothing else may run it

        let discarded = try browser.post("/admin/jobs/\(second)/discard", [])
        #expect(discarded.status == 303 && discarded.header("Location") == "/admin/jobs?notice=job-discarded")
        #expect(try AdminSupport.job(second)?.status == "canceled")

        #expect(
            try AdminSupport.events(by: admin.id, after: firstEvent) == [
                AdminSupport.Event(
                    action: "admin.job_retried", workspaceID: workspace.id, targetType: "job", targetID: first, ip: "127.0.0.1",
                    details: ["kind": "rollup_daily_metrics"]),
                AdminSupport.Event(
                    action: "admin.job_discarded", workspaceID: workspace.id, targetType: "job", targetID: second, ip: "127.0.0.1",
                    details: ["kind": "rollup_daily_metrics"]),
            ])

        // Only dead jobs: the canceled one is refused and stays as it is.
        let again = try browser.post("/admin/jobs/\(second)/retry", [])
        #expect(again.status == 409 && again.body.contains("is canceled, not dead"))
        #expect(try AdminSupport.job(second)?.status == "canceled")
        #expect(try AdminSupport.events(by: admin.id, after: firstEvent).count == 2)
    }

    @Test func theDatabaseLetsASiteAdminMoveOnlyDeadJobsAndNobodyElseSeeThem() throws {
        let (admin, _) = try AdminSupport.admin()
        let member = try Fixtures.user("Member")
        let workspace = try Fixtures.workspace(owner: member)
        let dead = try AdminSupport.deadJob(workspace)
        defer { AdminSupport.cancel(dead) }
        let app = try TestEnvironment.connectApp()
        func acting(as user: Int, _ body: (Connection) throws -> Int) throws -> Int {
            try app.transaction(user: user) { db in
                try db.query("SELECT set_config('app.site_admin', 'on', true)")
                return try body(db)
            }
        }
        let visible = { (db: Connection) in try db.queryRow("SELECT count(*) FROM jobs WHERE id = $1", [.int(dead)])!.int(0) }
        #expect(try acting(as: admin.id, visible) == 1)
        #expect(try acting(as: member.id, visible) == 0, "app.site_admin alone opens nothing for a user who is not a site admin")
        #expect(try app.transaction(user: admin.id) { db in try visible(db) } == 0, "nor app.user_id alone")
        #expect(
            try acting(as: admin.id) { db in
                try db.query("SELECT set_config('app.workspace_id', '999999999', true)")
                return try visible(db)
            } == 0, "with a tenant set the site-admin policies stand aside")
        // The policy lets a dead job go back to the queue or be canceled, nothing else.
        #expect(throws: DatabaseError.self) {
            try acting(as: admin.id) { db in try db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [.int(dead)]).affectedRows }
        }
        #expect(
            try acting(as: admin.id) { db in
                try db.query("UPDATE jobs SET max_attempts = 9 WHERE id = $1 AND status = 'queued'", [.int(dead)]).affectedRows
            } == 0)
        #expect(try acting(as: member.id) { db in try db.query("UPDATE jobs SET status = 'queued' WHERE id = $1", [.int(dead)]).affectedRows } == 0)
        #expect(try AdminSupport.job(dead)?.status == "dead")
    }
}
