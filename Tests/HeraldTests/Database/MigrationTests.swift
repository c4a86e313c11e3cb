// The migration runner on fresh databases: up, down to zero and up again leave the same schema;
// an edited applied file is refused; two runners at once apply each migration exactly once.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct MigrationTests {
    /// A new empty database owned by herald_owner; dropped by the caller.
    func freshDatabase() throws -> String {
        let name = "herald_mig_\(UUID().uuidString.prefix(8).lowercased())"
        try TestEnvironment.connectSuperuser().query("CREATE DATABASE \(name) OWNER herald_owner")
        return name
    }

    func drop(_ name: String) {
        _ = try? TestEnvironment.connectSuperuser().query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    func schemaDump(_ database: String) throws -> String {
        let dump = try TestEnvironment.run(
            TestEnvironment.pgBinDir + "/pg_dump",
            [
                "--schema-only", "--no-owner", "--host", TestEnvironment.pgHost, "--port", TestEnvironment.pgPort,
                "--username", "postgres", database,
            ])
        // pg_dump prints its own version; keep only the schema.
        // The random `\restrict` key of newer pg_dump differs on every run.
        return dump.split(separator: "\n").filter { !$0.hasPrefix("-- Dumped") && !$0.hasPrefix("\\restrict") && !$0.hasPrefix("\\unrestrict") }
            .joined(separator: "\n")
    }

    @Test func upDownToZeroAndUpAgainLeavesTheSameSchema() throws {
        let name = try freshDatabase()
        defer { drop(name) }
        let migrations = try Migration.load(directory: TestEnvironment.migrationsDirectory)
        let db = try Connection(TestEnvironment.url(database: name, user: "herald_owner"))
        let migrator = Migrator(connection: db, migrations: migrations)
        #expect(try migrator.up() == migrations.map(\.version))
        let first = try schemaDump(name)
        #expect(first.contains("CREATE TABLE public.users"))
        #expect(try migrator.down(steps: migrations.count).count == migrations.count)
        let empty = try schemaDump(name)
        #expect(!empty.contains("CREATE TABLE public.users"))
        #expect(try db.queryRow("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")?.int(0) == 0)
        #expect(try migrator.up() == migrations.map(\.version))
        let second = try schemaDump(name)
        if first != second {
            // Show only what differs: a whole-schema message is unreadable.
            let a = TestEnvironment.temporaryDirectory + "/schema-first.sql"
            let b = TestEnvironment.temporaryDirectory + "/schema-second.sql"
            try first.write(toFile: a, atomically: true, encoding: .utf8)
            try second.write(toFile: b, atomically: true, encoding: .utf8)
            let diff = (try? TestEnvironment.run("/usr/bin/diff", [a, b], allowFailure: true)) ?? "(diff failed)"
            Issue.record("schema after down-to-zero and up differs:\n\(diff)")
        }
        #expect(try migrator.up().isEmpty, "a second run applies nothing")
    }

    @Test func stepsDownOneAtATime() throws {
        let name = try freshDatabase()
        defer { drop(name) }
        let migrations = try Migration.load(directory: TestEnvironment.migrationsDirectory)
        let migrator = Migrator(connection: try Connection(TestEnvironment.url(database: name, user: "herald_owner")), migrations: migrations)
        try migrator.up()
        #expect(try migrator.down(steps: 1) == [migrations.last!.version])
        let status = try migrator.status()
        #expect(status.last?.appliedAt == nil)
        #expect(status.dropLast().allSatisfy { $0.appliedAt != nil })
        #expect(try migrator.up() == [migrations.last!.version])
    }

    @Test func anEditedAppliedMigrationIsRefused() throws {
        let name = try freshDatabase()
        defer { drop(name) }
        let db = try Connection(TestEnvironment.url(database: name, user: "herald_owner"))
        let original = try Migration(
            fileName: "0001_first.sql", contents: "-- migrate:up\nCREATE TABLE t1 (id int);\n-- migrate:down\nDROP TABLE t1;\n")
        try Migrator(connection: db, migrations: [original]).up()
        let edited = try Migration(
            fileName: "0001_first.sql", contents: "-- migrate:up\nCREATE TABLE t1 (id bigint);\n-- migrate:down\nDROP TABLE t1;\n")
        let second = try Migration(
            fileName: "0002_second.sql", contents: "-- migrate:up\nCREATE TABLE t2 (id int);\n-- migrate:down\nDROP TABLE t2;\n")
        do {
            try Migrator(connection: db, migrations: [edited, second]).up()
            Issue.record("an edited migration was accepted")
        } catch let error as MigrationError {
            #expect(error.description.contains("changed after it was applied"))
        }
        #expect(try db.queryRow("SELECT to_regclass('t2') IS NULL")?.bool(0) == true, "nothing after the check ran")
        #expect(try Migrator(connection: db, migrations: [edited, second]).status().first?.checksumMatches == false)
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let name = try freshDatabase()
        defer { drop(name) }
        let db = try Connection(TestEnvironment.url(database: name, user: "herald_owner"))
        let broken = try Migration(
            fileName: "0001_broken.sql",
            contents: "-- migrate:up\nCREATE TABLE half (id int);\nSELECT no_such_function();\n-- migrate:down\nDROP TABLE half;\n")
        #expect(throws: DatabaseError.self) { try Migrator(connection: db, migrations: [broken]).up() }
        #expect(try db.queryRow("SELECT to_regclass('half') IS NULL")?.bool(0) == true)
        #expect(try db.queryRow("SELECT count(*) FROM schema_migrations")?.int(0) == 0)
    }

    @Test func twoRunnersAtOnceApplyEachMigrationOnce() async throws {
        let name = try freshDatabase()
        defer { drop(name) }
        let migrations = try Migration.load(directory: TestEnvironment.migrationsDirectory)
        let url = TestEnvironment.url(database: name, user: "herald_owner")
        // Create the bookkeeping table first so both runners race on the lock, not on CREATE TABLE.
        try Migrator(connection: try Connection(url), migrations: []).up()
        async let a = Task.detached { try Migrator(connection: try Connection(url), migrations: migrations).up() }.value
        async let b = Task.detached { try Migrator(connection: try Connection(url), migrations: migrations).up() }.value
        let (appliedA, appliedB) = try await (a, b)
        #expect((appliedA + appliedB).sorted() == migrations.map(\.version))
        let db = try Connection(url)
        #expect(try db.queryRow("SELECT count(*) FROM schema_migrations")?.int(0) == migrations.count)
    }

    @Test func programsRefuseToStartWhenTheSchemaIsBehind() throws {
        let name = try freshDatabase()
        defer { drop(name) }
        let migrations = try Migration.load(directory: TestEnvironment.migrationsDirectory)
        let db = try Connection(TestEnvironment.url(database: name, user: "herald_owner"))
        do {
            try Migrator.requireCurrent(connection: db, migrations: migrations)
            Issue.record("an empty database passed the schema check")
        } catch let error as MigrationError {
            #expect(error.description.contains("heraldctl migrate up"))
        }
        try Migrator(connection: db, migrations: migrations).up()
        try Migrator.requireCurrent(connection: db, migrations: migrations)
        try Migrator(connection: db, migrations: migrations).down(steps: 1)
        #expect(throws: MigrationError.self) { try Migrator.requireCurrent(connection: db, migrations: migrations) }
    }

    @Test func heraldAuthExitsWithAMessageWhenTheSchemaIsBehind() throws {
        let name = try freshDatabase()
        defer { drop(name) }
        let binary = TestEnvironment.binary("herald-auth")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var environment = ProcessInfo.processInfo.environment
        environment["HERALD_DATABASE_URL"] = TestEnvironment.url(database: name, user: "herald_app")
        environment["HERALD_SOCKET_DIR"] = TestEnvironment.temporaryDirectory
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(output.contains("heraldctl migrate up"))
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct SchemaDocTests {
    @Test func docsSchemaMatchesTheLiveSchema() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let generated = TestEnvironment.temporaryDirectory + "/schema.md"
        _ = try TestEnvironment.run(
            "/bin/bash", [root + "/scripts/gen-schema-doc.sh", TestEnvironment.url(database: "herald", user: "postgres")],
            environment: ["SCHEMA_DOC_OUT": generated])
        let fresh = try String(contentsOfFile: generated, encoding: .utf8)
        let committed = try String(contentsOfFile: root + "/docs/schema.md", encoding: .utf8)
        #expect(fresh.contains("erDiagram"))
        #expect(fresh == committed, "docs/schema.md is out of date: run `make run`, then `make schema-doc`")
    }
}
