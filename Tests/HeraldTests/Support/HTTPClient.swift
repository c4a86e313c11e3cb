// A small HTTP/1.0 client over a TCP socket, so tests control every byte and header (cookies
// included) that reaches nginx, with nothing cached or followed behind their back.
import Foundation
import Glibc

struct HTTPResponse {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: String

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    func headers(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }

    /// Raw `Set-Cookie` value for a cookie name.
    func setCookie(_ name: String) -> String? { headers("Set-Cookie").first { $0.hasPrefix(name + "=") } }

    /// The CSRF token of the first form on the page.
    var csrfToken: String? { firstMatch(#"name="csrf" value="([^"]*)""#) }

    func firstMatch(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)),
            let range = Range(match.range(at: 1), in: body)
        else { return nil }
        return String(body[range])
    }
}

enum HTTPClient {
    /// Sends one request to nginx on 127.0.0.1 (the public site, or another of its ports) and reads the whole response.
    static func send(
        method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = [], port: UInt16 = TestEnvironment.httpPort
    ) throws -> HTTPResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw TestFailure("cannot connect to nginx on port \(port)") }
        var head = "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: herald-tests\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // nginx may refuse a large body early; read its answer anyway
            sent += n
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return try parse(response)
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0...(max(0, bytes.count - 4))).first(where: { Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator }) else {
            throw TestFailure("malformed HTTP response: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        let head = String(decoding: bytes[0..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(head[0])") }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return HTTPResponse(status: status, headers: headers, body: String(decoding: bytes[(split + 4)...], as: UTF8.self))
    }
}

/// A browser: keeps cookies (as a browser on a secure context like 127.0.0.1 would, `Secure`
/// ones included) and remembers the last page's CSRF token.
final class Browser {
    var cookies: [String: String] = [:]
    var lastCSRF: String?

    @discardableResult
    func get(_ path: String) throws -> HTTPResponse {
        let response = try HTTPClient.send(method: "GET", path: path, headers: cookieHeader())
        absorb(response)
        return response
    }

    /// Posts a form; the page's CSRF token is added unless `csrf` is given (or `.some(nil)` to leave it out).
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf: String?? = .none) throws -> HTTPResponse {
        var all = fields
        switch csrf {
        case .none: if let token = lastCSRF { all.append(("csrf", token)) }
        case .some(.some(let token)): all.append(("csrf", token))
        case .some(.none): break
        }
        let body = all.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        let response = try HTTPClient.send(
            method: "POST", path: path,
            headers: cookieHeader() + [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(body.utf8))
        absorb(response)
        // Like a browser, follow POST/redirect/GET, so cookies and the CSRF token are current.
        if response.status == 303, let location = response.header("Location") {
            let path = location.hasPrefix(TestEnvironment.baseURL) ? String(location.dropFirst(TestEnvironment.baseURL.count)) : location
            if path.hasPrefix("/") { try get(path) }
        }
        return response
    }

    func cookieHeader() -> [(String, String)] {
        cookies.isEmpty ? [] : [("Cookie", cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "))]
    }

    func absorb(_ response: HTTPResponse) {
        for raw in response.headers("Set-Cookie") {
            let pair = raw.split(separator: ";")[0]
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq])
            let value = String(pair[pair.index(after: eq)...])
            if value.isEmpty || raw.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = response.csrfToken { lastCSRF = token }
    }

    var sessionCookie: String? { cookies["__Host-herald_session"] }

    /// Signs up a new user as a person does: the form, then the link mailed to the address (read
    /// from the outbox), where the password is chosen; logged in afterwards. Returns the email.
    @discardableResult
    func signUp(
        name: String = "Test User", email: String = TestEnvironment.uniqueEmail(), password: String = TestEnvironment.defaultPassword,
        timeZone: String = "UTC", next: String? = nil
    ) throws -> String {
        try get("/signup")
        let response = try post("/signup", [("name", name), ("email", email), ("time_zone", timeZone)] + (next.map { [("next", $0)] } ?? []))
        guard response.status == 303, response.header("Location")?.hasSuffix("/signup/sent") == true else {
            throw TestFailure("sign-up failed with \(response.status): \(response.body.prefix(400))")
        }
        let link = try newestLink(to: email, prefix: "/signup/confirm/")
        try get(link)
        let created = try post(link, [("password", password)])
        guard created.status == 303 else { throw TestFailure("the sign-up link failed with \(created.status): \(created.body.prefix(400))") }
        return email
    }

    /// Signs up, then makes the address unconfirmed again and asks for a confirmation link, as an
    /// account made before sign-up confirmed addresses would: for the tests of /verify-email.
    @discardableResult
    func signUpUnconfirmed() throws -> String {
        let email = try signUp()
        try TestEnvironment.connectApp().query("UPDATE users SET email_verified_at = NULL WHERE email = $1", [.text(email)])
        try get("/account")
        let asked = try post("/account/verify-email", [])
        guard asked.status == 303 else { throw TestFailure("asking for a confirmation link failed with \(asked.status)") }
        return email
    }

    /// The path of the newest link to `email` in the outbox whose path starts with `prefix`.
    func newestLink(to email: String, prefix: String) throws -> String { try Outbox.newestLink(to: email, prefix: prefix) }

    @discardableResult
    func logIn(email: String, password: String = TestEnvironment.defaultPassword) throws -> HTTPResponse {
        try get("/login")
        return try post("/login", [("email", email), ("password", password)])
    }
}

func formEncode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
