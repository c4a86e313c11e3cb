// A minimal FastCGI client (the wire format nginx speaks to the programs), for tests that talk
// to a program's socket directly, e.g. to hold a request half-sent while the program stops.
import Foundation
import Glibc

@testable import HeraldCrypto

final class FastCGIClient {
    let fd: Int32

    init(socketPath: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestFailure("cannot connect to \(socketPath)")
        }
    }

    deinit { close(fd) }

    enum RecordType: UInt8 {
        case beginRequest = 1
        case endRequest = 3
        case params = 4
        case stdin = 5
        case stdout = 6
        case stderr = 7
    }

    func record(_ type: RecordType, _ content: [UInt8]) -> [UInt8] {
        [1, type.rawValue, 0, 1, UInt8(content.count >> 8), UInt8(content.count & 0xff), 0, 0] + content
    }

    static func lengthBytes(_ n: Int) -> [UInt8] {
        n < 128 ? [UInt8(n)] : [UInt8((n >> 24) | 0x80), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)]
    }

    /// Sends BEGIN_REQUEST and all parameters; the body follows with `sendBody`. With `keepConnection`
    /// (FCGI_KEEP_CONN, as nginx's `fastcgi_keep_conn on` sends it) the program leaves the connection
    /// open for the next request.
    func begin(params: [String: String], keepConnection: Bool = false) throws {
        var encoded: [UInt8] = []
        for (name, value) in params {
            encoded += FastCGIClient.lengthBytes(name.utf8.count) + FastCGIClient.lengthBytes(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
        }
        try write(record(.beginRequest, [0, 1, keepConnection ? 1 : 0, 0, 0, 0, 0, 0]) + record(.params, encoded) + record(.params, []))
    }

    /// Begins a POST /login (with a CSRF cookie and field that match) for an address with no account;
    /// returns the form body, which the caller sends (whole, or in parts).
    func beginLogin(email: String, remoteAddress: String) throws -> [UInt8] {
        let csrf = Sodium.randomToken()
        let encoded = email.replacingOccurrences(of: "@", with: "%40")
        let body = Array("csrf=\(csrf)&email=\(encoded)&password=whatever-it-is".utf8)
        try begin(params: [
            "REQUEST_METHOD": "POST", "DOCUMENT_URI": "/login", "QUERY_STRING": "", "REMOTE_ADDR": remoteAddress,
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": String(body.count),
            "HTTP_COOKIE": "__Host-herald_csrf=\(csrf)",
        ])
        return body
    }

    /// Sends a whole urlencoded form POST (with a CSRF cookie and field that match).
    func postForm(_ path: String, _ fields: [(String, String)], remoteAddress: String = "192.0.2.1") throws {
        let csrf = Sodium.randomToken()
        let body = Array(([("csrf", csrf)] + fields).map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&").utf8)
        try begin(params: [
            "REQUEST_METHOD": "POST", "DOCUMENT_URI": path, "QUERY_STRING": "", "REMOTE_ADDR": remoteAddress,
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": String(body.count),
            "HTTP_COOKIE": "__Host-herald_csrf=\(csrf)",
        ])
        try sendBody(body, last: true)
    }

    func sendBody(_ bytes: [UInt8], last: Bool) throws {
        var out = bytes.isEmpty ? [] : record(.stdin, bytes)
        if last { out += record(.stdin, []) }
        try write(out)
    }

    /// Reads STDOUT until END_REQUEST; returns the CGI-style response text.
    func readResponse() throws -> String {
        var output: [UInt8] = []
        while true {
            let header = try read(8)
            let type = header[1]
            let length = Int(header[4]) << 8 | Int(header[5])
            let padding = Int(header[6])
            let content = try read(length + padding)
            if type == RecordType.stdout.rawValue { output += content.prefix(length) }
            if type == RecordType.endRequest.rawValue { break }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("FastCGI write failed") }
            sent += n
        }
    }

    private func read(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            guard n > 0 else { throw TestFailure("FastCGI connection closed after \(got) of \(count) bytes") }
            got += n
        }
        return out
    }
}
