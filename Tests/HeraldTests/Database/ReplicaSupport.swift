// The streaming replica of the test stack (scripts/test.sh, make_replica in scripts/lib.sh: a hot
// standby of the test cluster on its own port and socket, HERALD_READ_DATABASE_URL of the programs):
// stop it, start it again, wait until it has replayed what the primary wrote. Tests that stop it
// take `whileStopped`, which also keeps two of them from stopping it at once.
import Foundation
import Glibc

@testable import HeraldDatabase

enum ReplicaSupport {
    /// True when run through `make test` with its replica.
    static let isAvailable = TestEnvironment.isAvailable && TestEnvironment.variables["HERALD_TEST_REPLICA_URL"] != nil

    /// The replica as the programs reach it (role herald_app).
    static var url: String { TestEnvironment.variables["HERALD_TEST_REPLICA_URL"]! }
    static var dataDirectory: String { TestEnvironment.variables["HERALD_TEST_REPLICA_DATA"]! }
    static var port: String { TestEnvironment.variables["HERALD_TEST_REPLICA_PORT"]! }
    static var socketDirectory: String { TestEnvironment.variables["HERALD_TEST_REPLICA_SOCKET"]! }

    static func connect() throws -> Connection { try Connection(url) }

    /// The replica as the superuser (to pause and resume replay).
    static func connectSuperuser() throws -> Connection {
        try Connection("host=\(socketDirectory) port=\(port) dbname=herald user=postgres")
    }

    /// Held while a test has the replica stopped or its replay paused.
    private static let outage = NSRecursiveLock()

    /// Runs `body` with the replica stopped (`pg_ctl stop -m fast`), then starts it again and waits
    /// until it accepts connections and has caught up, whether `body` threw or not. One test at a
    /// time: another caller waits for the replica to be back first.
    static func whileStopped<T>(_ body: () throws -> T) throws -> T {
        try exclusively {
            try stop()
            let value: T
            do {
                value = try body()
            } catch {
                try? start()
                throw error
            }
            try start()
            try waitUntilCaughtUp()
            return value
        }
    }

    /// Runs `body` holding the replica for itself (no other `whileStopped` or `exclusively` runs meanwhile).
    static func exclusively<T>(_ body: () throws -> T) throws -> T {
        outage.lock()
        defer { outage.unlock() }
        return try body()
    }

    /// Stops the replica (`pg_ctl stop -m fast`, waiting until it is down).
    static func stop() throws {
        try pgCtl("-m fast -w -t 60 stop")
    }

    /// Starts the replica with the settings in its postgresql.conf and waits until it accepts connections.
    static func start() throws {
        try pgCtl("-l '\(dataDirectory)/server.log' -w -t 60 start")
        try waitUntilAcceptsConnections()
    }

    /// Waits until a connection as herald_app succeeds (pg_ctl -w returns once the standby is
    /// consistent, but a moment of "the database system is starting up" does no harm here).
    static func waitUntilAcceptsConnections(seconds: Double = 30) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                _ = try connect().query("SELECT 1")
                return
            } catch {
                guard Date() < deadline else { throw TestFailure("the replica did not accept connections within \(seconds) s: \(error)") }
                usleep(100_000)
            }
        }
    }

    /// Waits until the replica has replayed all the WAL the primary had written when this was
    /// called (rows committed before the call are then visible on it). Never while another test has
    /// the replica stopped: it waits for it to be back.
    static func waitUntilCaughtUp(seconds: Double = 30) throws {
        try exclusively { try waitForReplay(seconds: seconds) }
    }

    private static func waitForReplay(seconds: Double) throws {
        let primary = try TestEnvironment.connectApp()
        let target = try primary.queryRow("SELECT pg_current_wal_lsn()::text")!.string(0)
        let replica = try connect()
        let deadline = Date().addingTimeInterval(seconds)
        while try !replica.queryRow("SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", [.text(target)])!.bool(0) {
            guard Date() < deadline else { throw TestFailure("the replica did not replay up to \(target) within \(seconds) s") }
            usleep(50_000)
        }
    }

    /// `pg_ctl -D <replica> ARGUMENTS` as the cluster's owner. Through system(3), which waits for its
    /// own child, like PostgresRestartTests.
    private static func pgCtl(_ arguments: String) throws {
        let command = "'\(TestEnvironment.pgBinDir)/pg_ctl' -D '\(dataDirectory)' \(arguments) >/dev/null 2>&1"
        let status = ProcessTable.asClusterOwner(command)
        guard status == 0 else { throw TestFailure("pg_ctl \(arguments) for the replica exited with \(status)") }
    }
}
