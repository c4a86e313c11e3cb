// The read replica: a real streaming replica of the test cluster (make test starts one), what
// Replica.lagSeconds says about it, and readDB()/withReadDB falling back to the primary when it is
// stopped. The suite that stops it runs its tests one at a time (and ReplicaSupport keeps other
// suites from stopping it meanwhile).
import Foundation
import Glibc
import Testing

@testable import HeraldDatabase
@testable import HeraldFastCGI
@testable import HeraldSupport
@testable import HeraldWeb

/// The process-wide hold-down, without a database.
@Suite struct ReplicaHealthTests {
    @Test func afterAFailureOnlyOneThreadTriesTheReplicaAgain() throws {
        let health = ReplicaHealth(holdDownSeconds: 0.05)
        #expect(health.admission() == .up)
        health.markDown(TestFailure("gone"))
        #expect(health.isDown)
        #expect(health.admission() == .down)
        usleep(80_000)
        // Once the hold-down is over, 32 threads asking get one try between them.
        let answers = (0..<32).map { _ in health.admission() }
        #expect(answers.filter { $0 == .probe }.count == 1)
        #expect(answers.filter { $0 == .down }.count == 31)
        // That try failed: down again, for another hold-down.
        health.markDown(TestFailure("still gone"))
        #expect(health.admission() == .down)
        usleep(80_000)
        #expect(health.admission() == .probe)
        health.markUp()
        #expect(!health.isDown)
        #expect(health.admission() == .up)
    }
}

@Suite(.enabled(if: ReplicaSupport.isAvailable, "needs the test stack of `make test` with its replica"), .serialized)
struct ReplicaTests {
    @Test func theProgramsAreToldWhereTheReplicaIs() throws {
        let config = try Config.fromEnvironment()
        #expect(config.readDatabaseURL == ReplicaSupport.url)
        #expect(config.readDatabaseURL != config.databaseURL)
    }

    @Test func aRowWrittenOnThePrimaryShowsOnTheReplica() throws {
        try ReplicaSupport.exclusively {
            let replica = try ReplicaSupport.connect()
            #expect(try replica.queryRow("SELECT pg_is_in_recovery()")!.bool(0), "HERALD_TEST_REPLICA_URL is a standby")
            #expect(try !TestEnvironment.connectApp().queryRow("SELECT pg_is_in_recovery()")!.bool(0))
            let email = TestEnvironment.uniqueEmail("replica")
            try TestEnvironment.connectApp().query(
                "INSERT INTO users (name, email, password_hash) VALUES ('Replica', $1, '$argon2id$v=19$x')", [.text(email)])
            defer { _ = try? TestEnvironment.connectApp().query("DELETE FROM users WHERE email = $1", [.text(email)]) }
            let started = Date()
            var seen = false
            while !seen && Date().timeIntervalSince(started) < 10 {
                seen = try replica.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(email)])!.int(0) == 1
                if !seen { usleep(20_000) }
            }
            #expect(seen, "the row reached the replica within 10 s")
            // A tenant's transaction (the setting row-level security reads) works on the read-only standby.
            let tenant = try replica.transaction(workspace: 42) { try $0.queryRow("SELECT current_setting('app.workspace_id')")!.string(0) }
            #expect(tenant == "42")
            // The replica refuses writes.
            do {
                try replica.query("INSERT INTO users (name, email, password_hash) VALUES ('X', $1, 'x')", [.text(TestEnvironment.uniqueEmail())])
                Issue.record("the replica accepted a write")
            } catch let error as DatabaseError {
                #expect(error.sqlState == "25006", "read-only transaction: \(error)")
            }
        }
    }

    @Test func lagIsNilOnThePrimaryAndOnACaughtUpReplica() throws {
        try ReplicaSupport.exclusively {
            let primary = try TestEnvironment.connectApp()
            #expect(try Replica.lagSeconds(primary) == nil)
            #expect(try Replica.dataAsOf(primary, laggingMoreThan: -1) == nil)
            try ReplicaSupport.waitUntilCaughtUp()
            // Other suites write meanwhile, so the replica may be a few records behind at any one
            // moment; caught up, it says nil within a few tries.
            let replica = try ReplicaSupport.connect()
            var lag: Double? = try Replica.lagSeconds(replica)
            let deadline = Date().addingTimeInterval(10)
            while lag != nil, Date() < deadline {
                usleep(20_000)
                lag = try Replica.lagSeconds(replica)
            }
            #expect(lag == nil)
            #expect(try Replica.dataAsOf(replica) == nil)
        }
    }

    @Test func aReplicaThatStoppedReplayingLagsAndSaysSince() throws {
        try ReplicaSupport.exclusively {
            let admin = try ReplicaSupport.connectSuperuser()
            try ReplicaSupport.waitUntilCaughtUp()
            // Replay paused, the WAL receiver still receives: what the primary commits now arrives
            // but is not applied, like a replica that cannot keep up.
            try admin.query("SELECT pg_wal_replay_pause()")
            defer { _ = try? admin.query("SELECT pg_wal_replay_resume()") }
            let paused = Int(Date().timeIntervalSince1970.rounded(.up))
            let email = TestEnvironment.uniqueEmail("lag")
            try TestEnvironment.connectApp().query(
                "INSERT INTO users (name, email, password_hash) VALUES ('Lag', $1, '$argon2id$v=19$x')", [.text(email)])
            defer { _ = try? TestEnvironment.connectApp().query("DELETE FROM users WHERE email = $1", [.text(email)]) }
            let replica = try ReplicaSupport.connect()
            let deadline = Date().addingTimeInterval(10)
            while try !replica.queryRow("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")!.bool(0) {
                guard Date() < deadline else { throw TestFailure("the replica received nothing new within 10 s") }
                usleep(20_000)
            }
            usleep(1_200_000)
            let lag = try #require(try Replica.lagSeconds(replica), "received but not replayed is lag")
            #expect(lag >= 1)
            #expect(lag < 120)
            let asOf = try #require(try Replica.dataAsOf(replica, laggingMoreThan: 1))
            #expect(asOf <= paused, "the data is as of a commit before the pause")
            #expect(try Replica.dataAsOf(replica) == nil, "not yet a minute behind")
            #expect(try replica.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(email)])!.int(0) == 0)
            try admin.query("SELECT pg_wal_replay_resume()")
            try ReplicaSupport.waitUntilCaughtUp()
            #expect(try replica.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(email)])!.int(0) == 1)
        }
    }

    /// A request context of a program configured with the replica, without a FastCGI server: the
    /// primary as `db()`, the replica through its own hold-down (so this test does not depend on
    /// what else the process did to the shared one).
    func context(_ replica: ReplicaConnection, primary: Connection) throws -> RequestContext {
        let request = try Request(params: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/analytics", "REQUEST_ID": "replica-test"], body: [])
        return RequestContext(
            request: request, services: Services(config: try Config.fromEnvironment()), hooks: RequestHooks(), database: { primary },
            replica: replica)
    }

    static func inRecovery(_ db: Connection) throws -> Bool { try db.queryRow("SELECT pg_is_in_recovery()")!.bool(0) }

    @Test func withTheReplicaStoppedReadsGoToThePrimaryAndComeBack() throws {
        let primary = try TestEnvironment.connectApp()
        let health = ReplicaHealth(holdDownSeconds: 0.3)
        let replica = ReplicaConnection(ReplicaSupport.url, health: health)
        let before = try context(replica, primary: primary)
        #expect(try ReplicaTests.inRecovery(before.readDB()), "readDB() is the replica while it is up")
        #expect(before.readFromReplica)
        #expect(try before.withReadDB { try ReplicaTests.inRecovery($0) })
        #expect(before.readFromReplica)

        try ReplicaSupport.whileStopped {
            // A connection attempt fails, as a connection failure.
            do {
                _ = try ReplicaSupport.connect()
                Issue.record("connected to the stopped replica")
            } catch let error as DatabaseError {
                #expect(error.isConnectionFailure, "\(error)")
            }
            // The thread's replica connection dies under a read: withReadDB runs it again on the
            // primary, and marks the replica down.
            let during = try context(replica, primary: primary)
            #expect(try !during.withReadDB { try ReplicaTests.inRecovery($0) }, "the read ran on the primary")
            #expect(!during.readFromReplica)
            #expect(health.isDown)
            // While it is down, readDB() is the primary without trying the replica.
            #expect(try !ReplicaTests.inRecovery(during.readDB()))
            #expect(!during.readFromReplica)

            // A thread that had no replica connection yet: connecting fails, it reads from the primary.
            let otherHealth = ReplicaHealth(holdDownSeconds: 60)
            let fresh = try context(ReplicaConnection(ReplicaSupport.url, health: otherHealth), primary: primary)
            #expect(try !ReplicaTests.inRecovery(fresh.readDB()))
            #expect(!fresh.readFromReplica)
            #expect(otherHealth.isDown)
            #expect(try fresh.withReadDB { try ReplicaTests.inRecovery($0) } == false)

            // After the hold-down one try is made, it fails again, and reads stay on the primary.
            usleep(400_000)
            #expect(try !ReplicaTests.inRecovery(during.readDB()))
            #expect(health.isDown)
        }

        // Back up: after the hold-down the next read tries it again and stays there.
        usleep(400_000)
        let after = try context(replica, primary: primary)
        #expect(try ReplicaTests.inRecovery(after.readDB()), "the replica is used again once it is back")
        #expect(after.readFromReplica)
        #expect(!health.isDown)
        #expect(try after.withReadDB { try ReplicaTests.inRecovery($0) })
    }
}
