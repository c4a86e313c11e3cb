// The data model's rules, enforced by PostgreSQL itself: every case in Fixtures/constraints.sql
// violates one CHECK, UNIQUE, FOREIGN KEY or NOT NULL as herald_app and must fail with exactly
// that SQLSTATE and constraint; plus catalog-wide checks of row-level security and grants.
import Foundation
import Testing

@testable import HeraldDatabase

/// One block of Fixtures/constraints.sql.
struct ConstraintCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let sqlState: String
    /// Constraint name, or `table.column` for NOT NULL.
    let target: String
    let workspace: Int?
    let setup: [String]
    let violation: String

    var testDescription: String { rule }

    static func load() -> [ConstraintCase] {
        let path = #filePath.components(separatedBy: "/Database/")[0] + "/Fixtures/constraints.sql"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var cases: [ConstraintCase] = []
        for block in text.components(separatedBy: "\n-- case:").dropFirst() {
            let lines = block.components(separatedBy: "\n")
            let rule = lines[0].trimmingCharacters(in: .whitespaces)
            var expect = ""
            var workspace: Int? = nil
            var setup: [String] = []
            var violation: [String] = []
            var inViolation = false
            for line in lines.dropFirst() {
                if line.hasPrefix("-- expect:") {
                    expect = String(line.dropFirst(10)).trimmingCharacters(in: .whitespaces)
                    continue
                }
                if line.hasPrefix("-- workspace:") {
                    workspace = Int(line.dropFirst(13).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
                    continue
                }
                if line.trimmingCharacters(in: .whitespaces) == "-- violate" {
                    inViolation = true
                    continue
                }
                if inViolation { violation.append(line) } else { setup.append(line) }
            }
            let parts = expect.split(separator: " ").map(String.init)
            cases.append(
                ConstraintCase(
                    rule: rule, sqlState: parts.first ?? "", target: parts.count > 1 ? parts[1] : "",
                    workspace: workspace, setup: splitStatements(setup.joined(separator: "\n")),
                    violation: violation.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return cases
    }

    /// Splits SQL at semicolons that end a line (the fixture's style), dropping comment-only parts.
    static func splitStatements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        for line in sql.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
        return statements
    }
}

// Serialized: several cases insert the same rows, and parallel transactions would wait on each other.
@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct SchemaRuleTests {
    static let cases = ConstraintCase.load()

    @Test func thereIsACaseForEveryBusinessRule() {
        #expect(Self.cases.count >= 40, "Fixtures/constraints.sql has \(Self.cases.count) cases")
        #expect(Set(Self.cases.map(\.rule)).count == Self.cases.count, "rule names are unique")
    }

    @Test(arguments: cases)
    func constraintIsEnforcedByPostgreSQL(_ rule: ConstraintCase) throws {
        let db = try TestEnvironment.connectApp()
        try db.query("BEGIN")
        defer { _ = try? db.query("ROLLBACK") }
        if let workspace = rule.workspace {
            try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(workspace))])
        }
        for statement in rule.setup { try db.executeScript(statement) }
        do {
            try db.executeScript(rule.violation)
            Issue.record("\(rule.rule): the violating statement succeeded")
        } catch let error as DatabaseError {
            #expect(error.sqlState == rule.sqlState, "\(rule.rule): \(error)")
            if rule.sqlState == "23502" {
                #expect("\(error.table ?? "").\(error.column ?? "")" == rule.target, "\(rule.rule): \(error)")
            } else {
                #expect(error.constraint == rule.target, "\(rule.rule): \(error)")
            }
        }
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CatalogTests {
    @Test func everyTenantTableHasForcedRowLevelSecurityAndAPolicy() throws {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let rows = try db.query(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped)
                   OR c.relname = 'workspaces')
            ORDER BY 1
            """
        ).rows
        #expect(rows.count >= 20, "tenant tables found: \(rows.count)")
        for row in rows {
            let table = try row.string(0)
            #expect(try row.bool(1), "\(table): row-level security enabled")
            #expect(try row.bool(2), "\(table): row-level security forced")
            #expect(try row.int(3) >= 1, "\(table): has a policy")
        }
    }

    @Test func partitionsOfTenantTablesAreProtectedToo() throws {
        // Queries through the parent apply its policies; direct access to a partition must not bypass them.
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let rows = try db.query(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, has_table_privilege('herald_app', c.oid, 'SELECT')
            FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
            """
        ).rows
        for row in rows {
            let name = try row.string(0)
            #expect(try row.bool(3) == false || (try row.bool(1) && row.bool(2)), "\(name): readable by herald_app without RLS")
        }
    }

    @Test func appRoleIsNotOwnerNotSuperuserNoBypassRLS() throws {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let row = try #require(
            try db.queryRow(
                """
                SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'public' AND c.relowner = r.oid),
                       (SELECT d.datdba = r.oid FROM pg_database d WHERE d.datname = 'herald'),
                       pg_has_role('herald_app', 'herald_owner', 'MEMBER')
                FROM pg_roles r WHERE r.rolname = 'herald_app'
                """))
        #expect(try row.bool(0) == false, "not superuser")
        #expect(try row.bool(1) == false, "no BYPASSRLS")
        #expect(try row.bool(2) == false)
        #expect(try row.bool(3) == false)
        #expect(try row.int(4) == 0, "owns no table")
        #expect(try row.bool(5) == false, "does not own the database")
        #expect(try row.bool(6) == false, "is not a member of the owner role")
    }

    @Test(arguments: ["credit_entries", "audit_events"])
    func appendOnlyTablesRefuseUpdateAndDelete(_ table: String) throws {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let row = try #require(
            try admin.queryRow(
                """
                SELECT has_any_column_privilege('herald_app', $1, 'INSERT'), has_table_privilege('herald_app', $1, 'UPDATE'),
                       has_table_privilege('herald_app', $1, 'DELETE'), has_table_privilege('herald_app', $1, 'TRUNCATE')
                """, [.text(table)]))
        #expect(try row.bool(0), "\(table): herald_app may insert")
        #expect(try row.bool(1) == false, "\(table): no UPDATE grant")
        #expect(try row.bool(2) == false, "\(table): no DELETE grant")
        #expect(try row.bool(3) == false, "\(table): no TRUNCATE grant")
        // Even the owner is stopped by the trigger.
        let triggers = try admin.queryRow(
            """
            SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = $1::regclass AND NOT t.tgisinternal
            """, [.text(table)])
        #expect(try triggers?.int(0) ?? 0 >= 1, "\(table): has a trigger refusing UPDATE and DELETE")
        let app = try TestEnvironment.connectApp()
        let touch =
            table == "credit_entries" ? "UPDATE credit_entries SET created_at = created_at" : "UPDATE audit_events SET occurred_at = occurred_at"
        for statement in [touch, "DELETE FROM \(table)"] {
            do {
                try app.query(statement)
                Issue.record("\(statement) succeeded as herald_app")
            } catch let error as DatabaseError {
                #expect(error.sqlState == "42501", "\(statement): \(error)")
            }
        }
        let owner = try TestEnvironment.connectOwner()
        for statement in [touch, "DELETE FROM \(table)", "TRUNCATE \(table)"] {
            #expect(throws: DatabaseError.self, "\(statement) as owner") {
                try owner.transaction { db in
                    try db.query("SELECT set_config('app.cross_tenant', 'on', true)")
                    try db.query(statement)
                    // With no rows visible a row trigger would never fire; the statement-level one does.
                }
            }
        }
    }

    @Test func everyForeignKeyIsIndexed() throws {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let unindexed = try db.query(
            """
            SELECT c.conrelid::regclass::text || ' (' || c.conname || ')'
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                WHERE i.indrelid = c.conrelid
                  AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
                  AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey)
            ORDER BY 1
            """
        ).rows.map { try $0.string(0) }
        #expect(unindexed.isEmpty, "foreign keys without a leading index: \(unindexed)")
    }

    @Test func noDuplicateIndexes() throws {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let duplicates = try db.query(
            """
            SELECT string_agg(indexrelid::regclass::text, ' = ')
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public'
            GROUP BY indrelid, indkey::text, indclass::text, coalesce(pg_get_expr(indexprs, indrelid), ''), coalesce(pg_get_expr(indpred, indrelid), '')
            HAVING count(*) > 1
            """
        ).rows.map { try $0.string(0) }
        #expect(duplicates.isEmpty, "duplicate indexes: \(duplicates)")
    }
}

extension TestEnvironment {
    static func connectSuperuser(database: String) throws -> Connection {
        try Connection(url(database: database, user: "postgres"))
    }
}
