// `make run` (scripts/run.sh) on a data directory of its own: safe by default (no `trust` in
// pg_hba.conf, socket directories only its user can use, nginx's workers not root, a killed program
// started again) and stopped cleanly by SIGTERM to the script or Ctrl-C to its process group: it
// exits within 10 s and leaves no nginx, PostgreSQL or Herald process behind.
import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct RunScriptTests {
    /// Both starts share one data directory: the first makes the cluster, the second finds it.
    static let data = TestEnvironment.temporaryDirectory + "/run-script"

    @Test func sigtermToTheScriptStopsEverythingWithinTenSeconds() throws {
        let stack = try RunStack(data: Self.data)
        defer { stack.forceStop() }
        try stack.waitUntilServing()
        try stack.expectSafeDefaults()
        try stack.expectRestartedAfterSIGKILL("herald-worker")
        try stack.stop(SIGTERM, toGroup: false)
    }

    @Test func ctrlCToTheProcessGroupStopsEverythingWithinTenSeconds() throws {
        let stack = try RunStack(data: Self.data)
        defer { stack.forceStop() }
        try stack.waitUntilServing()
        try stack.stop(SIGINT, toGroup: true)
    }
}

/// `scripts/run.sh` on a data directory of its own (HERALD_DATA_DIR), in a process group of its own, on
/// free ports, running the programs of the build under test (HERALD_BIN_DIR: no build), with none of
/// the test stack's variables.
final class RunStack {
    let data: String
    let port: UInt16
    let logPath: String
    let script: SpawnedProcess

    init(data: String) throws {
        self.data = data
        port = try TestEnvironment.freePort()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        logPath = data + "/run-\(UUID().uuidString.prefix(6)).log"
        let variables = TestEnvironment.variables
        script = try SpawnedProcess(
            ["/bin/bash", repositoryRoot + "/scripts/run.sh"],
            environment: [
                "PATH": variables["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "HOME": variables["HOME"] ?? "/root", "LANG": "C.UTF-8",
                "HERALD_DATA_DIR": data, "HERALD_BIN_DIR": variables["HERALD_TEST_BIN"] ?? repositoryRoot + "/.build/debug",
                "HERALD_PORT": String(port), "HERALD_PG_PORT": String(try TestEnvironment.freePort()),
                "HERALD_METRICS_PORT": String(try TestEnvironment.freePort()),
            ], output: logPath)
    }

    func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// Waits until nginx answers GET /login with 200 (the first start makes a cluster and migrates it).
    func waitUntilServing() throws {
        let started = Date()
        while (try? HTTPClient.send(method: "GET", path: "/login", port: port).status) != 200 {
            if let status = script.exitStatus() { throw TestFailure("run.sh exited \(status): \(logTail())") }
            guard Date().timeIntervalSince(started) < 180 else { throw TestFailure("run.sh did not serve /login within 180 s: \(logTail())") }
            usleep(200_000)
        }
        print("run.sh served /login \(String(format: "%.1f", Date().timeIntervalSince(started))) s after it started")
    }

    func mode(_ path: String) throws -> (permissions: mode_t, owner: uid_t, group: gid_t) {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0 else { throw TestFailure("cannot stat \(path)") }
        return (info.st_mode & 0o7777, info.st_uid, info.st_gid)
    }

    /// PostgreSQL trusts no one, its socket and the FastCGI sockets are usable by the running user only
    /// (and nginx's workers' group), and those workers do not run as root.
    func expectSafeDefaults() throws {
        let hba = try String(contentsOfFile: data + "/pg/pg_hba.conf", encoding: .utf8)
        let rules = hba.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(!rules.isEmpty && rules.allSatisfy { $0.hasPrefix("local") && $0.contains("peer map=herald") && !$0.contains("trust") }, "\(rules)")

        let root = getuid() == 0
        let pgSocket = try mode(data + "/pg-socket")
        #expect(pgSocket.permissions == 0o700, "pg-socket is \(String(pgSocket.permissions, radix: 8))")
        #expect(pgSocket.owner == (root ? getpwnam("postgres").pointee.pw_uid : getuid()))
        let run = try mode(data + "/run")
        if root {
            // Setgid: each socket gets the group of nginx's workers (www-data), whom nothing else gives access.
            #expect(run.permissions == 0o2750 && run.owner == 0, "run is \(String(run.permissions, radix: 8))")
            #expect(run.group == getgrnam("www-data").pointee.gr_gid)
        } else {
            #expect(run.permissions == 0o700 && run.owner == getuid(), "run is \(String(run.permissions, radix: 8))")
        }

        let master = try #require(
            Int32(String(contentsOfFile: data + "/nginx/nginx.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let workers = ProcessTable.children(of: master)
        #expect(!workers.isEmpty)
        for worker in workers { #expect(ProcessTable.realUID(worker).map { $0 != 0 } == true, "nginx worker \(worker) runs as root") }

        // The running user gets in as herald_app (peer, through the map); another user cannot even reach the socket.
        let port = try #require(String(contentsOfFile: data + "/pg/postmaster.pid", encoding: .utf8).split(separator: "\n").dropFirst(3).first)
        let psql = [TestEnvironment.pgBinDir + "/psql", "-X", "-At", "-h", data + "/pg-socket", "-p", String(port), "-d", "herald", "-c", "SELECT 1"]
        #expect(try ProcessTable.status(psql + ["-U", "herald_app"]) == 0)
        if root {
            #expect(try ProcessTable.status(["/usr/sbin/runuser", "-u", "nobody", "--"] + psql + ["-U", "postgres"]) != 0)
            #expect(try ProcessTable.status(["/usr/sbin/runuser", "-u", "nobody", "--", "test", "-x", data + "/run"]) != 0)
        }
    }

    /// SIGKILL to one of make run's programs: the supervisor runs a new one (within a second, 2 s allowed).
    func expectRestartedAfterSIGKILL(_ name: String) throws {
        let sockets = data + "/run"
        let old = try #require(ProcessTable.program(name, socketDirectory: sockets).first)
        let killed = Date()
        kill(old, SIGKILL)
        var new: Int32?
        while new == nil && Date().timeIntervalSince(killed) < 10 {
            new = ProcessTable.program(name, socketDirectory: sockets).first { $0 != old }
            if new == nil { usleep(20_000) }
        }
        let seconds = Date().timeIntervalSince(killed)
        print("make run: \(name) killed with SIGKILL, a new one running \(String(format: "%.2f", seconds)) s later")
        #expect(new != nil && seconds <= 2, "\(name) restarted after \(seconds) s: \(logTail())")
    }

    /// Everything this stack runs: run.sh's process group (the script, the supervisor, the programs,
    /// tail), and nginx and PostgreSQL (each in a session of its own) with their children.
    func processes() -> [ProcessTable.Entry] {
        var pids = ProcessTable.pids().filter { ProcessTable.stat($0)?.group == script.pid }
        for pidFile in [data + "/nginx/nginx.pid", data + "/pg/postmaster.pid"] {
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let first = text.split(separator: "\n").first, let pid = Int32(first.trimmingCharacters(in: .whitespaces))
            else { continue }
            pids += [pid] + ProcessTable.children(of: pid)
        }
        return pids.compactMap { ProcessTable.entry($0) }
    }

    /// Sends the signal to run.sh (or its whole process group, as a terminal's Ctrl-C does) and expects
    /// it to exit within 10 s with status 0, leaving nothing of the stack running.
    func stop(_ signal: Int32, toGroup: Bool) throws {
        let before = processes()
        let names = before.map { ProcessTable.commandLine($0.pid) }
        #expect(names.contains { $0.hasPrefix("nginx: worker") })
        #expect(names.contains { $0.contains("postgres") && $0.contains(data + "/pg") })
        #expect(names.filter { $0.contains("/herald-") }.count >= 8, "\(names)")
        let sent = Date()
        kill(toGroup ? -script.pid : script.pid, signal)
        var status = script.exitStatus()
        while status == nil && Date().timeIntervalSince(sent) < 20 {
            usleep(20_000)
            status = script.exitStatus()
        }
        let seconds = Date().timeIntervalSince(sent)
        let what = (toGroup ? "to the process group" : "to run.sh") + " SIG" + (signal == SIGINT ? "INT" : "TERM")
        print("run.sh exited \(String(format: "%.2f", seconds)) s after \(what)")
        #expect(seconds <= 10, "\(what): run.sh still ran after \(seconds) s: \(logTail())")
        #expect(status == 0, "\(logTail())")
        #expect(logTail().contains("==> stopped"))

        let left = before.filter { ProcessTable.entry($0.pid) == $0 && ProcessTable.alive($0.pid) }
        #expect(left.isEmpty, "left running after \(what): \(left.map { "\($0.pid) \(ProcessTable.commandLine($0.pid))" })")
        let strays = ProcessTable.pids().filter { pid in
            ProcessTable.alive(pid)
                && (ProcessTable.stat(pid)?.group == script.pid || ProcessTable.commandLine(pid).contains(data)
                    || ProcessTable.environment(pid).contains("HERALD_SOCKET_DIR=" + data + "/run"))
        }
        #expect(strays.isEmpty, "\(strays.map { "\($0) \(ProcessTable.commandLine($0))" })")
    }

    /// After a failed expectation: nothing of the stack may outlive the test.
    func forceStop() {
        if script.exitStatus() == nil {
            kill(-script.pid, SIGKILL)
            while script.exitStatus() == nil { usleep(20_000) }
        }
        if let text = try? String(contentsOfFile: data + "/nginx/nginx.pid", encoding: .utf8),
            let master = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), ProcessTable.commandLine(master).contains(data)
        {
            kill(master, SIGTERM)
        }
        if FileManager.default.fileExists(atPath: data + "/pg/postmaster.pid") {
            let pgCtl = "'\(TestEnvironment.pgBinDir)/pg_ctl' -D '\(data)/pg' -m immediate stop >/dev/null 2>&1"
            _ = system(getuid() == 0 ? "runuser -u postgres -- \(pgCtl)" : pgCtl)
        }
    }
}

/// A child process started with posix_spawn, as a terminal would start it: no signal blocked (a test
/// runs on a thread that blocks them all, and Foundation's Process passes that mask on, so a script it
/// starts never sees SIGTERM or SIGINT), in a process group of its own, its output appended to a file.
final class SpawnedProcess {
    let pid: pid_t
    private var status: Int32?

    init(_ arguments: [String], environment: [String: String], output: String) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard rc == 0 else { throw TestFailure("cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    /// Its exit status (reaping it) once it has exited; nil while it runs. A death by a signal is 128 + the signal.
    func exitStatus() -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + raw & 0x7f
        return status
    }
}

/// What /proc says about processes.
enum ProcessTable {
    /// A process, told apart from a later one with the same pid by its start time.
    struct Entry: Equatable {
        let pid: Int32
        let start: UInt64
    }

    static func read(_ path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.readToEnd()) ?? Data())
    }

    /// Fields 3 to 6 and 22 of /proc/PID/stat.
    static func stat(_ pid: Int32) -> (state: String, parent: Int32, group: Int32, session: Int32, start: UInt64)? {
        let text = String(decoding: read("/proc/\(pid)/stat"), as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let parent = Int32(fields[1]), let group = Int32(fields[2]), let session = Int32(fields[3]),
            let start = UInt64(fields[19])
        else { return nil }
        return (String(fields[0]), parent, group, session, start)
    }

    static func entry(_ pid: Int32) -> Entry? { stat(pid).map { Entry(pid: pid, start: $0.start) } }

    /// Running: there and not a zombie (exited, not yet reaped).
    static func alive(_ pid: Int32) -> Bool { stat(pid).map { $0.state != "Z" } ?? false }

    static func pids() -> [Int32] { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) } }

    static func children(of parent: Int32) -> [Int32] { pids().filter { stat($0)?.parent == parent } }

    static func commandLine(_ pid: Int32) -> String {
        String(decoding: read("/proc/\(pid)/cmdline").map { $0 == 0 ? 32 : $0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    static func environment(_ pid: Int32) -> [String] {
        read("/proc/\(pid)/environ").split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    static func executable(_ pid: Int32) -> String { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? "" }

    static func realUID(_ pid: Int32) -> uid_t? {
        let status = String(decoding: read("/proc/\(pid)/status"), as: UTF8.self)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) else { return nil }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { uid_t($0) }
    }

    /// The running program NAME (herald-auth, herald-worker, …) of the stack whose sockets are in the directory.
    static func program(_ name: String, socketDirectory: String) -> [Int32] {
        pids().filter {
            executable($0).hasSuffix("/" + name) && alive($0) && environment($0).contains("HERALD_SOCKET_DIR=" + socketDirectory)
        }
    }

    /// Runs a command and returns its exit status (its output is dropped).
    static func status(_ command: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
