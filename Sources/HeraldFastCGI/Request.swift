// An HTTP request as nginx hands it over FastCGI: parameters, query, cookies and body.
import HeraldSupport

/// A request that cannot be understood: malformed encoding, invalid UTF-8, a body too large.
public struct HTTPError: Error, Sendable {
    public let status: Int
    public let title: String
    public let message: String

    public init(_ status: Int, _ title: String, _ message: String) {
        self.status = status
        self.title = title
        self.message = message
    }

    public static func badRequest(_ message: String) -> HTTPError { HTTPError(400, "Bad request", message) }
    public static let notFound = HTTPError(404, "Page not found", "There is nothing at this address. Check the link, or go back to the start page.")
    public static let forbidden = HTTPError(403, "Not allowed", "You do not have permission to do that.")
    public static let csrf = HTTPError(
        403, "Form expired", "This form was opened in another session or has expired. Go back, reload the page and try again.")
    public static let methodNotAllowed = HTTPError(405, "Method not allowed", "This address does not accept that kind of request.")
    public static let tooLarge = HTTPError(413, "Request too large", "What you sent is larger than Herald accepts.")
}

public struct Request: Sendable {
    /// The FastCGI parameters (CGI environment) nginx sent.
    public let params: [String: String]
    public let method: String
    /// The normalised, decoded path (nginx's `$document_uri`).
    public let path: String
    public let query: FormData
    public let cookies: [String: String]
    public let body: [UInt8]

    public init(params: [String: String], body: [UInt8]) throws {
        self.params = params
        method = params["REQUEST_METHOD"] ?? "GET"
        path = params["DOCUMENT_URI"] ?? params["SCRIPT_NAME"] ?? "/"
        query = try FormData(urlEncoded: Array((params["QUERY_STRING"] ?? "").utf8))
        cookies = Request.parseCookies(params["HTTP_COOKIE"] ?? "")
        self.body = body
    }

    /// Adds one of libfcgi's environment entries, `NAME=value` split at the first `=` (an entry
    /// without one is skipped). False when the name or the value is not UTF-8.
    public static func addParameter(_ entry: UnsafeRawBufferPointer, to params: inout [String: String]) -> Bool {
        guard let eq = entry.firstIndex(of: UInt8(ascii: "=")) else { return true }
        guard let name = String(validating: entry[..<eq], as: UTF8.self), let value = String(validating: entry[(eq + 1)...], as: UTF8.self)
        else { return false }
        params[name] = value
        return true
    }

    /// A request header by its HTTP name, e.g. `header("User-Agent")`.
    public func header(_ name: String) -> String? {
        params["HTTP_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 })]
    }

    public var remoteAddress: String { params["REMOTE_ADDR"] ?? "" }
    public var requestID: String { params["REQUEST_ID"] ?? "-" }
    public var contentType: String { params["CONTENT_TYPE"] ?? "" }

    /// The fields of a form POST (urlencoded, or multipart without its files).
    public func form() throws -> FormData {
        let type = contentType.lowercased()
        if body.isEmpty { return FormData() }
        if type.hasPrefix("multipart/form-data") { return try MultipartForm(body: body, contentType: contentType).fields }
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw HTTPError(
                415, "Unsupported form encoding", "Herald accepts forms sent as application/x-www-form-urlencoded or multipart/form-data.")
        }
        return try FormData(urlEncoded: body)
    }

    /// `name=value; name2=value2`. Malformed pairs are skipped; the first of duplicate names wins
    /// (browsers send the most specific cookie first).
    /// A multipart form with its files.
    public func multipart() throws -> MultipartForm {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw HTTPError(415, "Upload expected", "Send this form with its file (multipart/form-data).")
        }
        return try MultipartForm(body: body, contentType: contentType)
    }

    public static func parseCookies(_ header: String) -> [String: String] {
        var cookies: [String: String] = [:]
        for part in header.split(separator: ";") {
            guard let eq = part.firstIndex(of: "=") else { continue }
            let name = part[..<eq].trimmingSpaces()
            var value = part[part.index(after: eq)...].trimmingSpaces()
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            if !name.isEmpty, cookies[name] == nil { cookies[name] = value }
        }
        return cookies
    }
}

/// Decoded `application/x-www-form-urlencoded` pairs, in order. Invalid percent-escapes, invalid
/// UTF-8 and control characters (other than tab and newlines) are rejected with 400.
public struct FormData: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init() {}

    public init(urlEncoded bytes: [UInt8]) throws {
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                let part = bytes[start..<end]
                if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                    pairs.append((try FormData.decode(part[part.startIndex..<eq]), try FormData.decode(part[(eq + 1)...])))
                } else {
                    pairs.append((try FormData.decode(part), ""))
                }
            }
            start = end + 1
        }
    }

    /// The first value for `name`.
    public subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value for `name`, in order.
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    mutating func append(_ name: String, _ value: String) { pairs.append((name, value)) }

    static func decode(_ input: ArraySlice<UInt8>) throws -> String {
        var out = [UInt8]()
        out.reserveCapacity(input.count)
        var i = input.startIndex
        while i < input.endIndex {
            let byte = input[i]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard i + 2 < input.endIndex,
                    let hi = Hex.value(input[i + 1]), let lo = Hex.value(input[i + 2])
                else {
                    throw HTTPError.badRequest("The request contains a malformed percent-escape.")
                }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(byte)
            }
            i += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw HTTPError.badRequest("The request is not valid UTF-8 text.")
        }
        return try checked(text)
    }

    /// `text`, refused with 400 when it holds a control character other than tab and line breaks:
    /// what every name and value of a form promises, however it was sent.
    static func checked(_ text: String) throws -> String {
        for scalar in text.unicodeScalars where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" || scalar.value == 0x7f {
            throw HTTPError.badRequest("The request contains control characters.")
        }
        return text
    }

}
