// The one HTTP client for addresses a user chose (a source page for an AI draft). libcurl, so that
// Herald decides where each connection goes: the name is resolved and every address checked here,
// curl is pinned to exactly those addresses (CURLOPT_RESOLVE, no second lookup to rebind), and the
// socket callback refuses any private peer all the same. Redirects are followed here, each hop checked.
import CCurl
import Foundation
import Glibc
public import HeraldSupport

/// A page fetched through GuardedFetch.
public struct GuardedResponse: Sendable {
    public let status: Int
    /// Names in lower case; a repeated header's values joined with ", ".
    public let headers: [String: String]
    public let body: [UInt8]
    /// The address the answer came from, after any redirects.
    public let finalURL: String
    /// The media type in lower case without its parameters (`text/html`); nil when none was sent.
    public let contentType: String?
    /// Content-Type's `charset` parameter in lower case, if any.
    public let charset: String?

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a page was not fetched, in words for the person who gave the address.
public enum GuardedFetchError: Error, Sendable, Equatable, CustomStringConvertible, UserFacingError {
    /// Not an http:// or https:// address (or not an address at all).
    case badURL(String)
    /// The address carries a user name or password.
    case userInfo
    /// The host is, resolves to, or (`redirected`) a redirect led to a private network address.
    case privateAddress(host: String, address: String, redirected: Bool)
    /// localhost, a .local or .internal name, a name without a dot.
    case notPublicName(host: String, redirected: Bool)
    /// A redirect to something other than an http(s) address.
    case badRedirect(String)
    case tooManyRedirects(Int)
    case notFound(host: String)
    case timedOut(host: String, seconds: Int)
    case tooLarge(maxBytes: Int)
    case unreachable(host: String, reason: String)

    public var message: String {
        switch self {
        case .badURL(let text):
            return "\(text.prefix(200)) is not a web address Herald can fetch; give an http:// or https:// address."
        case .userInfo:
            return "Herald does not fetch addresses with a user name or password in them."
        case .privateAddress(let host, let address, let redirected):
            if host == address {
                return redirected
                    ? "The page redirected to \(host), a private network address."
                    : "\(host) is a private network address; Herald only fetches public pages."
            }
            return redirected
                ? "The page redirected to \(host), which points to a private network address (\(address))."
                : "\(host) points to a private network address (\(address)); Herald only fetches public pages."
        case .notPublicName(let host, let redirected):
            return redirected
                ? "The page redirected to \(host), which is not a public server name."
                : "\(host) is not a public server name; Herald only fetches public pages."
        case .badRedirect(let target):
            return "The page redirected to \(target.prefix(200)), which is not a web address Herald fetches."
        case .tooManyRedirects(let limit):
            return "The page redirected more than \(limit) times."
        case .notFound(let host):
            return "Herald cannot find the server \(host). Check the address."
        case .timedOut(let host, let seconds):
            return "No answer from \(host) within \(seconds) second\(seconds == 1 ? "" : "s")."
        case .tooLarge(let maxBytes):
            return "The page is larger than \(ByteSize.text(maxBytes))."
        case .unreachable(let host, let reason):
            return "Herald could not reach \(host): \(reason)."
        }
    }

    public var description: String { message }
    public var title: String { "The page could not be fetched" }
    public var refusal: RefusalKind { isTransient ? .unavailable : .invalidInput }

    /// True when trying again later may work (the server was slow or unreachable), false for the address's fault.
    public var isTransient: Bool {
        switch self {
        case .timedOut, .unreachable: return true
        default: return false
        }
    }
}

/// Blocking GETs of pages a user named; each call has its own curl handle, so it is safe from any thread.
public struct GuardedFetch: Sendable {
    /// The whole call's limit, redirects included.
    public let timeoutSeconds: Double
    /// The largest body accepted (after decompression); the transfer stops once it is passed.
    public let maxBytes: Int
    /// Origins (`http://127.0.0.1:8081`) exempt from the address rules: an intranet source, the tests' stand-in.
    public let allowedOrigins: [String]
    public let userAgent: String
    /// Redirects followed before giving up.
    public static let maxRedirects = 5
    /// False only in tests: skip the name and DNS checks to show that the socket check alone refuses a private peer.
    let checksNames: Bool

    public init(
        timeoutSeconds: Double = 10, maxBytes: Int = 2 << 20, allowedOrigins: [String] = [],
        userAgent: String = "Herald/1.0 (self-hosted social media manager)"
    ) {
        self.init(timeoutSeconds: timeoutSeconds, maxBytes: maxBytes, allowedOrigins: allowedOrigins, userAgent: userAgent, checksNames: true)
    }

    init(timeoutSeconds: Double, maxBytes: Int, allowedOrigins: [String], userAgent: String, checksNames: Bool) {
        self.timeoutSeconds = timeoutSeconds
        self.maxBytes = maxBytes
        self.allowedOrigins = allowedOrigins.compactMap(GuardedFetch.normalizedOrigin)
        self.userAgent = userAgent
        self.checksNames = checksNames
    }

    /// HERALD_SOURCE_ALLOW_ORIGINS (comma-separated origins), read through `value` like the other settings.
    public static func allowedOrigins(_ value: (String) throws -> String?) throws -> [String] {
        var origins: [String] = []
        for item in (try value("HERALD_SOURCE_ALLOW_ORIGINS") ?? "").split(separator: ",") {
            let text = item.trimmed
            guard text.lowercased().hasPrefix("http"), let origin = OAuthConfig.origin(of: text) else {
                throw ConfigError(description: "HERALD_SOURCE_ALLOW_ORIGINS: \(text) is not an origin like http://intranet.example:8080")
            }
            origins.append(origin)
        }
        return origins
    }

    /// Fetches `url` (http or https), following up to five redirects, each checked like the first address.
    public func get(_ url: String, accept: String = "text/html, text/plain;q=0.9, application/pdf;q=0.8, */*;q=0.1") throws(GuardedFetchError)
        -> GuardedResponse
    {
        guard curlReady else { throw .unreachable(host: "the page", reason: "libcurl did not start") }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var current = url.trimmed
        var hop = 0
        while true {
            let redirected = hop > 0
            let target = try CurlURL.parse(current, redirected: redirected)
            let allowed = allowedOrigins.contains(target.origin)
            var pinned: [IPAddress] = []
            if !allowed && checksNames { pinned = try check(target, redirected: redirected) }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw .timedOut(host: target.host, seconds: Int(timeoutSeconds.rounded())) }
            let response = try transfer(target, pinned: pinned, allowPrivate: allowed, redirected: redirected, accept: accept, remaining: remaining)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.location else { return response.page }
            guard hop < GuardedFetch.maxRedirects else { throw .tooManyRedirects(GuardedFetch.maxRedirects) }
            hop += 1
            current = location
        }
    }

    /// The address rules before any connection: the addresses the name resolves to, all public.
    private func check(_ target: CurlURL, redirected: Bool) throws(GuardedFetchError) -> [IPAddress] {
        if let literal = IPAddress(literal: target.host) {
            guard literal.isPublic else { throw .privateAddress(host: target.host, address: target.host, redirected: redirected) }
            return []
        }
        guard PublicAddresses.isPublicName(target.host) else { throw .notPublicName(host: target.host, redirected: redirected) }
        guard let addresses = PublicAddresses.resolve(target.host), !addresses.isEmpty else { throw .notFound(host: target.host) }
        if let inside = addresses.first(where: { !$0.isPublic }) {
            throw .privateAddress(host: target.host, address: inside.text, redirected: redirected)
        }
        return addresses
    }

    /// One request, no redirects followed.
    private func transfer(
        _ target: CurlURL, pinned: [IPAddress], allowPrivate: Bool, redirected: Bool, accept: String, remaining: TimeInterval
    ) throws(GuardedFetchError) -> (status: Int, location: String?, page: GuardedResponse) {
        guard let easy = CurlEasy() else { throw .unreachable(host: target.host, reason: "libcurl could not start a transfer") }
        let state = TransferState(maxBytes: maxBytes, allowPrivate: allowPrivate)
        let milliseconds = max(1, Int(remaining * 1000))
        easy.set(CURLOPT_CURLU, pointer: UnsafeMutableRawPointer(target.handle))
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_FOLLOWLOCATION, 0)
        easy.set(CURLOPT_NOSIGNAL, 1)
        easy.set(CURLOPT_TIMEOUT_MS, milliseconds)
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, min(milliseconds, Int(timeoutSeconds * 1000)))
        // An http_proxy in the environment would make the proxy the peer the socket check sees.
        easy.set(CURLOPT_PROXY, "")
        easy.set(CURLOPT_USERAGENT, userAgent)
        easy.set(CURLOPT_ACCEPT_ENCODING, "")
        easy.setList(CURLOPT_HTTPHEADER, ["Accept: " + accept])
        if !pinned.isEmpty {
            let addresses = pinned.map { $0.isV6 ? "[\($0.text)]" : $0.text }.joined(separator: ",")
            easy.setList(CURLOPT_RESOLVE, ["\(target.host):\(target.port):\(addresses)"])
        }
        let context = Unmanaged.passUnretained(state).toOpaque()
        easy.set(CURLOPT_WRITEDATA, pointer: context)
        easy.set(CURLOPT_HEADERDATA, pointer: context)
        easy.set(CURLOPT_OPENSOCKETDATA, pointer: context)
        _ = herald_curl_setopt_write(easy.handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().body(data, size * count)
        }
        _ = herald_curl_setopt_write(easy.handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().header(data, size * count)
        }
        _ = herald_curl_setopt_opensocket(easy.handle) { context, purpose, address in
            guard let context, let address else { return -1 }
            return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().openSocket(address)
        }
        let code = withExtendedLifetime(state) { curl_easy_perform(easy.handle) }
        guard code == CURLE_OK else {
            throw failure(code, state: state, target: target, redirected: redirected)
        }
        let status = easy.long(CURLINFO_RESPONSE_CODE)
        let contentType = state.headers["content-type"].map(GuardedFetch.mediaType)
        let page = GuardedResponse(
            status: status, headers: state.headers, body: state.received, finalURL: target.url, contentType: contentType?.type,
            charset: contentType?.charset)
        return (status, easy.string(CURLINFO_REDIRECT_URL), page)
    }

    private func failure(_ code: CURLcode, state: TransferState, target: CurlURL, redirected: Bool) -> GuardedFetchError {
        if state.tooLarge { return .tooLarge(maxBytes: maxBytes) }
        if let refused = state.refused { return .privateAddress(host: target.host, address: refused, redirected: redirected) }
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return .timedOut(host: target.host, seconds: Int(timeoutSeconds.rounded()))
        case CURLE_COULDNT_RESOLVE_HOST: return .notFound(host: target.host)
        case CURLE_COULDNT_CONNECT: return .unreachable(host: target.host, reason: "the connection was refused")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            return .unreachable(host: target.host, reason: "no trusted secure connection (\(String(cString: curl_easy_strerror(code))))")
        default: return .unreachable(host: target.host, reason: String(cString: curl_easy_strerror(code)))
        }
    }

    /// `text/html; charset="UTF-8"` → ("text/html", "utf-8").
    static func mediaType(_ header: String) -> (type: String, charset: String?) {
        let parts = header.split(separator: ";")
        let type = (parts.first.map(String.init) ?? "").trimmed.lowercased()
        var charset: String?
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmed.lowercased() == "charset" else { continue }
            charset = pair[1].trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
        }
        return (type, charset)
    }

    /// `scheme://host[:port]` in lower case, the default port left out.
    static func normalizedOrigin(_ text: String) -> String? {
        guard let origin = OAuthConfig.origin(of: text) else { return nil }
        if origin.hasPrefix("http://") && origin.hasSuffix(":80") { return String(origin.dropLast(3)) }
        if origin.hasPrefix("https://") && origin.hasSuffix(":443") { return String(origin.dropLast(4)) }
        return origin
    }
}

/// libcurl's global set-up, once per process (thread-safe in the libcurl Debian ships).
private let curlReady: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

/// A URL as libcurl parses it: the checks and the transfer see the same host, so no parser differential.
private final class CurlURL {
    let handle: OpaquePointer
    let scheme: String
    /// Lower case, IDN as punycode, IPv6 without brackets.
    let host: String
    let port: Int
    let url: String
    /// `scheme://host[:port]`, the default port left out, as allowedOrigins are kept.
    var origin: String {
        let defaultPort = scheme == "https" ? 443 : 80
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)" + (port == defaultPort ? "" : ":\(port)")
    }

    private init(handle: OpaquePointer, scheme: String, host: String, port: Int, url: String) {
        self.handle = handle
        self.scheme = scheme
        self.host = host
        self.port = port
        self.url = url
    }

    deinit { curl_url_cleanup(handle) }

    static func parse(_ text: String, redirected: Bool) throws(GuardedFetchError) -> CurlURL {
        let refuse: GuardedFetchError = redirected ? .badRedirect(text) : .badURL(text)
        guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }), let handle = curl_url() else { throw refuse }
        guard curl_url_set(handle, CURLUPART_URL, text, UInt32(CURLU_DEFAULT_SCHEME)) == CURLUE_OK else {
            curl_url_cleanup(handle)
            throw refuse
        }
        func part(_ which: CURLUPart, _ flags: Int32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        let scheme = part(CURLUPART_SCHEME)?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https", var host = part(CURLUPART_HOST, CURLU_PUNYCODE)?.lowercased(), !host.isEmpty,
            let port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).flatMap({ Int($0) }), let url = part(CURLUPART_URL)
        else {
            curl_url_cleanup(handle)
            throw refuse
        }
        if part(CURLUPART_USER) != nil || part(CURLUPART_PASSWORD) != nil {
            curl_url_cleanup(handle)
            throw .userInfo
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let zone = host.firstIndex(of: "%") { host = String(host[..<zone]) }
        while host.hasSuffix(".") { host.removeLast() }
        // The fragment never goes to the server; the final URL is shown without it.
        _ = curl_url_set(handle, CURLUPART_FRAGMENT, nil, 0)
        return CurlURL(handle: handle, scheme: scheme, host: host, port: port, url: part(CURLUPART_URL) ?? url)
    }
}

/// One easy handle and the lists it points to, freed together.
private final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
    }

    func set(_ option: CURLoption, _ value: Int) { _ = herald_curl_setopt_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = herald_curl_setopt_string(handle, option, value) }
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) { _ = herald_curl_setopt_pointer(handle, option, pointer) }

    func setList(_ option: CURLoption, _ items: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = curl_slist_append(list, item) }
        guard let list else { return }
        lists.append(list)
        set(option, pointer: UnsafeMutableRawPointer(list))
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = herald_curl_getinfo_long(handle, info, &value)
        return value
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard herald_curl_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

/// What the callbacks of one transfer collect; used on the calling thread only.
private final class TransferState {
    let maxBytes: Int
    let allowPrivate: Bool
    var received: [UInt8] = []
    var headers: [String: String] = [:]
    var tooLarge = false
    /// The private address the socket check refused, if it did.
    var refused: String?

    init(maxBytes: Int, allowPrivate: Bool) {
        self.maxBytes = maxBytes
        self.allowPrivate = allowPrivate
    }

    /// Returning less than `count` makes curl stop with CURLE_WRITE_ERROR.
    func body(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        guard received.count + count <= maxBytes else {
            tooLarge = true
            return 0
        }
        received.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    func header(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self).trimmed
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after a 100 Continue)
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmed.lowercased()
            let value = line[line.index(after: colon)...].trimmed
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        return count
    }

    /// CURLOPT_OPENSOCKETFUNCTION: the last word on where a connection goes.
    func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        let family = address.pointee.family
        let peer = UnsafeMutableRawPointer(address) + MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!
        guard let ip = IPAddress(socketAddress: peer, family: family) else { return -1 }
        if !allowPrivate && !ip.isPublic {
            if refused == nil { refused = ip.text }
            return -1
        }
        return socket(family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
    }
}

/// An IPv4 or IPv6 address as bytes.
struct IPAddress: Sendable, Equatable {
    let bytes: [UInt8]
    var isV6: Bool { bytes.count == 16 }
    var isPublic: Bool { isV6 ? PublicAddresses.isPublic(v6: bytes) : PublicAddresses.isPublic(v4: bytes) }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// A dotted quad or an IPv6 address (without brackets); nil for a name.
    init?(literal text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// From a `sockaddr_in` or `sockaddr_in6`.
    init?(socketAddress: UnsafeRawPointer, family: Int32) {
        switch family {
        case AF_INET: bytes = withUnsafeBytes(of: socketAddress.loadUnaligned(as: sockaddr_in.self).sin_addr) { Array($0) }
        case AF_INET6: bytes = withUnsafeBytes(of: socketAddress.loadUnaligned(as: sockaddr_in6.self).sin6_addr) { Array($0) }
        default: return nil
        }
    }

    var text: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isV6 ? AF_INET6 : AF_INET
        return bytes.withUnsafeBytes { raw in
            guard inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
            return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// Which names and addresses count as public: shared by GuardedFetch and the Mastodon instance check.
enum PublicAddresses {
    /// False for names that only mean something inside a network (localhost, .local, .internal, no dot)
    /// and for bare numbers that are not an IP address.
    static func isPublicName(_ host: String) -> Bool {
        let blockedSuffixes = [".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa", ".corp"]
        return host.contains(".") && host != "localhost" && !blockedSuffixes.contains(where: { host.hasSuffix($0) })
            && !host.allSatisfy({ $0.isNumber || $0 == "." })
    }

    /// Every address the name resolves to (IPv4 and IPv6, each once); nil if it does not resolve.
    static func resolve(_ host: String) -> [IPAddress]? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            if let address = entry.pointee.ai_addr {
                // An address of another family is never connected to; counting it as private keeps the rule strict.
                let ip = IPAddress(socketAddress: address, family: Int32(address.pointee.sa_family)) ?? IPAddress(bytes: [0, 0, 0, 0])
                if !addresses.contains(ip) { addresses.append(ip) }
            }
            node = entry.pointee.ai_next
        }
        return addresses
    }

    /// True if every address the name resolves to is public; false if one is private, loopback,
    /// link-local or otherwise special; nil if it does not resolve.
    static func allPublic(_ host: String) -> Bool? {
        guard let addresses = resolve(host), !addresses.isEmpty else { return nil }
        return addresses.allSatisfy(\.isPublic)
    }

    static func isPublic(v4 b: [UInt8]) -> Bool {
        guard b.count == 4 else { return false }
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168): return false
        case (100, 64...127), (172, 16...31), (198, 18...19): return false
        case (192, 0) where b[2] == 0 || b[2] == 2: return false
        case (198, 51) where b[2] == 100: return false
        case (203, 0) where b[2] == 113: return false
        case (224...255, _): return false
        default: return true
        }
    }

    static func isPublic(v6 b: [UInt8]) -> Bool {
        guard b.count == 16 else { return false }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return isPublic(v4: Array(b[12..<16])) }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return false }  // :: and ::1, and the deprecated IPv4-compatible ::a.b.c.d
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach an IPv4 address: that one decides.
        if b[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return isPublic(v4: Array(b[12..<16])) }
        if b[0] == 0x20 && b[1] == 0x02 { return isPublic(v4: Array(b[2..<6])) }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0 { return false }  // 2001::/32 Teredo
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return false }  // 2001:db8::/32 documentation
        if b[0] == 0x01 && b[1] == 0 && b[2..<8].allSatisfy({ $0 == 0 }) { return false }  // 100::/64 discard
        if b[0] & 0xfe == 0xfc { return false }  // fc00::/7 unique local
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return false }  // fec0::/10 site-local (deprecated)
        if b[0] == 0xff { return false }  // multicast
        return true
    }
}

/// Sizes in messages: "2 MB", "200 KB".
enum ByteSize {
    static func text(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1_000_000 && bytes % 1_000_000 == 0 { return "\(bytes / 1_000_000) MB" }
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        if bytes >= 1024 && bytes % 1024 == 0 { return "\(bytes >> 10) KB" }
        if bytes >= 1000 { return "\(bytes / 1000) KB" }
        return "\(bytes) bytes"
    }
}
