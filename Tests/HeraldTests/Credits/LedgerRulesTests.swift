// What PostgreSQL itself guarantees about the ledger, whatever the code above it does: the balance
// is never written around the ledger nor below zero, entries are never changed or removed, and a
// worker that dies mid-transaction leaves no partial entry.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct LedgerRulesTests {
    @Test func theBalanceCannotGoBelowZeroNorBeWrittenAroundTheLedger() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 10)
        let app = try TestEnvironment.connectApp()
        // herald_app has no UPDATE on credit_accounts at all (migrations/0006_billing.sql grants it
        // SELECT and INSERT (workspace_id) only): its UPDATE is refused as a privilege (42501) before
        // any row or CHECK is looked at. That is the first wall.
        let asApp = CreditsSupport.failure {
            try app.transaction(workspace: workspace.id) { db in
                _ = try db.query("UPDATE credit_accounts SET balance = -1 WHERE workspace_id = $1", [.int(workspace.id)])
            }
        }
        #expect(asApp?.state == "42501", "\(String(describing: asApp))")
        // The CHECK the issue names (23514) is the backstop behind it: the owner role may UPDATE, and
        // with the tenant set (row-level security is forced on it too) it reaches the row — and
        // CHECK (balance >= 0) refuses -1.
        let owner = try TestEnvironment.connectOwner()
        let asOwner = CreditsSupport.failure {
            try owner.transaction(workspace: workspace.id) { db in
                let touched = try db.query("UPDATE credit_accounts SET balance = -1 WHERE workspace_id = $1", [.int(workspace.id)]).affectedRows
                Issue.record("the owner's UPDATE went through (\(touched) rows)")
            }
        }
        #expect(asOwner?.state == "23514" && asOwner?.constraint == "credit_accounts_balance_nonnegative", "\(String(describing: asOwner))")
        // herald_app's one way to move a balance is a ledger entry; an overdraft there meets the same CHECK.
        let overdraft = CreditsSupport.failure {
            try app.transaction(workspace: workspace.id) { db in
                _ = try db.query(
                    "INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ($1, -11, 'spend', 'overdraw')",
                    [.int(workspace.id)])
            }
        }
        #expect(overdraft?.state == "23514" && overdraft?.constraint == "credit_accounts_balance_nonnegative", "\(String(describing: overdraft))")
        // Nor can it write balance_after itself (the trigger's column), or open a second account.
        let forged = CreditsSupport.failure {
            try app.transaction(workspace: workspace.id) { db in
                _ = try db.query(
                    "INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key, balance_after) VALUES ($1, 1000, 'grant', 'forged', 1000000)",
                    [.int(workspace.id)])
            }
        }
        #expect(forged?.state == "42501", "\(String(describing: forged))")
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 10, sum: 10, entries: 1, chainBreaks: 0))
    }

    @Test(arguments: [
        "UPDATE credit_entries SET amount = 1000 WHERE workspace_id = $1",
        "UPDATE credit_entries SET note = 'edited' WHERE workspace_id = $1",
        "DELETE FROM credit_entries WHERE workspace_id = $1",
    ])
    func ledgerEntriesCannotBeChangedOrDeleted(_ statement: String) throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 10)
        let before = try CreditsSupport.state(workspace.id)
        // herald_app: no UPDATE or DELETE grant.
        let app = try TestEnvironment.connectApp()
        let asApp = CreditsSupport.failure {
            try app.transaction(workspace: workspace.id) { db in _ = try db.query(statement, [.int(workspace.id)]) }
        }
        #expect(asApp?.state == "42501", "herald_app: \(String(describing: asApp))")
        // The owner has the grants, and the statement trigger refuses anyway.
        let owner = try TestEnvironment.connectOwner()
        let asOwner = CreditsSupport.failure {
            try owner.transaction(workspace: workspace.id) { db in _ = try db.query(statement, [.int(workspace.id)]) }
        }
        #expect(asOwner?.state == "42501" && asOwner?.message.contains("append-only") == true, "owner: \(String(describing: asOwner))")
        #expect(try CreditsSupport.state(workspace.id) == before)
    }

    @Test func aConnectionTerminatedBeforeCommitLeavesNoPartialEntry() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 100)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        // A worker's transaction: tenant set, the debit inserted (the trigger has already moved the
        // balance inside it), and then the worker dies before COMMIT.
        let worker = try TestEnvironment.connectApp()
        let pid = try worker.queryRow("SELECT pg_backend_pid()")!.int(0)
        try worker.query("BEGIN")
        try worker.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(workspace.id))])
        let inside = try worker.queryRow(
            """
            INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ($1, -30, 'spend', 'doomed') RETURNING balance_after
            """, [.int(workspace.id)])!.int(0)
        #expect(inside == 70)
        #expect(try admin.queryRow("SELECT pg_terminate_backend($1)", [.int(pid)])!.bool(0))
        try waitUntilGone(pid, admin)
        #expect(try CreditsSupport.entries(withKey: "doomed", in: workspace.id) == 0)
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 100, sum: 100, entries: 1, chainBreaks: 0))
        // Nothing is left locked: the next debit goes straight through.
        #expect(try Credits.spend(try TestEnvironment.connectApp(), workspace: workspace.id, credits: 30, key: "after").entry.balanceAfter == 70)
    }

    @Test func aHeraldctlKilledInsideItsTransactionLeavesNoPartialEntry() throws {
        let (workspace, _) = try CreditsSupport.workspace(balance: 100)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        // Hold the account's row lock, so heraldctl's INSERT waits inside its transaction.
        let blocker = try TestEnvironment.connectSuperuser(database: "herald")
        try blocker.query("BEGIN")
        try blocker.query("SELECT balance FROM credit_accounts WHERE workspace_id = $1 FOR UPDATE", [.int(workspace.id)])
        let tag = "killed-" + UUID().uuidString.prefix(8).lowercased()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CreditsSupport.heraldctl)
        process.arguments = ["credits", "spend", workspace.slug, "generate_post", "--key", tag]
        process.environment = TestEnvironment.variables.merging(["HERALD_OWNER_DATABASE_URL": TestEnvironment.ownerURL + " application_name=\(tag)"])
        { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waiting: Int?
        for _ in 0..<200 where waiting == nil {
            waiting = try admin.queryRow(
                """
                SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO credit_entries%'
                """, [.text(tag)])?.int(0)
            if waiting == nil { usleep(50_000) }
        }
        let pid = try #require(waiting, "heraldctl never reached its INSERT")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // Let its INSERT run to the end: the server then finds its client gone and rolls back.
        try blocker.query("ROLLBACK")
        try waitUntilGone(pid, admin)
        #expect(try CreditsSupport.entries(withKey: tag, in: workspace.id) == 0)
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 100, sum: 100, entries: 1, chainBreaks: 0))
    }

    func waitUntilGone(_ pid: Int, _ admin: Connection) throws {
        for _ in 0..<200 {
            if try admin.queryRow("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", [.int(pid)])!.int(0) == 0 { return }
            usleep(25_000)
        }
        Issue.record("backend \(pid) is still there after 5 s")
    }
}
