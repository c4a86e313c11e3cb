// A program's connections to PostgreSQL: at most HERALD_DB_POOL_SIZE however many threads serve;
// a request that finds them all busy waits, then gets the 503 "busy" page; a connection comes back
// to the pool only when it is idle and sound.
import Foundation
import Glibc
import Synchronization
import Testing

@testable import HeraldDatabase
@testable import HeraldSupport

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct ConnectionPoolTests {
    static func backend(_ connection: Connection) throws -> Int {
        try #require(try connection.queryRow("SELECT pg_backend_pid()")?.int(0))
    }

    @Test func lendsAtMostItsSizeAndReusesIdleConnections() throws {
        let pool = ConnectionPool(conninfo: TestEnvironment.appURL, size: 2, waitSeconds: 1)
        let first = try pool.borrow()
        let second = try pool.borrow()
        let firstBackend = try Self.backend(first)
        #expect(try Self.backend(second) != firstBackend)
        #expect(pool.usage.open == 2 && pool.usage.lent == 2)

        let started = HeraldSupport.Clock.monotonicNanos()
        #expect(throws: PoolExhausted.self) { _ = try pool.borrow() }
        let waited = Double(HeraldSupport.Clock.monotonicNanos() - started) / 1e9
        #expect(waited >= 0.9, "waited \(waited) s for a connection before giving up")
        #expect(pool.usage.timeouts == 1)

        // Given back, the same connection (the same server process) is lent again.
        pool.giveBack(first)
        let again = try pool.borrow()
        #expect(try Self.backend(again) == firstBackend)
        #expect(pool.usage.open == 2)
        pool.giveBack(again)
        pool.giveBack(second)
        #expect(pool.usage.lent == 0 && pool.usage.open == 2)
    }

    @Test func aWaitingBorrowerGetsTheConnectionGivenBack() throws {
        let pool = ConnectionPool(conninfo: TestEnvironment.appURL, size: 1, waitSeconds: 10)
        let held = try pool.borrow()
        let backend = try Self.backend(held)
        let got = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        Thread.detachNewThread {
            if let connection = try? pool.borrow() {
                got.store((try? Self.backend(connection)) ?? -1, ordering: .releasing)
                pool.giveBack(connection)
            }
            done.store(true, ordering: .releasing)
        }
        usleep(200_000)
        let finishedEarly = done.load(ordering: .acquiring)
        #expect(!finishedEarly, "it waits while the only connection is lent")
        pool.giveBack(held)
        for _ in 0..<200 where !done.load(ordering: .acquiring) { usleep(10_000) }
        #expect(got.load(ordering: .acquiring) == backend)
        #expect(pool.usage.waits == 1 && pool.usage.timeouts == 0)
    }

    @Test func aConnectionLeftInATransactionOrBrokenIsClosedNotLent() throws {
        let pool = ConnectionPool(conninfo: TestEnvironment.appURL, size: 1, waitSeconds: 1)
        let open = try pool.borrow()
        let backend = try Self.backend(open)
        try open.query("BEGIN")
        try open.query("SELECT set_config('app.user_id', '42', true)")
        pool.giveBack(open)
        #expect(pool.usage.open == 0, "closed: the next request must not inherit a transaction")
        let next = try pool.borrow()
        #expect(try Self.backend(next) != backend)
        #expect(try next.queryRow("SELECT coalesce(current_setting('app.user_id', true), '')")?.string(0) == "")

        // Its server process ended (an administrator's pg_terminate_backend): closed, and the next is new.
        let killed = try Self.backend(next)
        let admin = try TestEnvironment.connectSuperuser()
        try admin.query("SELECT pg_terminate_backend($1)", [.int(killed)])
        usleep(100_000)
        _ = try? next.executeScript("SELECT 1")
        pool.giveBack(next)
        let fresh = try pool.borrow()
        #expect(try Self.backend(fresh) != killed)
        pool.giveBack(fresh)
    }

    /// A private herald-auth with 8 threads and a pool of 2 on its own socket.
    func startProgram(_ directory: String, application: String) throws -> Process {
        try startPrivateAuth(
            directory,
            environment: [
                "HERALD_THREADS": "8", "HERALD_DB_POOL_SIZE": "2", "HERALD_DB_POOL_WAIT_SECONDS": "1",
                "HERALD_DATABASE_URL": TestEnvironment.appURL + " application_name=\(application)",
            ])
    }

    static func failedLogin(_ socket: String) throws -> String {
        let client = try FastCGIClient(socketPath: socket)
        let body = try client.beginLogin(
            email: "pool-\(UUID().uuidString.prefix(8))@example.com", remoteAddress: "192.0.2.\(Int.random(in: 1...250))")
        try client.sendBody(body, last: true)
        return try client.readResponse()
    }

    @Test func aProgramHoldsAtMostItsPoolAndAnswersBusyWhenItStaysFull() throws {
        let directory = TestEnvironment.temporaryDirectory + "/pool-\(UUID().uuidString.prefix(6))"
        let application = "pooltest\(Int.random(in: 1000...9999))"
        let program = try startProgram(directory, application: application)
        defer {
            program.terminate()
            program.waitUntilExit()
        }
        let socket = directory + "/auth.sock"
        let admin = try TestEnvironment.connectSuperuser()
        func held() throws -> Int {
            try admin.queryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", [.text(application)])?.int(0) ?? -1
        }

        // 8 threads, 40 failed logins from 8 clients at once: every one answered, never more than 2 connections.
        let answers = Mutex<[String]>([])
        let maximum = Atomic<Int>(0)
        let running = Atomic<Bool>(true)
        Thread.detachNewThread {
            let watcher = try? TestEnvironment.connectSuperuser()
            while running.load(ordering: .acquiring) {
                let count =
                    (try? watcher?.queryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", [.text(application)])?.int(0)) ?? 0
                if count > maximum.load(ordering: .relaxed) { maximum.store(count, ordering: .relaxed) }
                usleep(2_000)
            }
        }
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<5 {
                let answer = (try? Self.failedLogin(socket)) ?? "no answer"
                answers.withLock { $0.append(String(answer.prefix(11))) }
            }
        }
        running.store(false, ordering: .releasing)
        let statuses = answers.withLock { $0 }
        #expect(statuses.count == 40)
        #expect(Set(statuses) == ["Status: 401"])
        #expect(maximum.load(ordering: .relaxed) >= 1 && maximum.load(ordering: .relaxed) <= 2, "held at most the pool's 2 connections")
        #expect(try held() <= 2)

        // Both connections stuck behind a lock for longer than the wait: a third request gets 503, not a hang.
        let owner = try TestEnvironment.connectOwner()
        try owner.query("BEGIN")
        try owner.query("LOCK TABLE login_attempts IN EXCLUSIVE MODE")
        let blocked = Mutex<[String]>([])
        for _ in 0..<2 {
            Thread.detachNewThread {
                let answer = (try? Self.failedLogin(socket)) ?? "no answer"
                blocked.withLock { $0.append(String(answer.prefix(11))) }
            }
        }
        // Both of the program's connections wait for the lock.
        var waiting = 0
        for _ in 0..<500 where waiting < 2 {
            usleep(10_000)
            waiting =
                try admin.queryRow(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [.text(application)]
                )?.int(0) ?? 0
        }
        #expect(waiting == 2)
        let busy = try Self.failedLogin(socket)
        #expect(busy.hasPrefix("Status: 503"), "\(busy.prefix(200))")
        #expect(busy.contains("Retry-After: 2"))
        #expect(busy.contains("Busy right now"))
        try owner.query("ROLLBACK")
        for _ in 0..<1500 where blocked.withLock({ $0.count }) < 2 { usleep(10_000) }
        #expect(blocked.withLock { $0 } == ["Status: 401", "Status: 401"], "the blocked requests finish once the lock goes")
        #expect(try held() <= 2)
    }
}
