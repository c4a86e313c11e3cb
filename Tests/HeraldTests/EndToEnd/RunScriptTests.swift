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

        // A process may still be between its exit and its parent's wait for a moment (its command line
        // already empty): what counts is what still runs once the 10 s are up, or sooner when nothing does.
        func stillRunning() -> [ProcessTable.Entry] { before.filter { ProcessTable.entry($0.pid) == $0 && ProcessTable.alive($0.pid) } }
        while !stillRunning().isEmpty && Date().timeIntervalSince(sent) < 10 { usleep(50_000) }
        let left = stillRunning()
        let described = left.map { "\($0.pid) [\(ProcessTable.stat($0.pid)?.state ?? "?")] \(ProcessTable.commandLine($0.pid))" }
        #expect(left.isEmpty, "left running after \(what): \(described)")
        let strays = ProcessTable.pids().filter { pid in
            ProcessTable.alive(pid)
                && (ProcessTable.stat(pid)?.group == script.pid || ProcessTable.commandLine(pid).contains(data)
                    || ProcessTable.environment(pid).contains("HERALD_SOCKET_DIR=" + data + "/run"))
        }
        #expect(strays.isEmpty, "\(strays.map { "\($0) \(ProcessTable.commandLine($0))" })")
    }

    /// After a failed expectation: nothing of the stack may outlive the test.
    func forceStop() {
        script.killGroup()
        ProcessTable.terminateNginx(of: data)
        if FileManager.default.fileExists(atPath: data + "/pg/postmaster.pid") {
            _ = ProcessTable.asClusterOwner("'\(TestEnvironment.pgBinDir)/pg_ctl' -D '\(data)/pg' -m immediate stop >/dev/null 2>&1")
        }
    }
}
