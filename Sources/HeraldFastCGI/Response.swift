// An HTTP response: status, headers, body; written back to nginx as a CGI-style reply.

public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// A body written piece by piece after `body` (an export of any size in bounded memory): run by
    /// the server once the head is sent, on the request's thread, before the handler's `finished`.
    public var stream: ResponseStream?

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// 303 See Other: the answer to a successful form POST (POST/redirect/GET).
    public static func redirect(to location: String, status: Int = 303) -> Response {
        Response(status: status, headers: [("Location", location)], body: [])
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    public mutating func addHeader(_ name: String, _ value: String) { headers.append((name, value)) }

    /// The head sent to nginx before the body: `Status:` line, headers, blank line.
    func serializedHead() -> [UInt8] {
        var head = [UInt8]()
        head.reserveCapacity(256 + headers.count * 48)
        head += "Status: \(status) \(Response.reason(status))\r\n".utf8
        for (name, value) in headers {
            head += name.utf8
            head += [UInt8(ascii: ":"), UInt8(ascii: " ")]
            // Header values come from code, but never let a newline split a header.
            for byte in value.utf8 where byte != 13 && byte != 10 { head.append(byte) }
            head += [13, 10]
        }
        head += [13, 10]
        return head
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// Writes a streamed body. Its error cannot change the status any more (the head is sent): the body
/// ends where it failed, and the error is logged.
public final class ResponseStream: @unchecked Sendable {
    let write: (BodyWriter) throws -> Void

    /// `write` runs once, on the request's thread (it may use the request's state).
    public init(_ write: @escaping (BodyWriter) throws -> Void) { self.write = write }
}

/// Where a streamed body goes: buffered, and handed to nginx in pieces of about 32 KB.
public final class BodyWriter {
    private var buffer: [UInt8] = []
    private let flushBytes: (([UInt8]) -> Void)
    public private(set) var written = 0

    init(flush: @escaping ([UInt8]) -> Void) {
        flushBytes = flush
        buffer.reserveCapacity(40_000)
    }

    public func write(_ text: String) {
        buffer += text.utf8
        if buffer.count >= 32_768 { flush() }
    }

    public func write(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count >= 32_768 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        written += buffer.count
        flushBytes(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A `Set-Cookie` header value for Herald's `__Host-` cookies: Path=/, Secure, HttpOnly, SameSite=Lax.
public func hostCookie(name: String, value: String, maxAge: Int? = nil) -> String {
    var cookie = "\(name)=\(value); Path=/; Secure; HttpOnly; SameSite=Lax"
    if let maxAge { cookie += "; Max-Age=\(maxAge)" }
    return cookie
}
