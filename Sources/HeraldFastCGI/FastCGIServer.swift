// The FastCGI loop: its own unix socket, a fixed pool of threads each blocking in FCGX_Accept_r,
// and a graceful stop on SIGTERM/SIGINT that lets in-flight requests finish.
import CFCGI
import Glibc
import HeraldSupport
import Synchronization

/// One per worker thread: turns a request into a response. It may keep per-thread state (the
/// thread's database connection), so it is never shared between threads.
public protocol RequestHandler: AnyObject {
    func handle(_ request: Request) -> Response
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

/// Requests being handled right now; the stop waits for it to reach zero.
private let inFlight = Atomic<Int>(0)

public enum FastCGIServer {
    /// Serves until SIGTERM or SIGINT, then drains and exits the process. SIGHUP calls `onReload`.
    public static func run(
        options: ServerOptions, onReload: @escaping @Sendable () -> Void = {},
        makeHandler: @escaping @Sendable () -> any RequestHandler
    ) throws -> Never {
        // Block the stop signals in every thread; this one takes them with sigwait.
        var signals = blockStopSignals()

        let listenFD = try openSocket(options.socketPath)
        guard FCGX_Init() == 0 else { throw ServerError(description: "FCGX_Init failed") }

        for _ in 0..<options.threads {
            let maxBody = options.maxBodyBytes
            startThread {
                serve(listenFD: listenFD, maxBodyBytes: maxBody, handler: makeHandler())
            }
        }
        Log.info("listening", ["socket": options.socketPath, "threads": String(options.threads)])

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
        FCGX_ShutdownPending()
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
        unlink(options.socketPath)
        let deadline = Clock.monotonicNanos() + UInt64(options.drainSeconds) * 1_000_000_000
        var quietChecks = 0
        while Clock.monotonicNanos() < deadline {
            if inFlight.load(ordering: .acquiring) == 0 {
                quietChecks += 1
                if quietChecks >= 3 { break }
            } else {
                quietChecks = 0
            }
            usleep(20_000)
        }
        Log.info("stopped", ["in_flight": String(inFlight.load(ordering: .acquiring))])
        exit(0)
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

    /// One worker thread's loop.
    static func serve(listenFD: Int32, maxBodyBytes: Int, handler: any RequestHandler) {
        let request = AcceptedRequest(listenFD: listenFD)
        while FCGX_Accept_r(request.pointer) >= 0 {
            inFlight.add(1, ordering: .relaxed)
            let response = respond(request.pointer, maxBodyBytes: maxBodyBytes, handler: handler)
            put(response.serializedHead(), request.pointer.pointee.out)
            put(response.body, request.pointer.pointee.out)
            FCGX_Finish_r(request.pointer)
            inFlight.subtract(1, ordering: .releasing)
        }
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
                // NAME=value: split at the first '=' on the bytes, no Character-level scanning.
                let length = strlen(entry)
                if let eq = memchr(entry, Int32(UInt8(ascii: "=")), length) {
                    let nameLength = entry.distance(to: eq.assumingMemoryBound(to: CChar.self))
                    let raw = UnsafeRawBufferPointer(start: entry, count: length)
                    if let name = String(validating: raw[0..<nameLength], as: UTF8.self),
                        let value = String(validating: raw[(nameLength + 1)...], as: UTF8.self)
                    {
                        params[name] = value
                    } else {
                        validUTF8 = false
                    }
                }
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
/// libfcgi's streams point back at the request, so it must not move: it lives on the heap.
final class AcceptedRequest {
    let pointer: UnsafeMutablePointer<FCGX_Request>

    init(listenFD: Int32) {
        pointer = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        FCGX_InitRequest(pointer, listenFD, 0)
    }

    deinit {
        // Frees the request's parameters and streams and closes its connection (not the listening socket).
        FCGX_Free(pointer, 1)
        pointer.deallocate()
    }
}
