// The FastCGI loop: a unix socket (its own, or one handed over by systemd's socket activation), a fixed
// pool of threads that accept connections and read their requests with libfcgi, and a graceful stop on
// SIGTERM/SIGINT that lets in-flight requests finish.
//
// A handed-over socket outlives the process: connections that arrive while the program restarts wait in
// its queue for the next process, so a restart fails no request. The threads therefore accept() with a
// receive timeout instead of being woken by shutdown() (which would break the socket for the successor).
import CFCGI
import Glibc
import HeraldSupport
import Synchronization

/// One per worker thread: turns a request into a response. It may keep per-thread state (the
/// thread's database connection), so it is never shared between threads.
public protocol RequestHandler: AnyObject {
    func handle(_ request: Request) -> Response
    /// After the response (and its stream) has been written: what the request held can go.
    func finished()
    /// The answer to a request refused before it could be read (bad encoding, too large).
    func reject(_ error: HTTPError, method: String, path: String, requestID: String) -> Response
}

public struct ServerOptions: Sendable {
    public var socketPath: String
    public var threads: Int
    public var maxBodyBytes: Int
    /// How long a stop waits for in-flight requests before exiting anyway.
    public var drainSeconds: Int = 10

    public init(socketPath: String, threads: Int, maxBodyBytes: Int) {
        self.socketPath = socketPath
        self.threads = threads
        self.maxBodyBytes = maxBodyBytes
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
}

/// Requests being handled right now.
private let inFlight = Atomic<Int>(0)
/// Worker threads still in their loop; the stop waits for it to reach zero.
private let serving = Atomic<Int>(0)
/// Set once on SIGTERM/SIGINT: threads take no new connection and close idle ones.
private let stopping = Atomic<Bool>(false)

public enum FastCGIServer {
    /// Serves until SIGTERM or SIGINT, then drains and exits the process. SIGHUP calls `onReload`;
    /// `onDrained` runs once the requests in flight are done, before the exit.
    public static func run(
        options: ServerOptions, onReload: @escaping @Sendable () -> Void = {}, onDrained: @escaping @Sendable () -> Void = {},
        makeHandler: @escaping @Sendable () -> any RequestHandler
    ) throws -> Never {
        // Block the stop signals in every thread; this one takes them with sigwait.
        var signals = blockStopSignals()

        let inherited = try inheritedSocket()
        let listenFD = try inherited ?? openSocket(options.socketPath)
        // accept() returns EAGAIN after this long without a connection, so a thread sees the stop.
        var timeout = timeval(tv_sec: 0, tv_usec: 250_000)
        setsockopt(listenFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard FCGX_Init() == 0 else { throw ServerError(description: "FCGX_Init failed") }
        // Written once on stop and never read: stays readable, so every idle kept connection sees it.
        var stopPipe: [Int32] = [-1, -1]
        guard herald_pipe_cloexec(&stopPipe) == 0 else { throw ServerError(description: "cannot create the stop pipe") }

        serving.store(options.threads, ordering: .releasing)
        for _ in 0..<options.threads {
            let maxBody = options.maxBodyBytes
            let stopFD = stopPipe[0]
            startThread {
                serve(listenFD: listenFD, stopFD: stopFD, maxBodyBytes: maxBody, handler: makeHandler())
                serving.subtract(1, ordering: .releasing)
            }
        }
        Log.info(
            "listening",
            [
                "socket": inherited == nil ? options.socketPath : "inherited from systemd",
                "threads": String(options.threads),
            ])
        notifySystemd("READY=1")

        while true {
            var received: Int32 = 0
            _ = sigwait(&signals, &received)
            if received == Int32(SIGHUP) {
                Log.info("reload requested")
                onReload()
                continue
            }
            break
        }
        Log.info("stopping: draining in-flight requests")
        notifySystemd("STOPPING=1")
        stopping.store(true, ordering: .releasing)
        _ = write(stopPipe[1], "x", 1)
        if inherited == nil {
            // Our own socket: refuse new connections at once (and wake the threads in accept).
            shutdown(listenFD, Int32(SHUT_RDWR))
            unlink(options.socketPath)
        }
        let deadline = Clock.monotonicNanos() + UInt64(options.drainSeconds) * 1_000_000_000
        while serving.load(ordering: .acquiring) > 0 && Clock.monotonicNanos() < deadline {
            usleep(10_000)
        }
        onDrained()
        Log.info("stopped", ["in_flight": String(inFlight.load(ordering: .acquiring))])
        exit(0)
    }

    /// The listening socket systemd passed (socket activation: LISTEN_PID is this process and
    /// LISTEN_FDS is 1, the socket being fd 3), or nil when started without one.
    static func inheritedSocket() throws -> Int32? {
        guard let pid = getenv("LISTEN_PID").flatMap({ Int32(String(cString: $0)) }), pid == getpid() else { return nil }
        let count = getenv("LISTEN_FDS").flatMap { Int(String(cString: $0)) } ?? 0
        // Not for the children this program starts (sendmail).
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        guard count == 1 else { throw ServerError(description: "LISTEN_FDS is \(count): expected exactly one socket") }
        let fd: Int32 = 3
        var listening: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0, listening == 1 else {
            throw ServerError(description: "fd 3 from LISTEN_FDS is not a listening socket")
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// Tells systemd (Type=notify) how the program is doing: READY=1 once it serves, STOPPING=1.
    static func notifySystemd(_ state: String) {
        guard let raw = getenv("NOTIFY_SOCKET") else { return }
        var path = Array(String(cString: raw).utf8)
        guard !path.isEmpty else { return }
        if path[0] == UInt8(ascii: "@") { path[0] = 0 }  // an abstract socket
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let message = Array(state.utf8)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, message, message.count, Int32(MSG_NOSIGNAL), $0, length) }
        }
    }

    /// Opens the listening socket. Refuses when another process still answers on the path
    /// (libfcgi would silently re-bind it); removes a stale socket file otherwise.
    static func openSocket(_ path: String) throws -> Int32 {
        if FileIO.exists(path) {
            if socketAnswers(path) {
                throw ServerError(description: "another process is already serving \(path); stop it first")
            }
            unlink(path)
        }
        let fd = FCGX_OpenSocket(path, 1024)
        guard fd >= 0 else { throw ServerError(description: "cannot open FastCGI socket \(path): \(String(cString: strerror(errno)))") }
        chmod(path, 0o660)
        return fd
    }

    static func socketAnswers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return rc == 0
    }

    /// One worker thread's loop: accept a connection, read its requests (nginx keeps connections open,
    /// `fastcgi_keep_conn on`), answer them; on stop, finish the request in hand, close the connection
    /// unless a request is already waiting on it, and return.
    static func serve(listenFD: Int32, stopFD: Int32, maxBodyBytes: Int, handler: any RequestHandler) {
        let request = AcceptedRequest()
        while true {
            if request.connection < 0 {
                if stopping.load(ordering: .acquiring) { break }
                let fd = herald_accept_cloexec(listenFD)
                guard fd >= 0 else {
                    let error = errno
                    if error == EAGAIN || error == EINTR || error == ECONNABORTED || stopping.load(ordering: .acquiring) { continue }
                    Log.error("accept failed", ["errno": String(cString: strerror(error))])
                    usleep(50_000)  // out of descriptors or memory: do not spin
                    continue
                }
                request.adopt(fd)
            } else if !nextRequestWaits(on: request.connection, stopFD: stopFD) {
                request.closeConnection()
                continue
            }
            // Reads the request's parameters; a connection that sends none is closed by libfcgi.
            guard FCGX_Accept_r(request.pointer) >= 0 else { continue }
            inFlight.add(1, ordering: .relaxed)
            let response = respond(request.pointer, maxBodyBytes: maxBodyBytes, handler: handler)
            let out = request.pointer.pointee.out
            put(response.serializedHead(), out)
            put(response.body, out)
            if let stream = response.stream {
                let writer = BodyWriter { put($0, out) }
                do {
                    try stream.write(writer)
                    writer.flush()
                } catch {
                    writer.flush()
                    Log.error("streamed response ended early", ["error": String(describing: error), "bytes": String(writer.written)])
                }
            }
            // The request ends to nginx first, so that work the handler does after the answer
            // (mail handed over) never delays it.
            FCGX_Finish_r(request.pointer)
            handler.finished()
            inFlight.subtract(1, ordering: .releasing)
        }
    }

    /// Waits on a kept connection until nginx sends its next request (true) or the program stops; then
    /// true only if a request is already there (false: close it, nothing was sent on it).
    static func nextRequestWaits(on connection: Int32, stopFD: Int32) -> Bool {
        // On the stack: this runs before every request on a kept connection.
        let ready = withUnsafeTemporaryAllocation(of: pollfd.self, capacity: 2) { fds in
            fds[0] = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            fds[1] = pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)
            while poll(fds.baseAddress, 2, -1) < 0 && errno == EINTR {}
            return fds[0].revents != 0
        }
        if ready { return true }
        var only = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        return poll(&only, 1, 0) > 0
    }

    /// Writes bytes to a libfcgi stream (buffered by libfcgi; no copy of the body on our side).
    static func put(_ bytes: [UInt8], _ stream: UnsafeMutablePointer<FCGX_Stream>?) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = FCGX_PutStr(chars.baseAddress, Int32(chars.count), stream)
            }
        }
    }

    static func respond(_ request: UnsafeMutablePointer<FCGX_Request>, maxBodyBytes: Int, handler: any RequestHandler) -> Response {
        var params: [String: String] = [:]
        var validUTF8 = true
        if var env = request.pointee.envp {
            while let entry = env.pointee {
                let entryValid = Request.addParameter(UnsafeRawBufferPointer(start: entry, count: strlen(entry)), to: &params)
                validUTF8 = validUTF8 && entryValid
                env += 1
            }
        }
        func refuse(_ error: HTTPError) -> Response {
            handler.reject(
                error, method: params["REQUEST_METHOD"] ?? "-", path: params["DOCUMENT_URI"] ?? "-", requestID: params["REQUEST_ID"] ?? "-")
        }
        if !validUTF8 { return refuse(.badRequest("The request's address or headers are not valid UTF-8.")) }
        let length = Int(params["CONTENT_LENGTH"] ?? "") ?? 0
        if length > maxBodyBytes { return refuse(.tooLarge) }
        var body = [UInt8](repeating: 0, count: max(0, length))
        if length > 0 {
            var got = 0
            while got < length {
                let n = body.withUnsafeMutableBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        FCGX_GetStr(chars.baseAddress! + got, Int32(length - got), request.pointee.in)
                    }
                }
                if n <= 0 { break }
                got += Int(n)
            }
            if got < length { return refuse(.badRequest("The request body ended early.")) }
        }
        do {
            let parsed = try Request(params: params, body: body)
            return handler.handle(parsed)
        } catch let error as HTTPError {
            return refuse(error)
        } catch {
            return refuse(.badRequest("The request could not be read."))
        }
    }

}

/// A thread's `FCGX_Request`, reused for every request the thread accepts and freed with it.
/// libfcgi's streams point back at the request, so it must not move: it lives on the heap. Its
/// listening socket is -1: the thread accepts connections itself and hands each one to libfcgi, which
/// then only reads requests from it (and, with no listening socket, never blocks in accept).
final class AcceptedRequest {
    let pointer: UnsafeMutablePointer<FCGX_Request>

    init() {
        pointer = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        FCGX_InitRequest(pointer, -1, 0)
    }

    /// The connection being read, -1 when none.
    var connection: Int32 { pointer.pointee.ipcFd }

    /// Gives libfcgi a freshly accepted connection. keepConnection stops FCGX_Accept_r's opening
    /// FCGX_Finish_r from closing it; the request's FCGI_BEGIN_REQUEST then sets it as nginx asks.
    func adopt(_ fd: Int32) {
        pointer.pointee.ipcFd = fd
        pointer.pointee.keepConnection = 1
    }

    /// Closes the connection (libfcgi's close: shut the write side, read what is left, close).
    func closeConnection() {
        FCGX_Free(pointer, 1)
    }

    deinit {
        // Frees the request's parameters and streams and closes its connection (not the listening socket).
        FCGX_Free(pointer, 1)
        pointer.deallocate()
    }
}
