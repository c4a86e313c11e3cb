// Plan limits refuse at exactly limit + 1 with a message naming the limit and the plan that lifts it:
// members through nginx (invitations), channels and scheduled posts through the core API; plans,
// trials and the free default.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldFastCGI
@testable import HeraldIdentity
@testable import HeraldWeb

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct PlanLimitTests {
    /// What `PlanLimits.check` says about adding one more, as herald_app in a tenant transaction, as the
    /// status page the central catcher makes of its `PlanLimitError`.
    func check(_ workspace: Int, _ limit: PlanLimit) throws -> HTTPError? {
        try TestEnvironment.connectApp().transaction(workspace: workspace) { db in
            do {
                try PlanLimits.check(db, workspace: workspace, limit)
                return nil
            } catch let error as PlanLimitError {
                return HTTPError(error)
            }
        }
    }

    @Test func theSixthMemberOnTheFreePlanIsRefusedThroughNginx() throws {
        let owner = try Fixtures.user("Owner")
        let members = try [Role.editor, .reviewer, .viewer].map { (try Fixtures.user($0.label), $0) }
        let workspace = try Fixtures.workspace(owner: owner, members: members)
        let browser = try Fixtures.browser(for: owner)
        try browser.get("/w/\(workspace.slug)/members")
        // 4 members + 1 invitation = 5, the Free plan's limit: allowed.
        let fifth = TestEnvironment.uniqueEmail("fifth")
        #expect(try browser.post("/w/\(workspace.slug)/members/invite", [("email", fifth), ("role", "editor")]).status == 303)
        // The sixth seat: refused, on the members page, with the limit and the plan that lifts it; nothing stored.
        let sixth = TestEnvironment.uniqueEmail("sixth")
        let refused = try browser.post("/w/\(workspace.slug)/members/invite", [("email", sixth), ("role", "editor")])
        #expect(refused.status == 409)
        #expect(
            refused.body.contains("The Free plan allows 5 members (open invitations count too), and this workspace has 5."),
            "\(refused.body.prefix(3000))")
        #expect(refused.body.contains("The Starter plan allows 10: the owner can change the plan on the billing page."))
        #expect(refused.body.contains("<h1>Members</h1>") && refused.body.contains(sixth), "the page keeps the address typed")
        #expect(
            try Fixtures.count("SELECT count(*) FROM invitations WHERE workspace_id = $1 AND email = $2", [.int(workspace.id), .text(sixth)]) == 0)
        // Re-inviting the fifth replaces its own invitation: still 5, allowed.
        try browser.get("/w/\(workspace.slug)/members")
        #expect(try browser.post("/w/\(workspace.slug)/members/invite", [("email", fifth), ("role", "viewer")]).status == 303)
        // On the Starter plan the sixth fits.
        try Plans.change(try TestEnvironment.connectApp(), workspace: workspace.id, to: "starter")
        try browser.get("/w/\(workspace.slug)/members")
        #expect(try browser.post("/w/\(workspace.slug)/members/invite", [("email", sixth), ("role", "editor")]).status == 303)
    }

    @Test func theFourthChannelOnTheFreePlanIsRefused() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        func connect(_ n: Int, status: String = "needs_reconnect") throws {
            try admin.query(
                "INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status) VALUES ($1, 'mastodon', $2, $3, $4)",
                [.int(workspace.id), .text("acct-\(n)"), .text("@acct\(n)"), .text(status)])
        }
        try connect(1)
        try connect(2)
        try connect(0, status: "revoked")  // disconnected: does not count
        #expect(try check(workspace.id, .channels) == nil, "the third of 3 is allowed")
        try connect(3)
        let refusal = try #require(try check(workspace.id, .channels), "the fourth of 3 must be refused")
        #expect(refusal.status == 409 && refusal.title == "Plan limit reached")
        #expect(
            refusal.message == "The Free plan allows 3 connected channels (disconnected ones do not count), and this workspace has 3. "
                + "The Starter plan allows 10: the owner can change the plan on the billing page.", "\(refusal.message)")
    }

    @Test func theThirtyFirstScheduledPostOnTheFreePlanIsRefused() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        func posts(_ count: Int, status: String) throws {
            try admin.query(
                """
                INSERT INTO posts (workspace_id, body, status, scheduled_at, scheduled_zone)
                SELECT $1, 'Post ' || n, $3, CASE WHEN $3 IN ('scheduled', 'publishing') THEN now() + n * interval '1 hour' END,
                       CASE WHEN $3 IN ('scheduled', 'publishing') THEN 'UTC' END
                FROM generate_series(1, $2) n
                """, [.int(workspace.id), .int(count), .text(status)])
        }
        try posts(28, status: "scheduled")
        try posts(1, status: "publishing")
        try posts(5, status: "draft")  // not in the queue
        #expect(try check(workspace.id, .scheduledPosts) == nil, "the 30th of 30 is allowed")
        try posts(1, status: "scheduled")
        let refusal = try #require(try check(workspace.id, .scheduledPosts), "the 31st of 30 must be refused")
        #expect(refusal.message.hasPrefix("The Free plan allows 30 scheduled posts (posts waiting to be published), and this workspace has 30."))
        #expect(refusal.message.contains("The Starter plan allows 300"))
        // The Agency plan has no limit on them.
        try Plans.change(try TestEnvironment.connectApp(), workspace: workspace.id, to: "agency")
        #expect(try check(workspace.id, .scheduledPosts) == nil)
    }

    @Test func twoRequestsAtTheLimitCannotBothPass() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        for n in 1...2 {
            try admin.query(
                "INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status) VALUES ($1, 'x', $2, 'h', 'needs_reconnect')",
                [.int(workspace.id), .text("pre-\(n)")])
        }
        let id = workspace.id
        // Five at once try to connect the third (and last) channel: check, then insert, in one transaction.
        let outcomes = CreditsSupport.concurrently(5) { index, barrier -> String in
            guard let db = try? TestEnvironment.connectApp() else {
                barrier.wait()
                return "cannot connect"
            }
            barrier.wait()
            do {
                try db.transaction(workspace: id) { db in
                    try PlanLimits.check(db, workspace: id, .channels)
                    try db.query(
                        "INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status) VALUES ($1, 'x', $2, 'h', 'needs_reconnect')",
                        [.int(id), .text("race-\(index)")])
                    usleep(50_000)
                }
                return "connected"
            } catch let error as PlanLimitError {
                return "\(HTTPError(error).status)"
            } catch {
                return "unexpected: \(error)"
            }
        }
        #expect(outcomes.filter { $0 == "connected" }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == "409" }.count == 4, "\(outcomes)")
        #expect(try Fixtures.count("SELECT count(*) FROM social_accounts WHERE workspace_id = $1", [.int(id)]) == 3)
    }

    @Test func workspacesWithoutASubscriptionAndEndedTrialsAreOnTheFreePlan() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let app = try TestEnvironment.connectApp()
        let initial = try app.transaction(workspace: workspace.id) { db in
            try db.query("SELECT set_config('TimeZone', 'UTC', true)")
            return try Plans.current(db, workspace: workspace.id)
        }
        #expect(initial.plan.code == "free" && initial.subscription == nil)
        #expect(
            initial.periodStart.hasSuffix("-01T00:00:00+00") && initial.periodEnd.hasSuffix("-01T00:00:00+00"),
            "without a subscription the period is the calendar month: \(initial.periodStart) to \(initial.periodEnd)")

        let trial = try Plans.change(app, workspace: workspace.id, to: "team", trialDays: 14)
        #expect(trial.plan.code == "team" && trial.subscription?.status == .trial && trial.subscription?.trialDaysLeft == 14)
        #expect(try Plans.extendTrial(app, workspace: workspace.id, days: 7).subscription?.trialDaysLeft == 21)
        // Time passes: the trial ends, and the free plan's limits apply again.
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query(
            "UPDATE subscriptions SET trial_ends_at = now() - interval '1 hour' WHERE workspace_id = $1 AND status = 'trial'", [.int(workspace.id)])
        let ended = try Plans.current(app, workspace: workspace.id)
        #expect(ended.plan.code == "free" && ended.subscription?.trialEnded == true && ended.subscription?.plan.code == "team")
        for n in 1...3 {
            try admin.query(
                "INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status) VALUES ($1, 'x', $2, 'h', 'needs_reconnect')",
                [.int(workspace.id), .text("t-\(n)")])
        }
        let refusal = try #require(try check(workspace.id, .channels))
        #expect(
            refusal.message.hasPrefix("The trial of the Team plan has ended, so the Free plan applies. The Free plan allows 3 connected channels"))
        // An ended trial can be extended from now.
        #expect(try Plans.extendTrial(app, workspace: workspace.id, days: 3).plan.code == "team")

        // A paid plan replaces the trial; the trial stays as history. Setting it again changes nothing.
        let active = try Plans.change(app, workspace: workspace.id, to: "starter")
        #expect(active.plan.code == "starter" && active.subscription?.status == .active)
        #expect(try Plans.change(app, workspace: workspace.id, to: "starter").subscription?.id == active.subscription?.id)
        #expect(try Fixtures.count("SELECT count(*) FROM subscriptions WHERE workspace_id = $1", [.int(workspace.id)]) == 2)
        #expect(throws: PlanError.self) { try Plans.change(app, workspace: workspace.id, to: "platinum") }
        #expect(throws: PlanError.self) { try Plans.extendTrial(app, workspace: workspace.id, days: 3) }
    }

    @Test func theMonthlyGrantHappensOncePerPeriodEvenAfterAPlanChange() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let app = try TestEnvironment.connectApp()
        let first = try #require(try Credits.grantMonthly(app, workspace: workspace.id, period: "2031-05"))
        #expect(
            !first.replayed && first.entry.amount == 50 && first.entry.idempotencyKey == "monthly:2031-05" && first.entry.reference == "plan:free")
        try Plans.change(app, workspace: workspace.id, to: "team")
        let again = try #require(try Credits.grantMonthly(app, workspace: workspace.id, period: "2031-05"))
        #expect(again.replayed && again.entry == first.entry)
        #expect(try Credits.grantMonthly(app, workspace: workspace.id, period: "2031-06")?.entry.amount == 2000)
        #expect(throws: CreditError.self) { try Credits.grantMonthly(app, workspace: workspace.id, period: "2031-13") }
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 2050, sum: 2050, entries: 2, chainBreaks: 0))
    }
}
