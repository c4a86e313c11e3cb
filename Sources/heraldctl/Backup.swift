// heraldctl backup: base backups with pg_basebackup (checked with pg_verifybackup), the server's
// archive_command that stores WAL beside them, copies of the keyring kept apart, a listing and
// pruning. README "Backups and point-in-time restore" says why it is built this way.
import ArgumentParser
import Glibc
import HeraldCrypto
import HeraldDatabase
import HeraldSupport

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database (base backups + archived WAL) and, apart from it, the keyring.",
        discussion: """
            `heraldctl backup --dir DIR` takes a base backup; PostgreSQL itself archives WAL into DIR/wal through \
            `archive_command = 'heraldctl backup archive-wal --dir DIR %p %f'`. `heraldctl restore` brings back any moment \
            covered by them.
            """,
        subcommands: [Base.self, ArchiveWAL.self, KeyringCopy.self, List.self, Prune.self],
        defaultSubcommand: Base.self)

    struct Base: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a base backup into DIR/base and check that the server archives WAL into DIR/wal.",
            discussion: "Connects with HERALD_BACKUP_DATABASE_URL (a superuser, e.g. 'host=/var/run/postgresql dbname=postgres user=postgres').")
        @Option(help: "The backup directory: base backups in base/, archived WAL in wal/.") var dir: String
        @Option(help: "Seconds to wait for the WAL file switched after the backup to arrive in DIR/wal.") var archiveTimeout: Int = 60

        func validate() throws {
            guard (1...3600).contains(archiveTimeout) else { throw ValidationError("--archive-timeout must be from 1 to 3600") }
        }

        func run() throws {
            guard let url = try Environment().optional("HERALD_BACKUP_DATABASE_URL") else {
                throw BackupError(
                    "HERALD_BACKUP_DATABASE_URL is not set: it names a PostgreSQL superuser for pg_basebackup and pg_switch_wal, "
                        + "e.g. 'host=/var/run/postgresql dbname=postgres user=postgres' (peer authentication, no password)")
            }
            let archive = BackupArchive(dir)
            let db = try Connection(url)
            let server = try ServerFacts(db)
            try server.checkArchiving(archive)
            if let other = try archive.backups().first(where: { $0.systemIdentifier != server.systemIdentifier }) {
                throw BackupError(
                    "\(archive.root) holds backups of another cluster (base backup \(other.name), system identifier \(other.systemIdentifier); "
                        + "this server is \(server.systemIdentifier)): give each cluster its own backup directory")
            }
            try makeDirectory(archive.root)
            try makeDirectory(archive.base)
            let started = try serverClock(db)
            let name = started.compact
            let final = "\(archive.base)/\(name)"
            let partial = final + ".partial"
            guard !FileIO.exists(final), !FileIO.exists(partial) else { throw BackupError("\(final) already exists: try again in a second") }
            try makeDirectory(partial)
            let clock = Clock.monotonicNanos()
            // -X stream: the WAL written during the backup comes along, so the backup is whole even without the archive;
            // -c fast: an immediate checkpoint instead of one spread over minutes.
            let basebackup = try Subprocess.run([
                PostgresTools.path("pg_basebackup", major: server.major), "--dbname", url, "--pgdata", partial + "/data", "--format", "plain",
                "--wal-method", "stream", "--checkpoint", "fast", "--no-password", "--label", "heraldctl backup \(name)",
            ])
            guard basebackup.status == 0 else {
                _ = try? Subprocess.run(["rm", "-rf", "--", partial])
                throw BackupError("pg_basebackup failed (exit \(basebackup.status)); nothing was kept")
            }
            let finished = try serverClock(db)
            // The WAL file holding the backup's end, closed now so that archiving can be seen to work.
            let switched: String
            do {
                switched = try db.queryRow("SELECT pg_walfile_name(pg_switch_wal())")!.string(0)
            } catch {
                throw BackupError("cannot switch WAL files (pg_switch_wal) to check archiving: \(error); the base backup stays in \(partial)")
            }
            let verify = try Subprocess.run([PostgresTools.path("pg_verifybackup", major: server.major), "--quiet", partial + "/data"])
            guard verify.status == 0 else {
                throw BackupError("pg_verifybackup found the base backup damaged (exit \(verify.status)); it stays in \(partial) for a look, unused")
            }
            let backup = BaseBackup(
                name: name, path: final, started: started, finished: finished, startSegment: try startSegment(partial + "/data"),
                systemIdentifier: server.systemIdentifier, serverVersion: server.version)
            try writeDurably(partial + "/backup.info", Array(backup.info().utf8), mode: 0o600)
            guard rename(partial, final) == 0 else { throw BackupError("cannot rename \(partial) to \(final): \(String(cString: strerror(errno)))") }
            print(
                "base backup \(name): \(formatBytes(diskUsage(final))) in \(formatTenths(secondsSince(clock))) s, verified; "
                    + "restorable to any time from \(finished.iso)")
            let waited = Clock.monotonicNanos()
            try waitForArchive(switched, archive: archive, db: db, server: server, timeout: archiveTimeout)
            print("WAL archiving works: \(switched) reached \(archive.wal) \(formatTenths(secondsSince(waited))) s after the switch")
        }

        /// Waits until the archiver has stored `segment` in DIR/wal; otherwise says what the server reports.
        private func waitForArchive(_ segment: String, archive: BackupArchive, db: Connection, server: ServerFacts, timeout: Int) throws {
            let deadline = Clock.monotonicNanos() + UInt64(timeout) * 1_000_000_000
            while !FileIO.exists("\(archive.wal)/\(segment)") {
                guard Clock.monotonicNanos() < deadline else {
                    let row = try db.queryRow(
                        """
                        SELECT coalesce(last_archived_wal, 'none'), coalesce(last_failed_wal, 'none'), failed_count,
                               coalesce(to_char(last_failed_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), 'never')
                        FROM pg_stat_archiver
                        """)!
                    throw BackupError(
                        "WAL file \(segment) did not reach \(archive.wal) within \(timeout) s, so archiving does not work "
                            + "(archive_command = '\(server.archiveCommand)'; last archived: \(try row.string(0)); last failure: "
                            + "\(try row.string(1)) at \(try row.string(3)), \(try row.int(2)) failures: PostgreSQL's log says why). "
                            + "The base backup was kept, but without archived WAL it restores only to its own end")
                }
                usleep(100_000)
            }
        }
    }

    struct ArchiveWAL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "archive-wal",
            abstract: "PostgreSQL's archive_command: store one WAL file in DIR/wal, flushed to disk, never replacing another.",
            discussion: "postgresql.conf: archive_command = '/usr/local/bin/heraldctl backup archive-wal --dir DIR %p %f'")
        @Option(help: "The backup directory.") var dir: String
        @Argument(help: "The file to archive (%p, relative to the data directory).") var path: String
        @Argument(help: "Its name in the archive (%f).") var name: String

        func validate() throws {
            guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { throw ValidationError("\(name) is not a WAL file name") }
        }

        func run() throws {
            let root = absolutePath(dir)
            guard FileIO.exists(root) else { throw BackupError("the backup directory \(root) does not exist") }
            let wal = root + "/wal"
            try makeDirectory(wal)
            let target = "\(wal)/\(name)"
            let bytes = try FileIO.readBytes(path)
            if FileIO.exists(target) {
                // After a crash PostgreSQL may hand over a file it had already archived: the same bytes are success.
                guard try FileIO.readBytes(target) == bytes else {
                    throw BackupError("\(target) exists with other content: not replaced (does another cluster archive into \(root)?)")
                }
                note("\(name) was already archived, with the same content")
                return
            }
            try writeDurably(target, bytes, mode: 0o600)
        }
    }

    struct KeyringCopy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keyring",
            abstract: "Copy the keyring (HERALD_KEYRING_FILE) into a directory kept apart from the database backups.",
            discussion: """
                Writes DIR/keyring-<time> (mode 0600) unless the newest copy there is identical. Keep every copy as long as any \
                database backup: `keys retire` destroys a key that older backups still need.
                """)
        @Option(help: "The directory for keyring copies: only its owner may enter it, and it is not the database backup directory.")
        var to: String

        func run() throws {
            let config = try Setup.config()
            _ = try Keyring.load(path: config.keyringFile)  // a keyring others may read, or no keyring at all, is refused here
            var bytes = try FileIO.readBytes(config.keyringFile)
            defer { Sodium.wipe(&bytes) }
            let directory = absolutePath(to)
            var st = stat()
            guard stat(directory, &st) == 0, st.st_mode & 0o170000 == 0o040000 else {
                throw BackupError("\(directory) is not a directory: create it with `install -d -m 700 \(directory)`")
            }
            guard st.st_mode & 0o077 == 0 else {
                throw BackupError("\(directory) may be entered by its group or others: run `chmod 700 \(directory)`")
            }
            guard !(FileIO.exists(directory + "/base") && FileIO.exists(directory + "/wal")) else {
                throw BackupError(
                    "\(directory) holds database backups: keep the keyring apart from them (another disk or host, other people's access)")
            }
            let copies = try FileIO.listDirectory(directory).filter { $0.hasPrefix("keyring-") }
            if let newest = copies.last {
                var previous = try FileIO.readBytes("\(directory)/\(newest)")
                defer { Sodium.wipe(&previous) }
                if previous == bytes {
                    print("the keyring is unchanged since \(directory)/\(newest): nothing written")
                    return
                }
            }
            let copy = "\(directory)/keyring-\(UTCTime.now().compact)"
            try writeDurably(copy, bytes, mode: 0o600)
            print("copied \(config.keyringFile) to \(copy) (mode 0600); keep it apart from the database backups, as long as they are kept")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The base backups and archived WAL in DIR: what a restore can reach.")
        @Option(help: "The backup directory.") var dir: String

        func run() throws {
            let archive = BackupArchive(dir)
            let backups = try archive.backups()
            guard let oldest = backups.first, let newest = backups.last else {
                print("no finished base backup in \(archive.base): take one with `heraldctl backup --dir \(archive.root)`")
                return
            }
            print("base backup       finished (server clock)       size")
            for backup in backups {
                print("\(backup.name)  \(backup.finished.iso)  \(formatBytes(diskUsage(backup.data)))")
            }
            let segments = try archive.segments()
            print(
                "archived WAL: \(segments.count) file\(segments.count == 1 ? "" : "s"), \(formatBytes(diskUsage(archive.wal)))\(segments.last.map { ", newest \($0)" } ?? "")"
            )
            let reach =
                try archive.newestCommit(from: newest.startSegment, major: newest.serverMajor).map { max($0, newest.finished) } ?? newest.finished
            print("a restore can reach any time from \(oldest.finished.iso) to \(reach.iso) (the newest archived commit)")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete all but the newest N base backups, and the archived WAL that only the deleted ones needed.")
        @Option(help: "The backup directory.") var dir: String
        @Option(help: "How many base backups to keep (at least 1).") var keep: Int

        func validate() throws {
            guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        }

        func run() throws {
            let archive = BackupArchive(dir)
            let backups = try archive.backups()
            guard backups.count > keep else {
                print("\(backups.count) base backup(s) in \(archive.base): nothing to delete")
                return
            }
            let oldestKept = backups[backups.count - keep]
            // Base backups first: stopped halfway, what is left is WAL that the next run deletes.
            for backup in backups.prefix(backups.count - keep) {
                try Subprocess.check(["rm", "-rf", "--", backup.path], what: "deleting \(backup.path)")
                print("deleted base backup \(backup.name)")
            }
            let before = try archive.segments().count
            try Subprocess.check(
                [PostgresTools.path("pg_archivecleanup", major: oldestKept.serverMajor), archive.wal, oldestKept.startSegment],
                what: "pg_archivecleanup")
            print(
                "deleted \(before - (try archive.segments().count)) archived WAL files older than \(oldestKept.startSegment); "
                    + "a restore can now reach back to \(oldestKept.finished.iso)")
        }
    }
}

/// What `heraldctl backup` needs to know of the server before it starts.
private struct ServerFacts {
    let version: Int
    var major: Int { version / 10000 }
    let systemIdentifier: String
    let walLevel: String
    let archiveMode: String
    let archiveCommand: String
    let inRecovery: Bool

    init(_ db: Connection) throws {
        let row = try db.queryRow(
            """
            SELECT current_setting('server_version_num')::int, (SELECT system_identifier::text FROM pg_control_system()),
                   current_setting('wal_level'), current_setting('archive_mode'), current_setting('archive_command'), pg_is_in_recovery()
            """)!
        version = try row.int(0)
        systemIdentifier = try row.string(1)
        walLevel = try row.string(2)
        archiveMode = try row.string(3)
        archiveCommand = try row.string(4)
        inRecovery = try row.bool(5)
    }

    /// Refuses a server whose WAL does not reach the archive, and shows the settings it needs.
    func checkArchiving(_ archive: BackupArchive) throws {
        let settings = """
              wal_level = replica
              archive_mode = on
              archive_command = '\(executablePath()) backup archive-wal --dir \(archive.root) %p %f'
              archive_timeout = 300
            """
        guard !inRecovery else { throw BackupError("this server is a standby: back up the primary (pg_switch_wal cannot run here)") }
        guard walLevel != "minimal", archiveMode != "off", !archiveCommand.isEmpty, archiveCommand != "(disabled)" else {
            throw BackupError(
                "this server does not archive its WAL (wal_level = \(walLevel), archive_mode = \(archiveMode), archive_command = '\(archiveCommand)'), "
                    + "so a restore could only return to the end of a base backup. In postgresql.conf, then restart PostgreSQL:\n\(settings)")
        }
        if !archiveCommand.contains(archive.root) {
            note(
                "note: archive_command = '\(archiveCommand)' does not name \(archive.root); the check after the backup will tell whether WAL arrives there"
            )
        }
    }
}

/// The server's clock: restore targets and commit times are in it.
private func serverClock(_ db: Connection) throws -> UTCTime {
    try UTCTime(parsing: try db.queryRow("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")!.string(0))
}

/// The WAL file named by backup_label's `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)`.
private func startSegment(_ data: String) throws -> String {
    let label = try FileIO.readText(data + "/backup_label")
    for line in label.split(separator: "\n") where line.hasPrefix("START WAL LOCATION:") {
        if let open = line.firstRange(of: "(file "), let close = line.lastIndex(of: ")") {
            return String(line[open.upperBound..<close])
        }
    }
    throw BackupError("\(data)/backup_label has no START WAL LOCATION line")
}

/// This program's own path, for the archive_command it suggests.
private func executablePath() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    return count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "heraldctl"
}
