// Helpers for the credit and plan tests: a workspace holding a balance, threads that start
// together, the ledger's invariants read back as the superuser, and heraldctl.
import Foundation
import Synchronization
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase
@testable import HeraldIdentity

enum CreditsSupport {
    /// The heraldctl that `make test` built (HERALD_TEST_BIN), or the default debug build.
    static var heraldctl: String {
        TestEnvironment.binary("heraldctl")
    }

    /// A fresh workspace owned by a fresh user (plus `members`), holding `balance` credits granted
    /// through the core API as herald_app (which also opens the credit account).
    static func workspace(balance: Int, members: [(Fixtures.User, Role)] = [], owner: Fixtures.User? = nil) throws -> (
        Fixtures.Workspace, Fixtures.User
    ) {
        let owner = try owner ?? Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner, members: members)
        if balance > 0 {
            _ = try Credits.grant(try TestEnvironment.connectApp(), workspace: workspace.id, amount: balance, key: "setup")
        }
        return (workspace, owner)
    }

    /// What the database says about a workspace's ledger, read as the superuser (no row-level security).
    struct LedgerState: Equatable, CustomStringConvertible {
        let balance: Int
        let sum: Int
        let entries: Int
        /// Entries whose balance_after is not the previous one's plus their amount, or negative, in
        /// created_at order (the order the trigger applied them in; ids are drawn before its lock).
        let chainBreaks: Int

        var description: String { "balance \(balance), sum \(sum), \(entries) entries, \(chainBreaks) chain breaks" }
    }

    static func state(_ workspace: Int, _ admin: Connection? = nil) throws -> LedgerState {
        let db = try admin ?? TestEnvironment.connectSuperuser(database: "herald")
        let row = try db.queryRow(
            """
            SELECT coalesce((SELECT balance FROM credit_accounts WHERE workspace_id = $1), 0),
                   (SELECT coalesce(sum(amount), 0) FROM credit_entries WHERE workspace_id = $1),
                   (SELECT count(*) FROM credit_entries WHERE workspace_id = $1),
                   (SELECT count(*) FROM (SELECT amount, balance_after, lag(balance_after, 1, 0::bigint) OVER (ORDER BY created_at, id) AS before
                                          FROM credit_entries WHERE workspace_id = $1) c
                    WHERE c.balance_after <> c.before + c.amount OR c.balance_after < 0)
            """, [.int(workspace)])!
        return LedgerState(balance: try row.int(0), sum: try row.int(1), entries: try row.int(2), chainBreaks: try row.int(3))
    }

    static func entries(withKey key: String, in workspace: Int) throws -> Int {
        try Fixtures.count("SELECT count(*) FROM credit_entries WHERE workspace_id = $1 AND idempotency_key = $2", [.int(workspace), .text(key)])
    }

    /// Lets threads that have finished their set-up (a connection, a session) start together.
    final class Barrier: Sendable {
        let parties: Int
        let arrived = Atomic<Int>(0)

        init(_ parties: Int) { self.parties = parties }

        func wait() {
            arrived.add(1, ordering: .sequentiallyConsistent)
            while arrived.load(ordering: .sequentiallyConsistent) < parties { usleep(200) }
        }
    }

    /// Runs `body` on `count` real threads (each may open its own connection, then call the barrier
    /// so all start at once) and returns their results in index order.
    static func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (_ index: Int, _ barrier: Barrier) -> T) -> [T] {
        let barrier = Barrier(count)
        let results = Mutex<[Int: T]>([:])
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                let value = body(index, barrier)
                results.withLock { $0[index] = value }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return results.withLock { all in (0..<count).map { all[$0]! } }
    }

    /// The SQLSTATE and constraint of what `body` throws, or nil when it succeeds.
    static func failure(_ body: () throws -> Void) -> (state: String?, constraint: String?, message: String)? {
        do {
            try body()
            return nil
        } catch let error as DatabaseError {
            return (error.sqlState, error.constraint, error.message)
        } catch {
            return (nil, nil, "\(error)")
        }
    }
}

extension CreditsSupport {
    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs heraldctl against the test database (or `ownerURL`); never throws on a non-zero exit.
    static func heraldctl(_ arguments: [String], ownerURL: String = TestEnvironment.ownerURL) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: heraldctl)
        process.arguments = arguments
        process.environment = TestEnvironment.variables.merging(["HERALD_OWNER_DATABASE_URL": ownerURL]) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            errors: String(decoding: errors, as: UTF8.self))
    }
}
