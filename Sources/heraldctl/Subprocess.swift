// For backup and restore: PostgreSQL's programs found and run as child processes (as the
// cluster's owner when we are root), and files written so that they survive a crash.
import Glibc
import HeraldSupport

/// Where PostgreSQL's programs are: HERALD_PG_BINDIR if set, else Debian's directory for the
/// server's major version, else the newest one there, else whatever PATH finds.
enum PostgresTools {
    static func path(_ tool: String, major: Int?) -> String {
        if let dir = try? Environment().optional("HERALD_PG_BINDIR") { return "\(dir)/\(tool)" }
        if let major, FileIO.exists("/usr/lib/postgresql/\(major)/bin/\(tool)") { return "/usr/lib/postgresql/\(major)/bin/\(tool)" }
        let versions = ((try? FileIO.listDirectory("/usr/lib/postgresql")) ?? []).compactMap { Int($0) }.sorted()
        if let newest = versions.last(where: { FileIO.exists("/usr/lib/postgresql/\($0)/bin/\(tool)") }) {
            return "/usr/lib/postgresql/\(newest)/bin/\(tool)"
        }
        return tool
    }
}

/// Child processes without a shell: arguments stay arguments.
enum Subprocess {
    struct Outcome {
        let status: Int32
        let output: String
    }

    /// Runs `arguments` (a bare name is looked up on PATH) and waits. Standard input is /dev/null;
    /// standard output is captured or inherited, standard error inherited or discarded. As root with
    /// `user`, it runs as that user (runuser), as PostgreSQL's server programs must.
    static func run(
        _ arguments: [String], asUser user: String? = nil, environment extra: [String: String] = [:], captureOutput: Bool = false,
        quietErrors: Bool = false
    ) throws -> Outcome {
        var argv = arguments
        if let user, getuid() == 0, user != "root" {
            guard let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first(where: FileIO.exists) else {
                throw BackupError("runuser is not installed: cannot run \(arguments[0]) as \(user)")
            }
            argv = [runuser, "-u", user, "--"] + arguments
        }
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { throw BackupError("cannot run \(arguments[0]): no pipe") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureOutput { posix_spawn_file_actions_adddup2(&actions, fds[1], 1) }
        if quietErrors { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        // Nothing else of ours may reach the child: a PostgreSQL server started by pg_ctl would keep
        // whatever it inherits (a caller's pipe, say) open for as long as it runs.
        for name in (try? FileIO.listDirectory("/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
        }
        var environment: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let key = text.split(separator: "=", maxSplits: 1).first, extra[String(key)] == nil { environment.append(text) }
            entry += 1
        }
        environment += extra.map { "\($0.key)=\($0.value)" }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer { for pointer in cArguments + cEnvironment { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
        if captureOutput { close(fds[1]) }
        guard spawned == 0 else {
            if captureOutput { close(fds[0]) }
            throw BackupError("cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var output: [UInt8] = []
        if captureOutput {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                output += chunk[0..<n]
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(status: code, output: String(decoding: output, as: UTF8.self))
    }

    /// Runs and throws unless it exits 0.
    static func check(_ arguments: [String], asUser user: String? = nil, what: String) throws {
        let outcome = try run(arguments, asUser: user)
        guard outcome.status == 0 else {
            throw BackupError("\(what) failed (\(arguments[0].split(separator: "/").last ?? "") exited \(outcome.status))")
        }
    }
}

/// `path` made absolute against the working directory (PostgreSQL runs restore_command in the
/// data directory, and runuser children may not be able to enter ours).
func absolutePath(_ path: String) -> String {
    var result = path
    if !path.hasPrefix("/") {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "."
        result = cwd == "/" ? "/" + path : cwd + "/" + path
    }
    while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
    return result
}

/// Creates a directory (mode 0700) unless it exists; its parent must exist.
func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
        throw BackupError("cannot create \(path): \(String(cString: strerror(errno)))")
    }
}

/// Writes a file so that it survives a crash once this returns: a temporary file in the same
/// directory, fsync, rename, fsync of the directory. Refuses to replace an existing file.
func writeDurably(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
    func failure(_ what: String) -> BackupError { BackupError("cannot \(what) \(path): \(String(cString: strerror(errno)))") }
    let slash = path.lastIndex(of: "/")!
    let directory = slash == path.startIndex ? "/" : String(path[..<slash])
    let temporary = "\(directory)/.\(path[path.index(after: slash)...]).tmp.\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw failure("create a temporary file for") }
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else {
            let error = failure("write")
            close(fd)
            unlink(temporary)
            throw error
        }
        offset += n
    }
    guard fchmod(fd, mode) == 0, fsync(fd) == 0, close(fd) == 0 else {
        let error = failure("flush")
        unlink(temporary)
        throw error
    }
    // link(2) refuses an existing name, where rename(2) would replace it.
    guard link(temporary, path) == 0 else {
        let error = failure("create")
        unlink(temporary)
        throw error
    }
    unlink(temporary)
    let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard dir >= 0 else { throw failure("open the directory of") }
    defer { close(dir) }
    guard fsync(dir) == 0 else { throw failure("flush the directory of") }
}

/// Bytes of every regular file under `path`.
func diskUsage(_ path: String) -> Int64 {
    var st = stat()
    guard lstat(path, &st) == 0 else { return 0 }
    guard st.st_mode & 0o170000 == 0o040000 else { return st.st_mode & 0o170000 == 0o100000 ? Int64(st.st_size) : 0 }
    return ((try? FileIO.listDirectory(path)) ?? []).reduce(0) { $0 + diskUsage("\(path)/\($1)") }
}

/// `1.2 GB`, `45 MB`, `900 kB`.
func formatBytes(_ bytes: Int64) -> String {
    if bytes >= 1 << 30 { return "\(formatTenths(Double(bytes) / Double(1 << 30))) GB" }
    if bytes >= 1 << 20 { return "\(Int((Double(bytes) / Double(1 << 20)).rounded())) MB" }
    return "\(max(1, Int((Double(bytes) / 1024).rounded()))) kB"
}

/// Seconds since a `Clock.monotonicNanos()` reading.
func secondsSince(_ start: UInt64) -> Double { Double(Clock.monotonicNanos() - start) / 1e9 }
