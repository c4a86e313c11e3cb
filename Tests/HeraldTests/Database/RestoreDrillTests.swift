// The restore drill: a cluster of its own archiving WAL through `heraldctl backup archive-wal`, a
// base backup, rows written before a noted moment and after it, `heraldctl restore --to` that moment
// into a new cluster, and there exactly the earlier rows, their sealed tokens opening with the
// keyring's backup copy alone. Also the refusals of backup and restore.
import Foundation
import Glibc
import Testing

@testable import HeraldCrypto
@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct RestoreDrillTests {
    @Test func restoreToANotedMomentBringsBackExactlyTheRowsWrittenBeforeIt() throws {
        try Sodium.initialize()
        let cluster = try DrillCluster()
        defer { cluster.remove() }
        let keyring = cluster.root + "/keys/keyring"
        let copies = cluster.root + "/keyring-copies"
        try makeDirectory(cluster.root + "/keys", mode: 0o700)
        try makeDirectory(copies, mode: 0o700)
        let initialized = try cluster.heraldctl(["keys", "init"])
        try #require(initialized.status == 0, "\(initialized.errors)")
        let admin = try cluster.connect(user: "postgres")
        let app = try cluster.connect(user: "herald_app")
        let owner = try insertUser(admin, "owner")
        let workspace = try admin.transaction { db in
            let id = try db.queryRow(
                "INSERT INTO workspaces (slug, name, owner_id) VALUES ('drill', 'Drill', $1) RETURNING id", [.int(owner)])!.int(0)
            try db.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')", [.int(id), .int(owner)])
            return id
        }
        let sealedBeforeBackup = try VaultSupport.insertAccounts(app, workspace: workspace, count: 1, keyring: try Keyring.load(path: keyring))[0]
        let beforeBackup = try serverTime(admin)

        var clock = Date()
        let backup = try cluster.heraldctl(["backup", "--dir", cluster.backups])
        let backupSeconds = Date().timeIntervalSince(clock)
        try #require(backup.status == 0, "\(backup.output) \(backup.errors)")
        #expect(backup.output.contains("verified"), "\(backup.output)")
        #expect(backup.output.contains("WAL archiving works"), "\(backup.output)")
        let keyringCopy = try cluster.heraldctl(["backup", "keyring", "--to", copies])
        try #require(keyringCopy.status == 0, "\(keyringCopy.errors)")
        let copyNames = try FileManager.default.contentsOfDirectory(atPath: copies).filter { $0.hasPrefix("keyring-") }
        try #require(copyNames.count == 1, "\(copyNames)")
        let copy = "\(copies)/\(copyNames[0])"
        #expect((try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int) == 0o600)
        #expect(try cluster.heraldctl(["backup", "keyring", "--to", copies]).output.contains("unchanged"), "a second copy only when it changed")

        // Rows A: after the base backup, before the noted moment (replayed from archived WAL).
        let rowsA = try (1...3).map { try insertUser(admin, "drill-a-\($0)") }
        let accountA = try VaultSupport.insertAccounts(app, workspace: workspace, count: 1, keyring: try Keyring.load(path: keyring))[0]
        sleep(1)  // commit times well apart from the moment
        let moment = try serverTime(admin)
        sleep(1)
        // Rows B: after it.
        let rowsB = try (1...3).map { try insertUser(admin, "drill-b-\($0)") }
        let accountB = try VaultSupport.insertAccounts(app, workspace: workspace, count: 1, keyring: try Keyring.load(path: keyring))[0]
        // Close the WAL file holding rows B, so the archive reaches past the moment.
        let last = try admin.queryRow("SELECT pg_walfile_name(pg_switch_wal())")!.string(0)
        try waitFor("\(cluster.backups)/wal/\(last)", seconds: 30)

        let early = try cluster.heraldctl(["restore", "--dir", cluster.backups, "--to", beforeBackup, "--into", cluster.root + "/early"])
        #expect(early.status != 0)
        #expect(early.errors.contains("is before the first base backup finished"), "\(early.errors)")
        #expect(!FileManager.default.fileExists(atPath: cluster.root + "/early"), "a refused restore creates nothing")
        let future = try cluster.heraldctl(["restore", "--dir", cluster.backups, "--to", "2999-01-01T00:00:00Z", "--into", cluster.root + "/future"])
        #expect(future.status != 0)
        #expect(future.errors.contains("is in the future"), "\(future.errors)")
        try makeDirectory(cluster.root + "/occupied", mode: 0o700)
        _ = FileManager.default.createFile(atPath: cluster.root + "/occupied/PG_VERSION", contents: Data("15\n".utf8))
        let occupied = try cluster.heraldctl(["restore", "--dir", cluster.backups, "--to", moment, "--into", cluster.root + "/occupied"])
        #expect(occupied.status != 0)
        #expect(occupied.errors.contains("is not empty"), "\(occupied.errors)")

        // The keyring file is gone: only its backup copy is left.
        try FileManager.default.removeItem(atPath: keyring)
        clock = Date()
        let restore = try cluster.heraldctl([
            "restore", "--dir", cluster.backups, "--to", moment, "--into", cluster.restored, "--start", "--socket", cluster.restoredSocket,
            "--port", DrillCluster.port,
        ])
        let restoreSeconds = Date().timeIntervalSince(clock)
        try #require(restore.status == 0, "\(restore.output) \(restore.errors)")
        #expect(restore.output.contains("running and writable"), "\(restore.output)")
        print("restore drill: backup \(String(format: "%.2f", backupSeconds)) s, restore with recovery \(String(format: "%.2f", restoreSeconds)) s")

        let restoredAdmin = try Connection(cluster.restoredURL(user: "postgres"))
        #expect(try restoredAdmin.queryRow("SELECT pg_is_in_recovery()")!.bool(0) == false)
        let users = try restoredAdmin.query("SELECT id FROM users WHERE email LIKE 'drill-%' ORDER BY id").rows.map { try $0.int(0) }
        #expect(users == rowsA, "exactly the rows written before the moment: \(users), A \(rowsA), B \(rowsB)")
        let accounts = try restoredAdmin.query("SELECT id FROM social_accounts WHERE workspace_id = $1 ORDER BY id", [.int(workspace)]).rows.map {
            try $0.int(0)
        }
        #expect(accounts == [sealedBeforeBackup.id, accountA.id], "account B (\(accountB.id)) came after the moment")
        #expect(try admin.queryRow("SELECT count(*) FROM users WHERE email LIKE 'drill-%'")!.int(0) == 6, "the original still has A and B")

        let vault = TokenVault(path: copy)
        let restoredApp = try Connection(cluster.restoredURL(user: "herald_app"))
        for account in [sealedBeforeBackup, accountA] {
            let sealed = try #require(try VaultSupport.sealedTokens(restoredApp, account))
            #expect(try vault.open(sealed.access, for: VaultSupport.field("access_token", account.id)).equals(account.access))
            #expect(try vault.open(sealed.refresh, for: VaultSupport.field("refresh_token", account.id)).equals(account.refresh))
        }
        #expect(try insertUser(restoredAdmin, "drill-after-restore") > 0, "the restored cluster takes writes")
    }

    @Test func backupAndRestoreRefuseWhatTheyCannotDoAndSayWhy() throws {
        try Sodium.initialize()
        let directory = try VaultSupport.makeDirectory("backup-refusals")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func heraldctl(_ arguments: String...) throws -> VaultSupport.Outcome {
            try runHeraldctl(arguments, environment: ["HERALD_KEYRING_FILE": directory + "/keyring"], outputs: directory)
        }
        let noURL = try heraldctl("backup", "--dir", directory + "/backups")
        #expect(noURL.status != 0)
        #expect(noURL.errors.contains("HERALD_BACKUP_DATABASE_URL is not set"), "\(noURL.errors)")
        for (time, message) in [
            ("2026-05-01 12:30", "has no time zone"), ("yesterday", "cannot read `yesterday` as a time"),
            ("2026-02-30T10:00Z", "is not a valid date"), ("2026-05-01T12:30+25:00", "impossible time zone offset"),
        ] {
            let refused = try heraldctl("restore", "--dir", directory, "--to", time, "--into", directory + "/restored")
            #expect(refused.status != 0)
            #expect(refused.errors.contains(message), "\(time): \(refused.errors)")
        }
        let empty = try heraldctl("restore", "--dir", directory, "--to", "2020-05-01T12:30:00+02:00", "--into", directory + "/restored")
        #expect(empty.errors.contains("no finished base backup"), "\(empty.errors)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/restored"))

        // archive-wal: the same file twice is fine (PostgreSQL may retry after a crash); another file under the same name is not.
        let segment = "000000010000000000000007"
        let bytes = Data((0..<65536).map { _ in UInt8.random(in: 0...255) })
        _ = FileManager.default.createFile(atPath: directory + "/segment", contents: bytes)
        try makeDirectory(directory + "/backups", mode: 0o700)
        #expect(try heraldctl("backup", "archive-wal", "--dir", directory + "/backups", directory + "/segment", segment).status == 0)
        let archived = directory + "/backups/wal/" + segment
        #expect(FileManager.default.contents(atPath: archived) == bytes)
        #expect((try FileManager.default.attributesOfItem(atPath: archived)[.posixPermissions] as? Int) == 0o600)
        #expect(try heraldctl("backup", "archive-wal", "--dir", directory + "/backups", directory + "/segment", segment).status == 0)
        _ = FileManager.default.createFile(atPath: directory + "/other", contents: Data(bytes.reversed()))
        let clash = try heraldctl("backup", "archive-wal", "--dir", directory + "/backups", directory + "/other", segment)
        #expect(clash.status != 0)
        #expect(clash.errors.contains("exists with other content"), "\(clash.errors)")
        #expect(FileManager.default.contents(atPath: archived) == bytes, "the archived file is untouched")

        // The keyring copy refuses a directory others may enter, and the database backup directory.
        _ = try Keyring.create(path: directory + "/keyring")
        try makeDirectory(directory + "/open", mode: 0o755)
        #expect(try heraldctl("backup", "keyring", "--to", directory + "/open").errors.contains("chmod 700"))
        try makeDirectory(directory + "/backups/base", mode: 0o700)
        #expect(try heraldctl("backup", "keyring", "--to", directory + "/backups").errors.contains("keep the keyring apart"))
    }
}

/// A PostgreSQL cluster of the drill's own (initdb, socket directory, port), archiving WAL into
/// `backups` through heraldctl, with Herald's roles and migrations; `remove()` stops it and the
/// restored one and deletes everything.
private final class DrillCluster {
    /// Unix sockets only, each cluster in its own directory: the port cannot clash.
    static let port = "5432"
    let root: String
    var data: String { root + "/pg" }
    var socket: String { root + "/sock" }
    var backups: String { root + "/backups" }
    var restored: String { root + "/restored" }
    var restoredSocket: String { root + "/restored-sock" }
    var environment: [String: String] {
        [
            "HERALD_OWNER_DATABASE_URL": url(user: "herald_owner"), "HERALD_DATABASE_URL": url(user: "herald_app"),
            "HERALD_KEYRING_FILE": root + "/keys/keyring", "HERALD_BACKUP_DATABASE_URL": url(user: "postgres", database: "postgres"),
            "HERALD_PG_BINDIR": TestEnvironment.pgBinDir,
        ]
    }

    init() throws {
        root = TestEnvironment.temporaryDirectory + "/restore-drill-" + UUID().uuidString.prefix(8).lowercased()
        do {
            try makeDirectory(root, mode: 0o755, forPostgres: true)
            try makeDirectory(socket, mode: 0o755, forPostgres: true)
            try makeDirectory(backups, mode: 0o700, forPostgres: true)
            try asClusterOwner("'\(TestEnvironment.pgBinDir)/initdb' -D '\(data)' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8")
            let settings = """

                # The restore drill (RestoreDrillTests).
                port = \(DrillCluster.port)
                listen_addresses = ''
                unix_socket_directories = '\(socket)'
                wal_level = replica
                archive_mode = on
                archive_command = '\(TestEnvironment.binary("heraldctl")) backup archive-wal --dir \(backups) %p %f'

                """
            let conf = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/postgresql.conf"))
            conf.seekToEndOfFile()
            conf.write(Data(settings.utf8))
            conf.closeFile()
            try asClusterOwner("'\(TestEnvironment.pgBinDir)/pg_ctl' -D '\(data)' -l '\(root)/pg.log' -w -t 60 start")
            let superuser = try connect(user: "postgres", database: "postgres")
            try superuser.executeScript("CREATE ROLE herald_owner LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
            try superuser.executeScript("CREATE ROLE herald_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS")
            try superuser.executeScript("CREATE DATABASE herald OWNER herald_owner")
            try connect(user: "postgres").executeScript("ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF")
            let migrated = try heraldctl(["migrate", "up"])
            guard migrated.status == 0 else { throw TestFailure("heraldctl migrate up failed: \(migrated.errors)") }
        } catch {
            remove()
            throw error
        }
    }

    func url(user: String, database: String = "herald") -> String { "host=\(socket) port=\(DrillCluster.port) dbname=\(database) user=\(user)" }
    func restoredURL(user: String) -> String { "host=\(restoredSocket) port=\(DrillCluster.port) dbname=herald user=\(user)" }
    func connect(user: String, database: String = "herald") throws -> Connection { try Connection(url(user: user, database: database)) }

    /// heraldctl against this cluster; never throws on a non-zero exit.
    func heraldctl(_ arguments: [String]) throws -> VaultSupport.Outcome {
        try runHeraldctl(arguments, environment: environment, outputs: root)
    }

    /// Stops both clusters (if running) and deletes the drill's directory.
    func remove() {
        for directory in [data, restored] where FileManager.default.fileExists(atPath: directory + "/postmaster.pid") {
            try? asClusterOwner("'\(TestEnvironment.pgBinDir)/pg_ctl' -D '\(directory)' -m immediate -w -t 60 stop")
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A shell command as the cluster's owner, its output in the drill's log.
    private func asClusterOwner(_ command: String) throws {
        let status = ProcessTable.asClusterOwner("\(command) >>'\(root)/commands.log' 2>&1")
        guard status == 0 else {
            let log = (try? String(contentsOfFile: root + "/commands.log", encoding: .utf8)) ?? ""
            throw TestFailure("\(command) exited with \(status): \(log.suffix(2000))")
        }
    }
}

/// Runs the built heraldctl with extra environment and waits for it; its output and errors go to
/// files. A SpawnedProcess: `restore --start` starts a PostgreSQL server, which would keep Foundation's
/// Process from seeing heraldctl's end.
private func runHeraldctl(_ arguments: [String], environment: [String: String], outputs directory: String) throws -> VaultSupport.Outcome {
    let tag = UUID().uuidString.prefix(8)
    let output = "\(directory)/heraldctl-\(tag).out"
    let errors = "\(directory)/heraldctl-\(tag).err"
    let heraldctl = try SpawnedProcess(
        [TestEnvironment.binary("heraldctl")] + arguments, environment: TestEnvironment.variables.merging(environment) { $1 }, output: output,
        errors: errors)
    let status = heraldctl.wait()
    return VaultSupport.Outcome(status: status, output: try VaultSupport.read(output), errors: try VaultSupport.read(errors))
}

/// A directory with a mode; when we are root and the cluster's server writes there, owned by postgres.
private func makeDirectory(_ path: String, mode: Int, forPostgres: Bool = false) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: mode])
    guard forPostgres, getuid() == 0 else { return }
    guard let user = getpwnam("postgres"), chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
        throw TestFailure("cannot give \(path) to postgres")
    }
}

/// A user row (the drill's unit of "a write"); returns its id.
private func insertUser(_ db: Connection, _ tag: String) throws -> Int {
    try db.queryRow(
        "INSERT INTO users (name, email, password_hash) VALUES ($1, $2, $3) RETURNING id",
        [.text(tag), .text("\(tag)@example.com"), .text("$argon2id$v=19$m=65536,t=2,p=1$ZHJpbGw$ZHJpbGw")])!.int(0)
}

/// The server's clock now, as ISO 8601 in UTC.
private func serverTime(_ db: Connection) throws -> String {
    try db.queryRow("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")!.string(0)
}

private func waitFor(_ path: String, seconds: Double) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !FileManager.default.fileExists(atPath: path) {
        guard Date() < deadline else { throw TestFailure("\(path) did not appear within \(seconds) s") }
        usleep(50_000)
    }
}
