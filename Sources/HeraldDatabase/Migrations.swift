// Versioned SQL migrations: numbered files with an up and a down part, applied one transaction
// each, recorded with a checksum, serialised by an advisory lock.
import HeraldCrypto
import HeraldSupport

/// One file `migrations/NNNN_name.sql`, split at the `-- migrate:up` / `-- migrate:down` lines.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let up: String
    public let down: String
    /// SHA-256 of the whole file, hex.
    public let checksum: String

    public init(fileName: String, contents: String) throws {
        guard fileName.hasSuffix(".sql"), let underscore = fileName.firstIndex(of: "_"),
            let version = Int(fileName[..<underscore]), version > 0
        else {
            throw MigrationError("\(fileName): migration files are named NNNN_name.sql")
        }
        self.version = version
        name = String(fileName[fileName.index(after: underscore)...].dropLast(4))
        checksum = Sodium.hex(Sodium.sha256(contents))
        var upLines: [Substring] = []
        var downLines: [Substring] = []
        var section = 0
        for line in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            let marker = line.trimmingSpaces()
            if marker == "-- migrate:up" {
                section = 1
                continue
            }
            if marker == "-- migrate:down" {
                section = 2
                continue
            }
            if section == 1 { upLines.append(line) } else if section == 2 { downLines.append(line) }
        }
        guard section == 2 || !downLines.isEmpty || contents.contains("-- migrate:down") else {
            throw MigrationError("\(fileName): needs a `-- migrate:up` and a `-- migrate:down` section")
        }
        up = upLines.joined(separator: "\n")
        down = downLines.joined(separator: "\n")
        guard !up.trimmed.isEmpty else { throw MigrationError("\(fileName): the up section is empty") }
    }

    /// Every migration in a directory, ordered by version. Versions run 1, 2, 3, … : a duplicate or a
    /// gap (usually a file lost in a merge) is an error.
    public static func load(directory: String) throws -> [Migration] {
        let names = try FileIO.listDirectory(directory).filter { $0.hasSuffix(".sql") }
        let migrations = try names.map { try Migration(fileName: $0, contents: FileIO.readText("\(directory)/\($0)")) }
        return try ordered(migrations)
    }

    /// `migrations` sorted by version; throws on a duplicate version or a gap in the numbering.
    public static func ordered(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw MigrationError("two migrations have version \(a.version): \(a.name) and \(b.name)")
        }
        for (expected, migration) in zip(1..., sorted) where migration.version != expected {
            throw MigrationError(
                "migration \(expected) is missing (the next file is \(migration.version)_\(migration.name).sql); versions must run 1, 2, 3, … without a gap"
            )
        }
        return sorted
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What `heraldctl migrate status` shows for one version.
public struct MigrationStatus: Sendable {
    public let version: Int
    public let name: String
    public let appliedAt: String?
    public let checksumMatches: Bool
}

/// Applies and reverts migrations on a connection of the owner role.
public struct Migrator {
    let connection: Connection
    let migrations: [Migration]
    /// Arbitrary constant naming Herald's migration lock.
    static let lockKey = 7_262_518_331

    public init(connection: Connection, migrations: [Migration]) {
        self.connection = connection
        self.migrations = migrations
    }

    /// Creates the bookkeeping table if needed.
    func prepare() throws {
        try connection.executeScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    func applied() throws -> [Int: (name: String, checksum: String, appliedAt: String)] {
        var result: [Int: (name: String, checksum: String, appliedAt: String)] = [:]
        for row in try connection.query("SELECT version, name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS') FROM schema_migrations").rows {
            result[try row.int(0)] = (try row.string(1), try row.string(2), try row.string(3))
        }
        return result
    }

    /// Runs `body` holding the advisory lock, so two runners never interleave.
    func locked<T>(_ body: () throws -> T) throws -> T {
        try connection.query("SELECT pg_advisory_lock($1)", [.int(Migrator.lockKey)])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.int(Migrator.lockKey)]) }
        return try body()
    }

    /// Refuses to go on when an applied file was edited afterwards or has disappeared.
    func verifyApplied(_ applied: [Int: (name: String, checksum: String, appliedAt: String)]) throws {
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let file = migrations.first(where: { $0.version == version }) else {
                throw MigrationError("migration \(version) (\(record.name)) is applied but its file is missing")
            }
            guard file.checksum == record.checksum else {
                throw MigrationError(
                    "migration \(version)_\(file.name).sql was changed after it was applied (checksum differs); never edit an applied migration, add a new one"
                )
            }
        }
    }

    /// Applies pending migrations up to `target` (all when nil). Returns the versions applied.
    @discardableResult
    public func up(to target: Int? = nil, progress: (Migration) -> Void = { _ in }) throws -> [Int] {
        try prepare()
        return try locked {
            let done = try applied()
            try verifyApplied(done)
            var appliedNow: [Int] = []
            for migration in migrations where done[migration.version] == nil && migration.version <= (target ?? Int.max) {
                progress(migration)
                try connection.transaction { db in
                    try db.executeScript(migration.up)
                    try db.query(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        [.int(migration.version), .text(migration.name), .text(migration.checksum)])
                }
                appliedNow.append(migration.version)
            }
            return appliedNow
        }
    }

    /// Reverts the newest `steps` applied migrations. Returns the versions reverted.
    @discardableResult
    public func down(steps: Int, progress: (Migration) -> Void = { _ in }) throws -> [Int] {
        try prepare()
        return try locked {
            let done = try applied()
            try verifyApplied(done)
            var reverted: [Int] = []
            for version in done.keys.sorted(by: >).prefix(steps) {
                let migration = migrations.first { $0.version == version }!
                progress(migration)
                try connection.transaction { db in
                    if !migration.down.trimmed.isEmpty { try db.executeScript(migration.down) }
                    try db.query("DELETE FROM schema_migrations WHERE version = $1", [.int(version)])
                }
                reverted.append(version)
            }
            return reverted
        }
    }

    public func status() throws -> [MigrationStatus] {
        try prepare()
        let done = try applied()
        var rows = migrations.map { m in
            MigrationStatus(
                version: m.version, name: m.name, appliedAt: done[m.version]?.appliedAt,
                checksumMatches: done[m.version].map { $0.checksum == m.checksum } ?? true)
        }
        for (version, record) in done where !migrations.contains(where: { $0.version == version }) {
            rows.append(MigrationStatus(version: version, name: record.name + " (file missing)", appliedAt: record.appliedAt, checksumMatches: false))
        }
        return rows.sorted { $0.version < $1.version }
    }

    /// For programs at start: throws unless every migration file is applied and none was changed
    /// after it was applied (the checksums recorded then match the files now).
    public static func requireCurrent(connection: Connection, migrations: [Migration]) throws {
        let latest = migrations.last?.version ?? 0
        var applied: [Int: (name: String, checksum: String)] = [:]
        do {
            for row in try connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version").rows {
                applied[try row.int(0)] = (try row.string(1), try row.string(2))
            }
        } catch let error as DatabaseError where error.sqlState == "42P01" {
            applied = [:]
        }
        if let newest = applied.keys.max(), newest > latest {
            throw MigrationError("the database schema (version \(newest)) is newer than this program knows (\(latest)); deploy the matching build")
        }
        let pending = migrations.filter { applied[$0.version] == nil }
        guard pending.isEmpty else {
            throw MigrationError(
                "the database schema is behind: \(pending.count) migration(s) pending (newest \(latest)); run `heraldctl migrate up` (or `make migrate`) first"
            )
        }
        for migration in migrations where applied[migration.version]?.checksum != migration.checksum {
            throw MigrationError(
                "migration \(migration.version)_\(migration.name).sql differs from the one applied to the database (checksum); deploy the build that matches the schema, and never edit an applied migration"
            )
        }
    }
}
