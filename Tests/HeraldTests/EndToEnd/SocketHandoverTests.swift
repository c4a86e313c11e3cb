// A restart fails no request when the program's socket is handed over (systemd's socket activation,
// deploy/systemd/herald@.socket): the test holds the listening socket as systemd would, starts
// herald-auth with it as fd 3 (LISTEN_PID, LISTEN_FDS), and restarts it three times under load.
import Foundation
import Glibc
import Synchronization
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct SocketHandoverTests {
    /// A listening unix socket at `path`, as systemd's ListenStream= makes it.
    static func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 1024) == 0 else { throw TestFailure("cannot listen on \(path)") }
        return fd
    }

    /// systemd's side of sd_notify: a datagram socket whose messages the test reads.
    final class NotifySocket {
        let path: String
        let fd: Int32

        init(_ path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw TestFailure("cannot bind \(path)") }
        }

        deinit { close(fd) }

        /// The next message, waiting at most `seconds`.
        func next(within seconds: Int32) -> String? {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, seconds * 1000) == 1 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = recv(fd, &buffer, buffer.count, 0)
            return n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self) : nil
        }
    }

    /// Clients sending GET /login without pause: half of them open a connection per request (any
    /// failure counts), half keep their connection open as nginx does (`fastcgi_keep_conn on`) and, as
    /// nginx does for a cached connection closed under it, send again on a new one when the old one is
    /// closed before any answer came.
    final class Load: Sendable {
        let path: String
        let answered = Atomic<Int>(0)
        let retriedOnFreshConnection = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        /// The first few failures, for the message.
        let failures = Mutex<[String]>([])
        let running = Atomic<Bool>(true)
        let finished = Atomic<Int>(0)
        let clients: Int

        init(path: String, clients: Int) {
            self.path = path
            self.clients = clients
            for client in 0..<clients {
                let keep = client % 2 == 1
                Thread.detachNewThread { [self] in
                    run(keep: keep)
                    finished.add(1, ordering: .releasing)
                }
            }
        }

        static let params = [
            "REQUEST_METHOD": "GET", "DOCUMENT_URI": "/login", "QUERY_STRING": "", "REMOTE_ADDR": "192.0.2.80",
            "REQUEST_ID": "handover",
        ]

        func run(keep: Bool) {
            var kept: FastCGIClient?
            while running.load(ordering: .acquiring) {
                let reused = kept != nil
                do {
                    let client = try kept ?? FastCGIClient(socketPath: path)
                    kept = keep ? client : nil
                    try client.begin(params: Self.params, keepConnection: keep)
                    try client.sendBody([], last: true)
                    let response = try client.readResponse()
                    if response.hasPrefix("Status: 200") {
                        answered.add(1, ordering: .relaxed)
                    } else {
                        fail("answer: \(response.prefix(60))")
                    }
                } catch {
                    kept = nil
                    if reused {
                        retriedOnFreshConnection.add(1, ordering: .relaxed)
                    } else {
                        fail("\(error)")
                    }
                }
            }
        }

        func fail(_ what: String) {
            failed.add(1, ordering: .relaxed)
            failures.withLock { if $0.count < 3 { $0.append(what) } }
            usleep(10_000)
        }

        func stop() {
            running.store(false, ordering: .releasing)
            while finished.load(ordering: .acquiring) < clients { usleep(10_000) }
        }
    }

    @Test func restartsOnAHandedOverSocketFailNoRequest() throws {
        let directory = TestEnvironment.temporaryDirectory + "/handover-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/auth.sock"
        let listener = try Self.listen(at: path)
        defer { close(listener) }
        let notify = try NotifySocket(directory + "/notify")
        var environment = ProcessInfo.processInfo.environment
        environment["HERALD_SOCKET_DIR"] = directory
        environment["HERALD_THREADS"] = "4"
        environment["NOTIFY_SOCKET"] = notify.path
        let log = directory + "/herald-auth.log"

        // LISTEN_PID must be the program's own pid: the shell exports its pid, then becomes the program.
        func start() throws -> SpawnedProcess {
            let process = try SpawnedProcess(
                ["/bin/sh", "-c", "export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$0\"", TestEnvironment.binary("herald-auth")],
                environment: environment, output: log, inheriting: listener)
            let ready = notify.next(within: 60)
            #expect(ready == "READY=1", "READY=1 once it serves, got \(ready ?? "nothing")")
            return process
        }

        var program = try start()
        defer { program.killGroup() }
        let load = Load(path: path, clients: 6)
        usleep(500_000)
        for _ in 0..<3 {
            kill(program.pid, SIGTERM)
            #expect(notify.next(within: 10) == "STOPPING=1")
            #expect(program.wait() == 0, "a clean stop")
            #expect(FileManager.default.fileExists(atPath: path), "the stopped program leaves the socket to its successor")
            program = try start()
            usleep(500_000)
        }
        load.stop()

        let failed = load.failed.load(ordering: .acquiring)
        #expect(failed == 0, "requests failed, the first: \(load.failures.withLock { $0 })")
        #expect(load.answered.load(ordering: .acquiring) > 100, "requests were answered throughout")
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(
            text.components(separatedBy: "socket=\"inherited from systemd\"").count - 1 == 4, "each of the 4 processes served the handed-over socket")
        #expect(text.components(separatedBy: "msg=stopped in_flight=0").count - 1 == 3)
    }
}
