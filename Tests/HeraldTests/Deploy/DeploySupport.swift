// What the deployment tests share: running a command and reading everything it printed, a staged
// installation (deploy/install.sh --root), and the production nginx site rendered by
// deploy/render-nginx.sh and started in front of the test stack's programs, with a client for its TLS port.
import Foundation
import Glibc
import Testing

enum Deploy {
    static var repository: String { repositoryRoot }

    /// Runs a program found on PATH; returns its exit status and its standard output and error, interleaved.
    static func command(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Like `command`, but a failure (or a missing program) fails the test with what it printed.
    @discardableResult
    static func succeed(_ name: String, _ arguments: [String]) throws -> String {
        let (status, output) = try command(name, arguments)
        guard status == 0 else { throw TestFailure("\(name) \(arguments.joined(separator: " ")) exited \(status):\n\(output)") }
        return output
    }

    /// A new directory under the test stack's temporary directory, readable by nginx's workers.
    static func directory(_ tag: String) throws -> String {
        let path = TestEnvironment.temporaryDirectory + "/\(tag)-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return path
    }

    /// True when something accepts TCP connections on 127.0.0.1:port.
    static func listening(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// deploy/install.sh into a staging tree, from the programs of the build under test.
    static func stage() throws -> String {
        let root = try directory("deploy-root")
        let bin = URL(fileURLWithPath: TestEnvironment.binary("heraldctl")).deletingLastPathComponent().path
        try succeed("bash", [repository + "/deploy/install.sh", "--root", root, "--bin", bin])
        return root
    }

    /// `Name=value` lines of a unit file, in order (comments and sections left out).
    static func directives(_ unitText: String) -> [(name: String, value: String)] {
        unitText.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let eq = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<eq]), String(line[line.index(after: eq)...]))
        }
    }

    /// The nginx location regex the manifest's `paths` entry becomes (scripts/lib.sh: nginx_routes).
    static func locationRegex(_ path: String) -> String {
        path.replacingOccurrences(of: ".", with: "\\.").replacingOccurrences(of: "*", with: "[^/]+")
    }
}

/// The production site (deploy/render-nginx.sh) in front of the test stack's programs: Debian's own
/// /etc/nginx/nginx.conf, with only its paths changed, including the rendered site as sites-enabled would.
final class ProductionSite {
    static let serverName = "herald.test"
    let directory: String
    let httpsPort: UInt16
    let httpPort: UInt16
    let metricsPort: UInt16
    var siteFile: String { directory + "/site/herald-site.conf" }
    var mainFile: String { directory + "/nginx.conf" }

    /// Renders the site (a throwaway self-signed certificate; 127.0.0.1 a trusted proxy) and its nginx.conf.
    init() throws {
        directory = try Deploy.directory("deploy-site")
        httpsPort = try TestEnvironment.freePort()
        httpPort = try TestEnvironment.freePort()
        metricsPort = try TestEnvironment.freePort()
        try Deploy.succeed(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(Self.serverName)",
                "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem",
            ])
        try Deploy.succeed(
            "bash",
            [
                Deploy.repository + "/deploy/render-nginx.sh", "--server-name", Self.serverName,
                "--certificate", directory + "/cert.pem", "--certificate-key", directory + "/key.pem",
                "--trusted-proxy", "127.0.0.1", "--out", directory + "/site",
                "--run-dir", TestEnvironment.variables["HERALD_SOCKET_DIR"] ?? "", "--public-dir", Deploy.repository + "/public",
                "--https-listen", "127.0.0.1:\(httpsPort)", "--http-listen", "127.0.0.1:\(httpPort)",
                "--metrics-listen", "127.0.0.1:\(metricsPort)", "--acme-root", directory, "--access-log", directory + "/access.log",
            ])
        try mainConfiguration().write(toFile: mainFile, atomically: true, encoding: .utf8)
    }

    /// Debian's nginx.conf with the pid, logs and temporary files here, no conf.d, and the site in
    /// place of sites-enabled. As root, workers run as the test stack's nginx user (its socket
    /// directory's group); otherwise as whoever runs the test.
    func mainConfiguration() throws -> String {
        let debian = try String(contentsOfFile: "/etc/nginx/nginx.conf", encoding: .utf8)
        var lines: [String] = []
        var included = false
        for line in debian.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let words = line.trimmingCharacters(in: .whitespaces)
            if words.hasPrefix("user ") {
                if getuid() == 0 { lines.append("user \(TestEnvironment.variables["HERALD_NGINX_USER"] ?? "www-data");") }
            } else if words.hasPrefix("pid ") {
                lines.append("pid \(directory)/nginx.pid;")
            } else if words.hasPrefix("error_log ") {
                lines.append("error_log \(directory)/error.log;")
            } else if words.hasPrefix("access_log ") {
                lines.append("access_log \(directory)/access-other.log;")
            } else if words.hasPrefix("include /etc/nginx/conf.d/") {
                continue
            } else if words.hasPrefix("include /etc/nginx/sites-enabled/") {
                lines.append("include \(siteFile);")
                included = true
            } else {
                lines.append(line)
                if words == "http {" {
                    for kind in ["client_body", "fastcgi", "proxy", "uwsgi", "scgi"] { lines.append("\(kind)_temp_path \(directory)/tmp/\(kind);") }
                }
            }
        }
        guard included else { throw TestFailure("/etc/nginx/nginx.conf has no `include /etc/nginx/sites-enabled/*;` line") }
        return lines.joined(separator: "\n")
    }

    /// `nginx -t`: its status and what it printed.
    func check() throws -> (status: Int32, output: String) {
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        return try Deploy.command("nginx", ["-t", "-c", mainFile])
    }

    private var nginx: Process?

    /// Starts nginx in the foreground, as a child of the test, and waits until it listens. (Not as a
    /// daemon: Foundation learns that a process ended when every holder of a descriptor it passed
    /// on has closed it, and a daemon keeps it open, so the start would never be seen to end.)
    func start() throws {
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        let log = directory + "/start.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nginx", "-c", mainFile, "-g", "daemon off;"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        nginx = process
        for _ in 0..<200 {
            if Deploy.listening(httpsPort) && Deploy.listening(httpPort) && Deploy.listening(metricsPort) { return }
            guard process.isRunning else { break }
            usleep(25_000)
        }
        stop()
        throw TestFailure("nginx did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// A graceful stop (SIGQUIT), a fast one after 5 s; returns once nginx has exited.
    func stop() {
        guard let process = nginx else { return }
        nginx = nil
        kill(process.processIdentifier, SIGQUIT)
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// One request over TLS to the HTTPS server (openssl s_client; HTTP/1.0, so nginx closes after answering).
    func https(_ method: String, _ path: String, headers: [(String, String)] = [], body: String = "") throws -> HTTPResponse {
        var request = "\(method) \(path) HTTP/1.0\r\nHost: \(Self.serverName)\r\nUser-Agent: herald-tests\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if method == "POST" || !body.isEmpty { request += "Content-Length: \(body.utf8.count)\r\n" }
        request += "\r\n" + body
        // From a file, not a pipe: nginx may answer (413) and close before reading a large body, and a
        // write to a pipe whose reader has gone would kill the test process with SIGPIPE.
        let requestFile = directory + "/request-\(UUID().uuidString)"
        try Data(request.utf8).write(to: URL(fileURLWithPath: requestFile))
        defer { unlink(requestFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_client", "-connect", "127.0.0.1:\(httpsPort)", "-servername", Self.serverName, "-quiet"]
        let output = Pipe()
        process.standardInput = FileHandle(forReadingAtPath: requestFile)
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try HTTPClient.parse(Array(data))
    }
}
