// Online key rotation under fire: 10,000 accounts sealed under key 1, `keys rotate` killed with
// SIGKILL part-way and run again while a reader keeps opening tokens through a vault that
// re-reads the keyring; afterwards every token is under key 2 and nothing was lost or unreadable.
import Foundation
import Synchronization
import Testing

@testable import HeraldCrypto

/// Every vault test that touches the database, in one serialized suite: `keys rotate` walks all
/// workspaces, so two of these at once would meet each other's keyrings.
@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct VaultDatabaseTests {
    init() throws { try Sodium.initialize() }

    /// Counts what the reader saw.
    final class ReaderLog: Sendable {
        struct Counts { var reads = 0, underKey2 = 0, failures: [String] = [] }
        let counts = Mutex(Counts())
        let stop = Atomic<Bool>(false)
    }

    /// Opens random accounts' tokens until told to stop, as a program would: its own connection
    /// as herald_app, the keyring through a vault that checks the file every 5 s.
    static func startReader(_ accounts: [VaultSupport.Account], keyring path: String, log: ReaderLog) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            let vault = TokenVault(path: path)
            guard let db = try? VaultSupport.connectApp() else {
                log.counts.withLock { $0.failures.append("cannot connect") }
                return
            }
            while !log.stop.load(ordering: .relaxed) {
                let account = accounts.randomElement()!
                do {
                    guard let sealed = try VaultSupport.sealedTokens(db, account) else { throw TestFailure("row \(account.id) is gone") }
                    let access = try vault.open(sealed.access, for: VaultSupport.field("access_token", account.id))
                    let refresh = try vault.open(sealed.refresh, for: VaultSupport.field("refresh_token", account.id))
                    guard access.equals(account.access), refresh.equals(account.refresh) else {
                        throw TestFailure("row \(account.id): wrong plaintext")
                    }
                    log.counts.withLock {
                        $0.reads += 1
                        if sealed.access.keyID == 2 { $0.underKey2 += 1 }
                    }
                } catch {
                    log.counts.withLock { $0.failures.append("row \(account.id): \(error)") }
                }
            }
        }
        thread.start()
        return done
    }

    @Test func rotationSurvivesSIGKILLBesideALiveReader() throws {
        let directory = try VaultSupport.makeDirectory("torture")
        let keyringPath = directory + "/keyring"
        func keys(_ arguments: String...) throws -> VaultSupport.Outcome { try VaultSupport.heraldctl(["keys"] + arguments, keyring: keyringPath) }
        #expect(try keys("init").status == 0)

        let workspaces = try VaultSupport.makeWorkspaces(3)
        defer { VaultSupport.dropWorkspaces(workspaces) }
        let keyring = try Keyring.load(path: keyringPath)
        let app = try VaultSupport.connectApp()
        var accounts: [VaultSupport.Account] = []
        for (index, workspace) in workspaces.enumerated() {
            accounts += try VaultSupport.insertAccounts(app, workspace: workspace, count: [3334, 3333, 3333][index], keyring: keyring)
        }
        #expect(accounts.count == 10_000)
        let admin = try VaultSupport.connectSuperuser()
        let ours = "{\(workspaces.map(String.init).joined(separator: ","))}"
        func rowsUnder(_ key: Int) throws -> Int {
            try admin.queryRow(
                """
                SELECT count(*) FROM social_accounts
                WHERE workspace_id = ANY($1::bigint[]) AND access_token_key_id = $2 AND refresh_token_key_id = $2
                """, [.text(ours), .int(key)])!.int(0)
        }
        #expect(try rowsUnder(1) == 10_000)

        // The reader starts before key 2 exists: it must pick it up from the file on its own.
        let log = ReaderLog()
        let readerDone = Self.startReader(accounts, keyring: keyringPath, log: log)
        var readerRunning = true
        func stopReader() {
            guard readerRunning else { return }
            readerRunning = false
            log.stop.store(true, ordering: .relaxed)
            readerDone.wait()
        }
        defer { stopReader() }

        #expect(try keys("add").status == 0)
        let promote = try keys("promote", "2")  // waits until programs have loaded key 2
        #expect(promote.status == 0, "\(promote.errors)")
        #expect(promote.errors.contains("waiting"), "\(promote.errors)")
        let early = try keys("retire", "1", "--no-wait")
        #expect(early.status != 0)
        #expect(
            early.errors.contains("key 1 still seals 20000 (social_accounts.access_token 10000, social_accounts.refresh_token 10000) values"),
            "\(early.errors)")

        // First run, killed after a few batches.
        let lastEvent = try admin.queryRow("SELECT coalesce(max(id), 0) FROM audit_events")!.int(0)
        let first = try VaultSupport.start(["keys", "rotate", "--batch", "50"], keyring: keyringPath)
        var rotatedBeforeKill = 0
        while first.process.isRunning {
            rotatedBeforeKill = try rowsUnder(2)
            if rotatedBeforeKill >= 150 {
                kill(first.process.processIdentifier, SIGKILL)
                break
            }
            usleep(2_000)
        }
        first.process.waitUntilExit()
        let firstErrors = try VaultSupport.read(first.errors)
        #expect(first.process.terminationReason == .uncaughtSignal, "killed, not finished: \(firstErrors)")
        // The killed client's backend may still be finishing a COMMIT it had sent: wait until
        // PostgreSQL has ended it, then count both keys in one snapshot.
        for _ in 0..<250 {
            let busy = try admin.queryRow(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE usename = 'herald_owner' AND pid <> pg_backend_pid() AND state <> 'idle' AND query ILIKE '%social_accounts%'
                """)!.int(0)
            if busy == 0 { break }
            usleep(20_000)
        }
        let split = try admin.queryRow(
            """
            SELECT count(*) FILTER (WHERE access_token_key_id = 1 AND refresh_token_key_id = 1),
                   count(*) FILTER (WHERE access_token_key_id = 2 AND refresh_token_key_id = 2)
            FROM social_accounts WHERE workspace_id = ANY($1::bigint[])
            """, [.text(ours)])!
        let afterKill = try split.int(1)
        #expect(afterKill > 0 && afterKill < 10_000, "killed part-way: \(afterKill) rows rotated")
        #expect(try split.int(0) + afterKill == 10_000, "no row is half re-sealed")
        #expect(try keys("retire", "1", "--no-wait").status != 0, "still refused after the killed run")

        // Second run finishes the job.
        let second = try keys("rotate", "--batch", "50")
        #expect(second.status == 0, "\(second.errors)")
        #expect(
            second.output.contains("re-sealed \(10_000 - afterKill) rows (\(2 * (10_000 - afterKill)) tokens) from key 1 to key 2"),
            "\(second.output)")
        #expect(
            second.errors.contains("rows/s") && second.errors.contains("ETA") && second.errors.contains("/\(10_000 - afterKill) rows"),
            "progress on stderr: \(second.errors)")

        // Let the reader go on a moment with everything under key 2, then stop it.
        usleep(300_000)
        stopReader()
        let seen = log.counts.withLock { $0 }
        print(
            "rotation torture: killed after \(afterKill) rows; reader: \(seen.reads) reads, \(seen.underKey2) under key 2, \(seen.failures.count) failures"
        )
        #expect(seen.failures.isEmpty, "reader failures: \(seen.failures.prefix(5)) (\(seen.failures.count) in all)")
        #expect(seen.reads > 1000, "the reader kept reading: \(seen.reads) reads")
        #expect(seen.underKey2 > 0, "the reader opened key-2 tokens after reloading the keyring: \(seen.underKey2)")

        // Every row under key 2, with its original plaintext.
        #expect(try rowsUnder(2) == 10_000)
        let current = try Keyring.load(path: keyringPath)
        var wrong = 0
        for account in accounts {
            let sealed = try #require(try VaultSupport.sealedTokens(app, account))
            let access = try current.open(sealed.access, for: VaultSupport.field("access_token", account.id))
            let refresh = try current.open(sealed.refresh, for: VaultSupport.field("refresh_token", account.id))
            if sealed.access.keyID != 2 || sealed.refresh.keyID != 2 || !access.equals(account.access) || !refresh.equals(account.refresh) {
                wrong += 1
            }
        }
        #expect(wrong == 0)

        // A third run has nothing to do.
        let third = try keys("rotate")
        #expect(third.status == 0)
        #expect(third.output.contains("0 rows changed"), "\(third.output)")
        #expect(try rowsUnder(2) == 10_000)

        // Only now may key 1 go.
        let retire = try keys("retire", "1")
        #expect(retire.status == 0, "\(retire.errors)")
        #expect(try Keyring.load(path: keyringPath).status(of: 1) == .retired)
        let status = try keys("status")
        #expect(status.output.contains("1    retired   0"), "\(status.output)")
        #expect(status.output.contains("2    primary   "), "\(status.output)")

        // The audit trail: the two completed runs account for every row the killed one left.
        let rotated = try admin.query(
            """
            SELECT (details->>'rows')::int FROM audit_events
            WHERE action = 'keys.rotated' AND workspace_id IS NULL AND id > $1 ORDER BY id
            """, [.int(lastEvent)]
        ).rows.map { try $0.int(0) }
        #expect(rotated == [10_000 - afterKill, 0], "\(rotated)")
    }
}
