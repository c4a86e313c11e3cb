// An HTTP response: status, headers, body; written back to nginx as a CGI-style reply.

public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

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

/// A `Set-Cookie` header value for Herald's `__Host-` cookies: Path=/, Secure, HttpOnly, SameSite=Lax.
public func hostCookie(name: String, value: String, maxAge: Int? = nil) -> String {
    var cookie = "\(name)=\(value); Path=/; Secure; HttpOnly; SameSite=Lax"
    if let maxAge { cookie += "; Max-Age=\(maxAge)" }
    return cookie
}
