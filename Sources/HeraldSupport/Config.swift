// Configuration from the environment, read once at start into one value and validated.
import CSodium
import Glibc

/// A configuration value that is missing or malformed; the message names the variable.
public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Every setting Herald reads. README.md lists each variable; keep the two in step.
public struct Config: Sendable {
    /// libpq connection string for the application role (`herald_app`).
    public var databaseURL: String
    /// libpq connection string for the owner role, used by migrations and admin commands.
    public var ownerDatabaseURL: String
    /// libpq connection string of a streaming replica (same role), for pages that only read; nil reads from the primary.
    public var readDatabaseURL: String?
    /// Directory holding the FastCGI sockets, one `<program>.sock` each.
    public var socketDirectory: String
    /// Directory where each program writes its metrics file (`<program>.prom`) for `GET /metrics`.
    public var metricsDirectory: String
    /// Worker threads per FastCGI program.
    public var threads: Int
    /// PostgreSQL connections a program holds at most (its requests borrow them), and how long a
    /// request waits for one before the 503 "busy" page.
    public var databasePoolSize: Int
    public var databasePoolWaitSeconds: Int
    /// Largest request body a program reads; nginx refuses larger ones first.
    public var maxBodyBytes: Int
    /// Public base URL, used for links in emails.
    public var baseURL: String
    /// Directory of numbered SQL migrations.
    public var migrationsDirectory: String
    public var sessionIdleMinutes: Int
    public var sessionAbsoluteHours: Int
    /// Failed logins per account (email) within the window before login is refused.
    public var loginMaxFailuresPerAccount: Int
    /// Failed logins per client IP within the window before login is refused.
    public var loginMaxFailuresPerIP: Int
    public var loginWindowMinutes: Int
    /// Argon2id cost; never below libsodium's INTERACTIVE limits.
    public var argon2OpsLimit: Int
    public var argon2MemLimitBytes: Int
    /// Optional sendmail-compatible command that receives each message on standard input.
    public var sendmailCommand: String?
    /// The keyring file (`heraldctl keys init` creates it; mode 0600), read when a program first seals or opens.
    public var keyringFile: String

    public static func fromEnvironment() throws -> Config {
        let env = Environment()
        let interactiveOps = Int(crypto_pwhash_opslimit_interactive())
        let interactiveMem = Int(crypto_pwhash_memlimit_interactive())
        let socketDirectory = try env.string("HERALD_SOCKET_DIR", default: ".data/run")
        let config = Config(
            databaseURL: try env.string("HERALD_DATABASE_URL", default: "dbname=herald user=herald_app"),
            ownerDatabaseURL: try env.string("HERALD_OWNER_DATABASE_URL", default: "dbname=herald user=herald_owner"),
            readDatabaseURL: try env.optional("HERALD_READ_DATABASE_URL"),
            socketDirectory: socketDirectory,
            metricsDirectory: try env.string("HERALD_METRICS_DIR", default: socketDirectory + "/metrics"),
            threads: try env.int("HERALD_THREADS", default: 32, range: 1...1024),
            databasePoolSize: try env.int("HERALD_DB_POOL_SIZE", default: 2 * Int(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))), range: 1...1024),
            databasePoolWaitSeconds: try env.int("HERALD_DB_POOL_WAIT_SECONDS", default: 5, range: 1...300),
            maxBodyBytes: try env.int("HERALD_MAX_BODY_BYTES", default: 1 << 20, range: 1024...(64 << 20)),
            baseURL: try env.string("HERALD_BASE_URL", default: "http://127.0.0.1:8080"),
            migrationsDirectory: try env.string("HERALD_MIGRATIONS_DIR", default: "migrations"),
            sessionIdleMinutes: try env.int("HERALD_SESSION_IDLE_MINUTES", default: 24 * 60, range: 1...(365 * 24 * 60)),
            sessionAbsoluteHours: try env.int("HERALD_SESSION_ABSOLUTE_HOURS", default: 30 * 24, range: 1...(365 * 24)),
            loginMaxFailuresPerAccount: try env.int("HERALD_LOGIN_MAX_FAILURES", default: 10, range: 1...100),
            loginMaxFailuresPerIP: try env.int("HERALD_LOGIN_MAX_FAILURES_PER_IP", default: 100, range: 1...10_000_000),
            loginWindowMinutes: try env.int("HERALD_LOGIN_WINDOW_MINUTES", default: 15, range: 1...1440),
            argon2OpsLimit: try env.int("HERALD_ARGON2_OPSLIMIT", default: interactiveOps, range: interactiveOps...20),
            argon2MemLimitBytes: try env.int("HERALD_ARGON2_MEMLIMIT", default: interactiveMem, range: interactiveMem...(1 << 30)),
            sendmailCommand: try env.optional("HERALD_SENDMAIL"),
            keyringFile: try env.string("HERALD_KEYRING_FILE", default: ".data/keyring")
        )
        return config
    }

    /// The socket path of one program, e.g. `.data/run/auth.sock`.
    public func socketPath(for program: String) -> String { "\(socketDirectory)/\(program).sock" }
}

/// Reads environment variables; `NAME_FILE` supplies a secret from a file instead of `NAME`.
public struct Environment {
    public init() {}

    /// The value of `name`, or of the file `name_FILE` names (without its final newline), or nil.
    /// A `_FILE` that cannot be read stops the program: silently using the default instead would
    /// run it with a setting nobody chose.
    public func optional(_ name: String) throws -> String? {
        if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return value }
        guard let path = getenv(name + "_FILE").map({ String(cString: $0) }), !path.isEmpty else { return nil }
        var text: String
        do {
            text = try FileIO.readText(path)
        } catch {
            throw ConfigError(description: "\(name)_FILE=\(path) cannot be read: \(error)")
        }
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }

    public func string(_ name: String, default fallback: String) throws -> String { try optional(name) ?? fallback }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = try optional(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError(description: "\(name)=\(text) is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
