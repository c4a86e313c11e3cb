// The supervisor of `make run` and `make test` (scripts/lib.sh: start_programs): a FastCGI program
// killed with SIGKILL under load runs again within a second, requests to it resume, and no other
// program is touched. On a stack of its own (its socket directory, programs and nginx; the test
// cluster's database), so that the shared one goes on serving the other suites.
import Foundation
import Glibc
import Synchronization
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct SupervisorTests {
    /// What run.sh does once PostgreSQL is up: lib.sh's programs under their supervisor and nginx in
    /// front, until SIGTERM. Arguments: the repository, a directory, nginx's port, the programs' directory.
    static let stackScript = """
        set -euo pipefail
        source "$1/scripts/lib.sh"
        dir=$2 port=$3 bin=$4
        export HERALD_SOCKET_DIR=$dir/run
        stop() { set +e; trap '' INT TERM; trap - EXIT; stop_nginx "$dir/nginx"; stop_programs; exit 0; }
        trap stop EXIT INT TERM
        start_programs "$bin" "$dir/logs" --no-daemons
        render_nginx "$dir/nginx" "$port" "$dir/run" off
        start_nginx "$dir/nginx"
        while true; do sleep 0.5 & wait $! || true; done
        """

    /// One request of the load: when it was sent and answered (seconds on the monotonic clock), its
    /// status (-1: no answer) and the program that answered (X-Herald-Program).
    struct Sample {
        let path: String
        let sent: Double
        let answered: Double
        let status: Int
        let program: String?
    }

    final class Load: Sendable {
        let samples = Mutex<[Sample]>([])
        let stop = Atomic<Bool>(false)
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    @Test func aProgramKilledUnderLoadIsBackWithinASecondAndTheOthersAreUntouched() throws {
        let directory = TestEnvironment.temporaryDirectory + "/supervisor-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let sockets = directory + "/run"
        let port = try TestEnvironment.freePort()
        let logPath = directory + "/stack.log"
        func logText() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        let stack = try SpawnedProcess(
            [
                "/bin/bash", "-c", Self.stackScript, "bash", repositoryRoot, directory, String(port),
                try #require(TestEnvironment.variables["HERALD_TEST_BIN"]),
            ],
            environment: TestEnvironment.variables.merging(["HERALD_METRICS_PORT": String(try TestEnvironment.freePort())]) { $1 }, output: logPath)
        defer {
            // After a failed expectation: nothing of the stack may outlive the test (nginx is a daemon).
            stack.killGroup()
            ProcessTable.terminateNginx(of: directory)
        }
        let started = Date()
        while (try? HTTPClient.send(method: "GET", path: "/login", port: port).status) != 200 {
            guard stack.exitStatus() == nil, Date().timeIntervalSince(started) < 60 else {
                throw TestFailure("the stack did not start: \(logText())")
            }
            usleep(100_000)
        }

        let fastCGI = try RepositoryMap.programs().filter { !$0.paths.isEmpty }.map(\.name)
        var before: [String: Int32] = [:]
        for name in fastCGI { before[name] = try #require(ProcessTable.program(name, socketDirectory: sockets).first, "\(name) runs") }
        let auth = try #require(before["herald-auth"])

        // Three clients on herald-auth's /login, one on herald-workspaces' /w, one request after the other each.
        let load = Load()
        let done = DispatchGroup()
        for path in ["/login", "/login", "/login", "/w"] {
            done.enter()
            Thread {
                defer { done.leave() }
                while !load.stop.load(ordering: .relaxed) {
                    let sent = Self.now()
                    let response = try? HTTPClient.send(method: "GET", path: path, port: port)
                    let sample = Sample(
                        path: path, sent: sent, answered: Self.now(), status: response?.status ?? -1, program: response?.header("X-Herald-Program"))
                    load.samples.withLock { $0.append(sample) }
                }
            }.start()
        }
        usleep(1_000_000)
        let killed = Self.now()
        kill(auth, SIGKILL)
        usleep(3_000_000)
        load.stop.store(true, ordering: .relaxed)
        done.wait()
        let samples = load.samples.withLock { $0 }

        let logins = samples.filter { $0.path == "/login" }
        let beforeKill = logins.filter { $0.answered < killed }
        #expect(beforeKill.count > 10 && beforeKill.allSatisfy { $0.status == 200 }, "\(beforeKill.map(\.status))")
        // Resumed: the first 200 to a request sent after the kill, counted from the kill.
        let firstAnswer = try #require(logins.filter { $0.sent >= killed && $0.status == 200 }.min { $0.answered < $1.answered }, "never resumed")
        let resumed = firstAnswer.answered - killed
        let failed = logins.filter { $0.answered >= killed && $0.status != 200 }
        let afterwards = logins.filter { $0.sent >= firstAnswer.answered }
        print(
            "supervisor: herald-auth killed with SIGKILL under load; /login answered 200 again \(String(format: "%.3f", resumed)) s later; "
                + "\(failed.count) of \(logins.filter { $0.answered >= killed }.count) /login requests after the kill failed "
                + "(statuses \(Set(failed.map(\.status)).sorted())), \(afterwards.count) answered after it resumed")
        #expect(resumed <= 2, "the issue asks for a second; measured \(resumed) s")
        #expect(!afterwards.isEmpty && afterwards.allSatisfy { $0.status == 200 }, "\(afterwards.map(\.status))")
        #expect(failed.allSatisfy { $0.status == 502 || $0.status == -1 }, "\(failed.map(\.status))")

        // herald-workspaces answered every request itself, before, during and after.
        let others = samples.filter { $0.path == "/w" }
        #expect(others.count > 10)
        #expect(
            others.allSatisfy { $0.status < 500 && $0.status > 0 && $0.program == "workspaces" },
            "\(others.map { "\($0.status) \($0.program ?? "-")" })")
        // Only herald-auth is new; every other program runs under the pid it had.
        let newAuth = try #require(ProcessTable.program("herald-auth", socketDirectory: sockets).first)
        #expect(newAuth != auth && !ProcessTable.alive(auth))
        for name in fastCGI where name != "herald-auth" {
            #expect(ProcessTable.program(name, socketDirectory: sockets) == [before[name]!], "\(name) was touched")
        }
        #expect(logText().contains("herald-auth was killed by SIGKILL; restarted it"), "\(logText())")

        // SIGTERM stops the supervisor and every program it started, nothing else.
        kill(stack.pid, SIGTERM)
        let stopping = Date()
        var status = stack.exitStatus()
        while status == nil && Date().timeIntervalSince(stopping) < 15 {
            usleep(20_000)
            status = stack.exitStatus()
        }
        #expect(status == 0, "\(logText())")
        #expect(fastCGI.allSatisfy { ProcessTable.program($0, socketDirectory: sockets).isEmpty }, "a program outlived its supervisor")
    }
}
