// The strict edges of the infrastructure: a gap in the migration numbering, a migration changed
// after it was applied, a transaction inside a transaction, and a `_FILE` setting that cannot be read.
import Foundation
import Testing

@testable import HeraldDatabase
@testable import HeraldSupport

/// `0007_name.sql`.
func migrationFileName(_ version: Int, _ name: String) -> String {
    String(repeating: "0", count: max(0, 4 - String(version).count)) + "\(version)_\(name).sql"
}

@Suite struct MigrationNumberingTests {
    func migration(_ version: Int, _ name: String = "m") throws -> Migration {
        try Migration(fileName: migrationFileName(version, name), contents: "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
    }

    @Test func aGapInTheNumberingIsRefused() throws {
        let error = #expect(throws: MigrationError.self) { try Migration.ordered([try migration(1), try migration(2), try migration(4, "later")]) }
        #expect(error?.description.contains("migration 3 is missing") == true, "\(String(describing: error))")
    }

    @Test func aDuplicateVersionIsRefused() throws {
        #expect(throws: MigrationError.self) { try Migration.ordered([try migration(1, "a"), try migration(1, "b")]) }
    }

    @Test func contiguousVersionsLoadInOrder() throws {
        #expect(try Migration.ordered([try migration(3), try migration(1), try migration(2)]).map(\.version) == [1, 2, 3])
    }

    @Test func theRepositorysMigrationsHaveNoGap() throws {
        let directory = #filePath.components(separatedBy: "/Tests/")[0] + "/migrations"
        let versions = try Migration.load(directory: directory).map(\.version)
        #expect(versions == Array(1...versions.count))
    }
}

@Suite struct EnvironmentFileTests {
    @Test func anUnreadableFileSettingStopsInsteadOfFallingBack() throws {
        let name = "HERALD_TEST_SECRET_\(UUID().uuidString.prefix(8))"
        setenv(name + "_FILE", "/nonexistent/herald-secret", 1)
        defer { unsetenv(name + "_FILE") }
        let error = #expect(throws: ConfigError.self) { try Environment().string(name, default: "fallback") }
        #expect(error?.description.contains("\(name)_FILE=/nonexistent/herald-secret cannot be read") == true)
    }

    @Test func aReadableFileSettingGivesItsFirstLineWithoutTheNewline() throws {
        let name = "HERALD_TEST_SECRET_\(UUID().uuidString.prefix(8))"
        let path = NSTemporaryDirectory() + "/\(name)"
        try "s3cret\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        setenv(name + "_FILE", path, 1)
        defer { unsetenv(name + "_FILE") }
        #expect(try Environment().string(name, default: "fallback") == "s3cret")
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct StrictDatabaseTests {
    @Test func aTransactionInsideATransactionThrowsAndTheOuterOneRollsBack() throws {
        let db = try TestEnvironment.connectApp()
        let error = #expect(throws: DatabaseError.self) {
            try db.transaction { db in
                try db.query("CREATE TEMP TABLE nested_probe (x int)")
                try db.transaction { _ in }
            }
        }
        #expect(error?.sqlState == "25001")
        #expect(error?.isConnectionFailure == false)
        // The outer transaction was rolled back and the connection is usable.
        #expect(try db.queryRow("SELECT to_regclass('pg_temp.nested_probe') IS NULL")?.bool(0) == true)
        #expect(try db.transaction { db in try db.queryRow("SELECT 41 + 1")!.int(0) } == 42)
    }

    @Test func aProgramRefusesAMigrationChangedAfterItWasApplied() throws {
        let directory = TestEnvironment.migrationsDirectory
        var migrations = try Migration.load(directory: directory)
        let db = try TestEnvironment.connectApp()
        try Migrator.requireCurrent(connection: db, migrations: migrations)
        let last = migrations.removeLast()
        let edited = try Migration(
            fileName: migrationFileName(last.version, last.name),
            contents: "-- migrate:up\n\(last.up)\n-- an edit\n-- migrate:down\n\(last.down)")
        let error = #expect(throws: MigrationError.self) { try Migrator.requireCurrent(connection: db, migrations: migrations + [edited]) }
        #expect(error?.description.contains("differs from the one applied") == true, "\(String(describing: error))")
    }
}
