// Where the test stack is: `make test` (scripts/test.sh) starts PostgreSQL, the programs and
// nginx and exports these variables. Without them the database and end-to-end tests are skipped.
import Foundation

@testable import HeraldDatabase

enum TestEnvironment {
    static let variables = ProcessInfo.processInfo.environment

    /// True when run through `make test`.
    static let isAvailable = variables["HERALD_TEST_BASE_URL"] != nil

    static var baseURL: String { variables["HERALD_TEST_BASE_URL"]! }
    static var appURL: String { variables["HERALD_TEST_APP_URL"]! }
    static var ownerURL: String { variables["HERALD_TEST_OWNER_URL"]! }
    static var superuserURL: String { variables["HERALD_TEST_SUPERUSER_URL"]! }
    static var pgHost: String { variables["HERALD_TEST_PG_HOST"]! }
    static var pgPort: String { variables["HERALD_TEST_PG_PORT"]! }
    static var pgBinDir: String { variables["HERALD_TEST_PG_BINDIR"]! }
    static var migrationsDirectory: String { variables["HERALD_MIGRATIONS_DIR"]! }
    static var temporaryDirectory: String { variables["HERALD_TEST_TMP"]! }

    /// A built program (`heraldctl`, `herald-auth`, …) of the build under test.
    static func binary(_ name: String) -> String {
        (variables["HERALD_TEST_BIN"] ?? #filePath.components(separatedBy: "/Tests/")[0] + "/.build/debug") + "/" + name
    }

    /// The port nginx listens on.
    static var httpPort: UInt16 { UInt16(baseURL.split(separator: ":").last!)! }

    static func connectApp() throws -> Connection { try Connection(appURL) }
    static func connectOwner() throws -> Connection { try Connection(ownerURL) }
    static func connectSuperuser() throws -> Connection { try Connection(superuserURL) }

    /// A connection string for another database of the test cluster.
    static func url(database: String, user: String) -> String {
        "host=\(pgHost) port=\(pgPort) dbname=\(database) user=\(user)"
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now (the system's choice).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("cannot bind a free port") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A unique email address for one test.
    static func uniqueEmail(_ tag: String = "user") -> String {
        "\(tag)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    }

    static let defaultPassword = "correct horse battery staple"

    /// Runs a program and returns its standard output; throws on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], allowFailure: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = variables.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 || allowFailure else {
            throw TestFailure(
                "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
