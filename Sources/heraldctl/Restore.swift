// heraldctl restore: point-in-time recovery into a new data directory from the newest base backup
// that finished before the moment asked for, replaying archived WAL up to that moment; optionally
// starts the restored cluster and waits until it is open for writing.
import ArgumentParser
import Glibc
import HeraldSupport

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore the database as it was at a moment into a new data directory (point-in-time recovery).",
        discussion: """
            Picks the newest base backup in DIR/base that finished before --to, copies it into --into and configures \
            recovery: on start PostgreSQL replays the WAL archived in DIR/wal up to --to and then opens for writing. \
            Never touches an existing cluster. As root, the new directory is given to --owner and PostgreSQL runs as that user.
            """)
    @Option(help: "The backup directory (see `heraldctl backup`).") var dir: String
    @Option(help: "The moment, ISO 8601 with a time zone (2026-05-01T14:30:00+02:00, 2026-05-01 12:30Z), or `latest`: all archived WAL.")
    var to: String
    @Option(help: "The new data directory; it must not exist or be empty.") var into: String
    @Option(help: "As root: the user who owns the restored cluster and runs it.") var owner: String = "postgres"
    @Flag(help: "Start the restored cluster and wait until recovery has ended.") var start = false
    @Option(help: "Its port (written into its postgresql.auto.conf).") var port: Int?
    @Option(help: "Its unix socket directory (written into its postgresql.auto.conf, with TCP turned off).") var socket: String?
    @Option(help: "With --start: seconds to wait for recovery to end.") var waitSeconds: Int = 3600

    func validate() throws {
        if let port { guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") } }
        guard waitSeconds >= 1 else { throw ValidationError("--wait-seconds must be at least 1") }
    }

    func run() throws {
        let target: UTCTime? = try to == "latest" ? nil : UTCTime(parsing: to)
        let now = UTCTime.now()
        if let target, target > now {
            throw BackupError("--to \(target.iso) is in the future (it is \(now.iso) now): a restore can only go back in time")
        }
        let archive = BackupArchive(dir)
        let backups = try archive.backups()
        guard let oldest = backups.first, let newest = backups.last else {
            throw BackupError("no finished base backup in \(archive.base): take one with `heraldctl backup --dir \(archive.root)`")
        }
        var chosen = newest
        if let target {
            guard let before = backups.last(where: { $0.finished <= target }) else {
                throw BackupError(
                    "--to \(target.iso) is before the first base backup finished (\(oldest.name), at \(oldest.finished.iso)): "
                        + "nothing older can be restored")
            }
            chosen = before
        }
        let directory = absolutePath(into)
        if FileIO.exists(directory) {
            guard try FileIO.listDirectory(directory).isEmpty else {
                throw BackupError("\(directory) is not empty: restore into a new or empty directory (an existing cluster is never overwritten)")
            }
        } else {
            try makeDirectory(directory)
        }
        guard chmod(directory, 0o700) == 0 else { throw BackupError("cannot set the mode of \(directory): \(String(cString: strerror(errno)))") }

        // PostgreSQL fails to start if the target lies beyond the last archived commit; then the
        // state at the target is simply everything archived.
        var stop = target
        if let target {
            if let reach = try archive.newestCommit(from: chosen.startSegment, major: chosen.serverMajor) {
                if reach <= target {
                    note(
                        "the newest archived commit is at \(reach.iso), before --to: restoring everything archived. Commits after it "
                            + "that the server had not archived yet are not in the backup (on a live server, SELECT pg_switch_wal() first)")
                    stop = nil
                }
            } else {
                stop = nil  // nothing committed since the backup: its end is the state at the target
            }
        }

        let clock = Clock.monotonicNanos()
        note("copying base backup \(chosen.name) (finished \(chosen.finished.iso)) into \(directory)")
        try Subprocess.check(["cp", "-a", "--", chosen.data + "/.", directory], what: "copying \(chosen.data)")
        try writeMissingConfiguration(directory)
        try appendRecoverySettings(directory, archive: archive, backup: chosen, stop: stop)
        try writeDurably(directory + "/recovery.signal", [], mode: 0o600)
        // A socket directory made here belongs to the cluster's owner; an existing one is left as it is.
        let socketDirectory = socket.map(absolutePath).flatMap { FileIO.exists($0) ? nil : $0 }
        if let socketDirectory { try makeDirectory(socketDirectory) }
        if getuid() == 0 && owner != "root" {
            guard getpwnam(owner) != nil else { throw BackupError("there is no user \(owner) to own the restored cluster (--owner)") }
            try Subprocess.check(["chown", "-R", "--", owner + ":", directory], what: "giving \(directory) to \(owner)")
            if let socketDirectory {
                try Subprocess.check(["chown", "--", owner + ":", socketDirectory], what: "giving \(socketDirectory) to \(owner)")
            }
        }
        let goal = stop.map { "to \($0.iso)" } ?? "to the end of the archived WAL"
        print("restored base backup \(chosen.name) into \(directory) in \(formatTenths(secondsSince(clock))) s; recovery \(goal) runs when it starts")
        let pgCtl = PostgresTools.path("pg_ctl", major: chosen.serverMajor)
        guard start else {
            print("start it (as \(getuid() == 0 ? owner : "its owner")): \(pgCtl) -D \(directory) -l \(directory)/server.log start")
            return
        }
        let started = Clock.monotonicNanos()
        let log = directory + "/server.log"
        let outcome = try Subprocess.run(
            [pgCtl, "-D", directory, "-l", log, "-w", "-t", String(waitSeconds), "--silent", "start"], asUser: owner)
        guard outcome.status == 0 else { throw BackupError("the restored cluster did not start (pg_ctl exited \(outcome.status)):\n\(tail(log))") }
        try waitUntilRecovered(directory, major: chosen.serverMajor, log: log)
        print("recovered \(goal) in \(formatTenths(secondsSince(started))) s: the cluster in \(directory) is running and writable")
    }

    /// Waits until the control file says "in production" (recovery over, promoted); fails if the
    /// server stops meanwhile.
    private func waitUntilRecovered(_ directory: String, major: Int, log: String) throws {
        let deadline = Clock.monotonicNanos() + UInt64(waitSeconds) * 1_000_000_000
        let controldata = PostgresTools.path("pg_controldata", major: major)
        while true {
            let control = try Subprocess.run([controldata, "-D", directory], environment: ["LC_ALL": "C"], captureOutput: true)
            if control.output.split(separator: "\n").contains(where: { $0.hasPrefix("Database cluster state:") && $0.hasSuffix("in production") }) {
                return
            }
            guard FileIO.exists(directory + "/postmaster.pid") else { throw BackupError("PostgreSQL stopped during recovery:\n\(tail(log))") }
            guard Clock.monotonicNanos() < deadline else {
                throw BackupError("recovery has not ended within \(waitSeconds) s; it goes on (see \(log))")
            }
            usleep(100_000)
        }
    }

    /// Debian keeps postgresql.conf, pg_hba.conf and pg_ident.conf in /etc/postgresql, not in the
    /// data directory; a restored copy of such a cluster gets minimal ones (pg_ctlcluster ignores them).
    private func writeMissingConfiguration(_ directory: String) throws {
        let files = [
            ("postgresql.conf", "# heraldctl restore: the backed-up cluster kept its configuration elsewhere; defaults apply.\n"),
            ("pg_hba.conf", "# heraldctl restore: local connections as the same-named operating system user only.\nlocal all all peer\n"),
            ("pg_ident.conf", "# heraldctl restore\n"),
        ]
        for (name, text) in files where !FileIO.exists("\(directory)/\(name)") {
            try writeDurably("\(directory)/\(name)", Array(text.utf8), mode: 0o600)
            note("wrote a minimal \(name) (the backup has none: its cluster kept its configuration outside the data directory)")
        }
    }

    /// Recovery settings (read only while recovery.signal exists) and the new cluster's own
    /// settings, after anything the backup carried, so they win.
    private func appendRecoverySettings(_ directory: String, archive: BackupArchive, backup: BaseBackup, stop: UTCTime?) throws {
        // %f and %p are PostgreSQL's; a % of the path itself is written %%.
        let source = shellQuoted(archive.wal.replacingAll("%", with: "%%") + "/%f")
        var lines = [
            "",
            "# heraldctl restore at \(UTCTime.now().iso): base backup \(backup.name) from \(archive.root), recovery "
                + (stop.map { "to \($0.iso)" } ?? "to the end of the archived WAL") + ".",
            "restore_command = \(settingQuoted("test -f \(source) && cp \(source) %p"))",
        ]
        if let stop {
            lines += ["recovery_target_time = \(settingQuoted(stop.postgres))", "recovery_target_action = 'promote'"]
        }
        lines += [
            "# Not archiving into the original's backup directory; turn archiving on again (and take a base backup) if this copy replaces it.",
            "archive_mode = 'off'",
        ]
        if let port { lines.append("port = \(port)") }
        if let socket {
            lines += ["unix_socket_directories = \(settingQuoted(absolutePath(socket)))", "listen_addresses = ''"]
        }
        let file = directory + "/postgresql.auto.conf"
        let existing = FileIO.exists(file) ? try FileIO.readText(file) : "# Do not edit this file manually!\n"
        let text = existing + (existing.hasSuffix("\n") ? "" : "\n") + lines.joined(separator: "\n") + "\n"
        guard unlink(file) == 0 || errno == ENOENT else { throw BackupError("cannot replace \(file): \(String(cString: strerror(errno)))") }
        try writeDurably(file, Array(text.utf8), mode: 0o600)
    }
}

/// The last lines of a log file, for an error message.
private func tail(_ path: String, lines: Int = 20) -> String {
    guard let text = try? FileIO.readText(path) else { return "(no log at \(path))" }
    return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
}

/// A word for /bin/sh: single-quoted, with single quotes spelled '\''.
private func shellQuoted(_ text: String) -> String { "'" + text.replacingAll("'", with: "'\\''") + "'" }

/// A postgresql.conf string value: single-quoted, with single quotes doubled.
private func settingQuoted(_ text: String) -> String { "'" + text.replacingAll("'", with: "''") + "'" }

extension String {
    fileprivate func replacingAll(_ old: Character, with new: String) -> String {
        var result = ""
        for character in self { if character == old { result += new } else { result.append(character) } }
        return result
    }
}
