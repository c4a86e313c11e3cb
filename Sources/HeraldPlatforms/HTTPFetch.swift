// Outbound HTTP(S) to the social platforms, blocking the calling thread (a FastCGI worker or the
// queue worker): URLSession from FoundationNetworking (libcurl underneath), no cookies, no cache,
// redirects never followed (a token endpoint that redirects is an error, and the OAuth stand-in's
// 302 is what the tests want to see).
import Dispatch
import Foundation
import FoundationNetworking
import HeraldCrypto

#if canImport(FoundationNetworking)
#endif

/// A platform's answer: status, headers (names in lower case) and body.
public struct FetchResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: [UInt8]

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as a JSON object, or nil.
    public var json: JSONObject? { JSONObject(parsing: body) }

    /// The start of the body for logs and messages (never used for answers that carry tokens).
    public var snippet: String { String(decoding: body.prefix(200), as: UTF8.self) }
}

/// The call did not produce an HTTP answer.
public enum FetchError: Error, CustomStringConvertible, Sendable {
    case badURL(String)
    /// No answer, and the request may have reached the server (a timeout, a dropped connection).
    case unreachable(url: String, reason: String)
    /// No answer, and the request certainly never left: the name did not resolve or the connection
    /// was refused. Safe to send again.
    case notSent(url: String, reason: String)

    public var description: String {
        switch self {
        case .badURL(let url): return "not a usable URL: \(url)"
        case .unreachable(let url, let reason), .notSent(let url, let reason): return "no answer from \(FetchError.hostOf(url)): \(reason)"
        }
    }

    /// True when the server may have received the request.
    public var maybeSent: Bool {
        if case .unreachable = self { return true }
        return false
    }

    /// Scheme and host only: the rest of a URL may carry codes or tokens.
    static func hostOf(_ url: String) -> String {
        guard let parsed = URL(string: url), let host = parsed.host else { return "the server" }
        return "\(parsed.scheme ?? "https")://\(host)\(parsed.port.map { ":\($0)" } ?? "")"
    }
}

/// Blocking HTTP calls; one shared URLSession per process.
public struct HTTPFetch: Sendable {
    public let timeoutSeconds: Double
    public let userAgent: String

    public init(timeoutSeconds: Double = 10, userAgent: String = "Herald/1.0 (self-hosted social media manager)") {
        self.timeoutSeconds = timeoutSeconds
        self.userAgent = userAgent
    }

    /// Sends one request and waits for the whole answer (or the timeout).
    public func send(_ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws(FetchError) -> FetchResponse {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw .badURL(url)
        }
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeoutSeconds)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body) }

        let task = HTTPFetch.session.dataTask(with: request)
        let pending = HTTPFetch.delegate.register(task.taskIdentifier)
        task.resume()
        // URLSession enforces timeoutInterval between bytes; this bounds the whole call.
        if pending.done.wait(timeout: .now() + timeoutSeconds * 2 + 1) == .timedOut {
            task.cancel()
            _ = pending.done.wait(timeout: .now() + 1)
            HTTPFetch.delegate.forget(task.taskIdentifier)
            throw .unreachable(url: url, reason: "timed out after \(Int(timeoutSeconds * 2)) s")
        }
        HTTPFetch.delegate.forget(task.taskIdentifier)
        let (response, data, error) = pending.result()
        guard let response else {
            let reason = error.map { String(describing: $0) } ?? "no response"
            if let code = (error as? URLError)?.code, HTTPFetch.neverSent.contains(code) { throw .notSent(url: url, reason: reason) }
            throw .unreachable(url: url, reason: reason)
        }
        var names: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { names[name.lowercased()] = value }
        }
        return FetchResponse(status: response.statusCode, headers: names, body: [UInt8](data))
    }

    /// Failures that happen before a byte of the request is written.
    static let neverSent: Set<URLError.Code> = [
        .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .badURL, .unsupportedURL,
    ]

    /// A form POST (`application/x-www-form-urlencoded`), optionally with HTTP Basic client authentication.
    public func postForm(
        _ url: String, _ fields: [(String, String)], basic: (user: String, password: String)? = nil,
        bearer: String? = nil
    ) throws(FetchError) -> FetchResponse {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let basic { headers.append(("Authorization", "Basic " + HTTPFetch.basic(basic.user, basic.password))) }
        if let bearer { headers.append(("Authorization", "Bearer " + bearer)) }
        var body = Array(HTTPFetch.formEncode(fields).utf8)
        defer { Sodium.wipe(&body) }
        return try send("POST", url, headers: headers, body: body)
    }

    /// A JSON POST.
    public func postJSON(_ url: String, _ object: [String: String], bearer: String? = nil) throws(FetchError) -> FetchResponse {
        var headers = [("Content-Type", "application/json")]
        if let bearer { headers.append(("Authorization", "Bearer " + bearer)) }
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        var body = [UInt8](data)
        defer { Sodium.wipe(&body) }
        return try send("POST", url, headers: headers, body: body)
    }

    /// A GET with a bearer token.
    public func get(_ url: String, bearer: String? = nil) throws(FetchError) -> FetchResponse {
        try send("GET", url, headers: bearer.map { [("Authorization", "Bearer " + $0)] } ?? [])
    }

    /// `application/x-www-form-urlencoded` (RFC 6749 appendix B: client id and secret are encoded too before Basic).
    public static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { "\(formComponent($0.0))=\(formComponent($0.1))" }.joined(separator: "&")
    }

    public static func formComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xf, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func basic(_ user: String, _ password: String) -> String {
        Data("\(formComponent(user)):\(formComponent(password))".utf8).base64EncodedString()
    }

    // MARK: The shared session

    private static let delegate = SessionDelegate()
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }()
}

/// Collects each task's answer. Completion-handler tasks would follow redirects on Linux without
/// asking, so every task goes through this delegate, which refuses them.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    final class Pending: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var response: HTTPURLResponse?
        private var data = Data()
        private var error: (any Error)?

        func setResponse(_ value: HTTPURLResponse?) { lock.withLock { if response == nil { response = value } } }
        func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
        func finish(_ failure: (any Error)?, fallback: HTTPURLResponse?) {
            lock.withLock {
                error = failure
                if response == nil { response = fallback }
            }
            done.signal()
        }
        func result() -> (HTTPURLResponse?, Data, (any Error)?) { lock.withLock { (response, data, error) } }
    }

    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    func register(_ id: Int) -> Pending {
        let entry = Pending()
        lock.withLock { pending[id] = entry }
        return entry
    }

    func forget(_ id: Int) { _ = lock.withLock { pending.removeValue(forKey: id) } }

    private func entry(_ id: Int) -> Pending? { lock.withLock { pending[id] } }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        entry(dataTask.taskIdentifier)?.setResponse(response as? HTTPURLResponse)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        entry(dataTask.taskIdentifier)?.append(data)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        entry(task.taskIdentifier)?.setResponse(response)
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        entry(task.taskIdentifier)?.finish(error, fallback: task.response as? HTTPURLResponse)
    }
}
