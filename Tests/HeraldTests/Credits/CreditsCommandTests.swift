// heraldctl credits and plans: what a site admin does, through the same core operations, each
// change audited; the monthly grant once per period across every workspace (in a database of its
// own, so it touches no other test's balances).
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CreditsCommandTests {
    func audits(_ workspace: Int, _ action: String) throws -> Int {
        try Fixtures.count("SELECT count(*) FROM audit_events WHERE workspace_id = $1 AND action = $2", [.int(workspace), .text(action)])
    }

    @Test func anAdminGrantsAdjustsSpendsAndRefunds() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let slug = workspace.slug
        let grant = try CreditsSupport.heraldctl(["credits", "grant", slug, "100", "--reason", "welcome offer", "--key", "welcome"])
        #expect(grant.status == 0 && grant.output.hasPrefix("granted 100 credits to \(slug): entry "), "\(grant)")
        let again = try CreditsSupport.heraldctl(["credits", "grant", slug, "100", "--reason", "welcome offer", "--key", "welcome"])
        #expect(again.status == 0 && again.output.hasPrefix("already recorded with this key"), "\(again)")
        #expect(try audits(workspace.id, "credits.granted") == 1)

        let down = try CreditsSupport.heraldctl(["credits", "adjust", slug, "-30", "--reason", "double grant"])
        #expect(down.status == 0 && down.output.contains("balance 70"), "\(down)")
        let noReason = try CreditsSupport.heraldctl(["credits", "adjust", slug, "+5"])
        #expect(noReason.status != 0 && noReason.errors.contains("--reason"), "\(noReason)")
        let emptyReason = try CreditsSupport.heraldctl(["credits", "adjust", slug, "5", "--reason", " "])
        #expect(emptyReason.status != 0 && emptyReason.errors.contains("give a reason"), "\(emptyReason)")
        let overdraw = try CreditsSupport.heraldctl(["credits", "adjust", slug, "-1000", "--reason", "too much"])
        #expect(overdraw.status != 0 && overdraw.errors.contains("not enough credits: you have 70, this needs 1000"), "\(overdraw)")

        let spend = try CreditsSupport.heraldctl(["credits", "spend", slug, "generate_post", "--key", "try-1"])
        #expect(spend.status == 0 && spend.output.contains("spent 3 credits") && spend.output.contains("balance 67"), "\(spend)")
        let entry = try #require(try Credits.entry(try TestEnvironment.connectApp(), workspace: workspace.id, key: "try-1"))
        let refund = try CreditsSupport.heraldctl(["credits", "refund", slug, String(entry.id), "--reason", "just trying"])
        #expect(refund.status == 0 && refund.output.contains("balance 70"), "\(refund)")
        #expect(
            try CreditsSupport.heraldctl(["credits", "refund", slug, String(entry.id), "--reason", "again"]).output.hasPrefix("already recorded"))

        let show = try CreditsSupport.heraldctl(["credits", "show", slug])
        #expect(show.status == 0 && show.output.contains(": 70 credits") && show.output.contains("refund"), "\(show)")
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 70, sum: 70, entries: 4, chainBreaks: 0))
        for action in ["credits.adjusted", "credits.spent", "credits.refunded"] { #expect(try audits(workspace.id, action) == 1, "\(action)") }
        let details = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            """
            SELECT details->>'reason', details->>'by', details->>'amount' FROM audit_events WHERE workspace_id = $1 AND action = 'credits.adjusted'
            """, [.int(workspace.id)])!
        #expect(try details.string(0) == "double grant" && details.string(1) == "heraldctl" && details.string(2) == "-30")
        #expect(try CreditsSupport.heraldctl(["credits", "grant", "no-such-workspace", "5", "--reason", "x"]).errors.contains("no workspace"))
    }

    @Test func anAdminListsChangesAndExtendsPlans() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 0)
        let slug = workspace.slug
        let list = try CreditsSupport.heraldctl(["plans", "list"])
        #expect(list.status == 0)
        for code in ["free", "starter", "team", "agency"] { #expect(list.output.contains("\n\(code) "), "\(code) in \(list.output)") }
        let set = try CreditsSupport.heraldctl(["plans", "set", slug, "team", "--trial-days", "14"])
        #expect(set.status == 0 && set.output.contains("Team (trial until") && set.output.contains("14 days left"), "\(set)")
        let extend = try CreditsSupport.heraldctl(["plans", "extend-trial", slug, "7"])
        #expect(extend.status == 0 && extend.output.contains("21 days left"), "\(extend)")
        let show = try CreditsSupport.heraldctl(["plans", "show", slug])
        #expect(show.status == 0 && show.output.contains("members") && show.output.contains("1 of 25"), "\(show)")
        let unknown = try CreditsSupport.heraldctl(["plans", "set", slug, "platinum"])
        #expect(unknown.status != 0 && unknown.errors.contains("the plans are: free, starter, team, agency"), "\(unknown)")
        #expect(try CreditsSupport.heraldctl(["plans", "set", slug, "starter"]).output.contains("Starter (active)"))
        let notTrial = try CreditsSupport.heraldctl(["plans", "extend-trial", slug, "7"])
        #expect(notTrial.status != 0 && notTrial.errors.contains("not on a trial"), "\(notTrial)")
        #expect(try audits(workspace.id, "plan.changed") == 2 && audits(workspace.id, "plan.trial_extended") == 1)
    }

    @Test func theMonthlyGrantGivesEachWorkspaceItsPlansCreditsOncePerPeriod() throws {
        // A database of its own: the grant walks every workspace.
        let name = "herald_credits_\(UUID().uuidString.prefix(8).lowercased())"
        try TestEnvironment.connectSuperuser().query("CREATE DATABASE \(name) OWNER herald_owner")
        defer { _ = try? TestEnvironment.connectSuperuser().query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let ownerURL = TestEnvironment.url(database: name, user: "herald_owner")
        #expect(try CreditsSupport.heraldctl(["migrate", "up"], ownerURL: ownerURL).status == 0)
        let admin = try Connection(TestEnvironment.url(database: name, user: "postgres"))
        let plans = ["free", "team", "agency"]
        for (index, _) in plans.enumerated() {
            try admin.transaction { db in
                let user = try db.queryRow(
                    "INSERT INTO users (name, email, password_hash) VALUES ('Owner', $1, $2) RETURNING id",
                    [.text("owner\(index)@example.com"), .text(Fixtures.passwordHash)])!.int(0)
                let id = try db.queryRow(
                    "INSERT INTO workspaces (slug, name, owner_id) VALUES ($1, 'W', $2) RETURNING id",
                    [.text("w\(index)"), .int(user)])!.int(0)
                try db.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')", [.int(id), .int(user)])
            }
        }
        #expect(try CreditsSupport.heraldctl(["plans", "set", "w1", "team"], ownerURL: ownerURL).status == 0)
        #expect(try CreditsSupport.heraldctl(["plans", "set", "w2", "agency"], ownerURL: ownerURL).status == 0)
        let first = try CreditsSupport.heraldctl(["credits", "monthly-grant", "--period", "2030-01"], ownerURL: ownerURL)
        #expect(
            first.output
                == "monthly credits for 2030-01: granted 12050 credits to 3 workspaces; 0 already had theirs; 0 on a plan without monthly credits\n",
            "\(first)")
        let second = try CreditsSupport.heraldctl(["credits", "monthly-grant", "--period", "2030-01"], ownerURL: ownerURL)
        #expect(second.output.contains("granted 0 credits to 0 workspaces; 3 already had theirs"), "\(second)")
        let rows = try admin.query(
            """
            SELECT w.slug, e.amount, a.balance FROM credit_entries e JOIN workspaces w ON w.id = e.workspace_id
            JOIN credit_accounts a ON a.workspace_id = e.workspace_id WHERE e.idempotency_key = 'monthly:2030-01' ORDER BY w.slug
            """
        ).rows.map { "\(try $0.string(0)) \(try $0.int(1)) \(try $0.int(2))" }
        #expect(rows == ["w0 50 50", "w1 2000 2000", "w2 10000 10000"])
        #expect(try admin.queryRow("SELECT count(*) FROM audit_events WHERE action = 'credits.monthly_granted'")!.int(0) == 3)
        let bad = try CreditsSupport.heraldctl(["credits", "monthly-grant", "--period", "2030-1"], ownerURL: ownerURL)
        #expect(bad.status != 0 && bad.errors.contains("YYYY-MM"))
    }
}
