// Child processes of the tests that start scripts, stacks and programs of their own (RunScriptTests,
// SupervisorTests, RestoreDrillTests), and what /proc says about processes.
import Foundation
import Glibc

/// A child process started with posix_spawn, as a terminal would start it: no signal blocked (a test
/// runs on a thread that blocks them all, and Foundation's Process passes that mask on, so a script it
/// starts never sees SIGTERM or SIGINT), in a process group of its own, its output appended to a file
/// (its errors too, unless they have a file of their own). Its end is seen by waitpid, not, as
/// Foundation's Process sees it, once every inheritor of a descriptor has closed it (a daemon it
/// starts, nginx or PostgreSQL, would keep one open).
final class SpawnedProcess {
    let pid: pid_t
    private var status: Int32?

    /// `inheriting`: a descriptor the child gets as its fd 3 (a listening socket, as systemd passes one).
    init(_ arguments: [String], environment: [String: String], output: String, errors: String? = nil, inheriting: Int32? = nil) throws {
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
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        if let inheriting { posix_spawn_file_actions_adddup2(&actions, inheriting, 3) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard rc == 0 else { throw TestFailure("cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    /// Its exit status (reaping it) once it has exited; nil while it runs. A death by a signal is 128 + the signal.
    func exitStatus() -> Int32? { reap(WNOHANG) }

    /// Waits until it exits; its exit status.
    func wait() -> Int32 {
        while true { if let status = reap(0) { return status } }
    }

    /// After a failed expectation: SIGKILL to its whole process group, and it reaped.
    func killGroup() {
        guard exitStatus() == nil else { return }
        kill(-pid, SIGKILL)
        while exitStatus() == nil { usleep(20_000) }
    }

    private func reap(_ options: Int32) -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, options) == pid else { return nil }
        status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + raw & 0x7f
        return status
    }
}

/// A herald-auth of a test's own, on `directory`'s socket, with `environment` over the test stack's;
/// returns once its socket is there. Its errors go to `errors` (nowhere when nil).
func startPrivateAuth(_ directory: String, environment extra: [String: String], errors: Pipe? = nil) throws -> Process {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestEnvironment.binary("herald-auth"))
    process.environment = ProcessInfo.processInfo.environment.merging(["HERALD_SOCKET_DIR": directory]) { $1 }.merging(extra) { $1 }
    process.standardError = errors ?? FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    for _ in 0..<200 where !FileManager.default.fileExists(atPath: directory + "/auth.sock") { usleep(50_000) }
    return process
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

    /// SIGTERM to the nginx master of a stack in DIRECTORY (DIRECTORY/nginx/nginx.pid), if it still runs:
    /// a daemon, outside the stack's process group.
    static func terminateNginx(of directory: String) {
        guard let text = try? String(contentsOfFile: directory + "/nginx/nginx.pid", encoding: .utf8),
            let master = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), commandLine(master).contains(directory)
        else { return }
        kill(master, SIGTERM)
    }

    /// A shell command as the owner of the test's PostgreSQL clusters (`postgres` when we are root:
    /// PostgreSQL refuses root); its exit status. Through system(3), which waits for its own child:
    /// Foundation's Process could miss the end of a pg_ctl that starts a server.
    static func asClusterOwner(_ command: String) -> Int32 {
        system(getuid() == 0 ? "runuser -u postgres -- \(command)" : command)
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
