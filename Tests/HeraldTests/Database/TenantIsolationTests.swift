// Row-level security as the second wall: with the tenant set to workspace A, nothing of B can be
// read, changed or added; with no tenant set, every tenant table reads empty; deleting a workspace
// leaves no orphan anywhere. Data comes from `heraldctl demo`, so every table is exercised.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct TenantIsolationTests {
    static let heraldctl = TestEnvironment.binary("heraldctl")

    /// Two demo workspaces under a fresh prefix; returns their ids.
    func makeWorkspaces(count: Int = 2) throws -> [Int] {
        let prefix = "t" + UUID().uuidString.prefix(8).lowercased().filter { $0.isLetter || $0.isNumber }
        _ = try TestEnvironment.run(
            Self.heraldctl,
            [
                "demo", "--workspaces", String(count), "--posts", String(60 * count),
                "--metrics", String(300 * count), "--prefix", prefix,
            ],
            environment: ["HERALD_OWNER_DATABASE_URL": TestEnvironment.ownerURL])
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        return try (1...count).map { i in
            try #require(try admin.queryRow("SELECT id FROM workspaces WHERE slug = $1", [.text("\(prefix)-\(i)")])?.int(0))
        }
    }

    /// Every table with a workspace_id column (partitions excluded: they are reached through their parent).
    func tenantTables() throws -> [String] {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        return try admin.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND a.attname = 'workspace_id' AND NOT a.attisdropped
            ORDER BY 1
            """
        ).rows.map { try $0.string(0) }
    }

    @Test func aTenantSeesAndChangesNothingOfAnother() throws {
        let ids = try makeWorkspaces()
        let (a, b) = (ids[0], ids[1])
        let tables = try tenantTables()
        #expect(tables.count >= 20)
        let app = try TestEnvironment.connectApp()
        var tablesWithOwnRows = 0
        try app.transaction(workspace: a) { db in
            for table in tables {
                // Table names come from the catalog, not from input.
                let foreign = try db.queryRow("SELECT count(*) FROM \(table) WHERE workspace_id IS DISTINCT FROM $1", [.int(a)])!.int(0)
                #expect(foreign == 0, "\(table): rows of another workspace visible")
                if try db.queryRow("SELECT count(*) FROM \(table)")!.int(0) > 0 { tablesWithOwnRows += 1 }
            }
        }
        #expect(tablesWithOwnRows >= 10, "the demo data reaches most tables (\(tablesWithOwnRows))")
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        for table in tables {
            for (privilege, statement) in [
                ("UPDATE", "UPDATE \(table) SET workspace_id = workspace_id WHERE workspace_id = $1"),
                ("DELETE", "DELETE FROM \(table) WHERE workspace_id = $1"),
            ] {
                // Tables herald_app may not change at all (append-only, usage logs) are covered by the grant tests.
                guard try admin.queryRow("SELECT has_table_privilege('herald_app', $1, $2)", [.text(table), .text(privilege)])!.bool(0) else {
                    continue
                }
                let changed = try app.transaction(workspace: a) { db in try db.query(statement, [.int(b)]).affectedRows }
                #expect(changed == 0, "\(table): \(privilege) reached rows of another workspace")
            }
        }
        // B's rows are all still there.
        #expect(try admin.queryRow("SELECT count(*) FROM posts WHERE workspace_id = $1", [.int(b)])!.int(0) == 60)
    }

    @Test(arguments: [
        "INSERT INTO campaigns (workspace_id, name) VALUES ($1, 'Smuggled')",
        "INSERT INTO posts (workspace_id, body) VALUES ($1, 'Smuggled')",
        "INSERT INTO tags (workspace_id, kind, name) VALUES ($1, 'label', 'smuggled')",
        "INSERT INTO brand_rules (workspace_id, kind, rule_text) VALUES ($1, 'banned_term', 'smuggled')",
        "INSERT INTO audit_events (workspace_id, action) VALUES ($1, 'post.smuggled')",
    ])
    func insertingIntoAnotherWorkspaceFails(_ statement: String) throws {
        let ids = try makeWorkspaces()
        let app = try TestEnvironment.connectApp()
        do {
            try app.transaction(workspace: ids[0]) { db in try db.query(statement, [.int(ids[1])]) }
            Issue.record("\(statement) succeeded across tenants")
        } catch let error as DatabaseError {
            #expect(error.sqlState == "42501", "\(error)")
        }
    }

    @Test func withNoTenantSetEveryTenantTableReadsEmpty() throws {
        _ = try makeWorkspaces()
        let app = try TestEnvironment.connectApp()
        for table in try tenantTables() {
            #expect(try app.queryRow("SELECT count(*) FROM \(table)")!.int(0) == 0, "\(table) visible without a tenant")
        }
    }

    @Test func aConnectionReusedAfterATenantTransactionSeesNothingOfIt() throws {
        let ids = try makeWorkspaces()
        let app = try TestEnvironment.connectApp()
        let inside = try app.transaction(workspace: ids[0]) { db in try db.queryRow("SELECT count(*) FROM posts")!.int(0) }
        #expect(inside == 60)
        #expect(try app.queryRow("SELECT count(*) FROM posts")!.int(0) == 0)
        #expect(try app.queryRow("SELECT count(*) FROM workspaces")!.int(0) == 0)
        // Even a failed transaction leaves nothing behind.
        _ = try? app.transaction(workspace: ids[0]) { db in try db.query("SELECT 1/0") }
        #expect(try app.queryRow("SELECT count(*) FROM posts")!.int(0) == 0)
    }

    @Test func deletingAWorkspaceLeavesNoOrphanAnywhere() throws {
        let ids = try makeWorkspaces()
        let (gone, kept) = (ids[0], ids[1])
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let tables = try tenantTables()
        func rows(_ workspace: Int) throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try admin.queryRow("SELECT count(*) FROM \(table) WHERE workspace_id = $1", [.int(workspace)])!.int(0)
            }
            return counts
        }
        let before = try rows(gone)
        #expect(before.values.reduce(0, +) > 400)
        let keptBefore = try rows(kept)
        let owner = try #require(try admin.queryRow("SELECT owner_id FROM workspaces WHERE id = $1", [.int(gone)])?.int(0))

        let app = try TestEnvironment.connectApp()
        let deleted = try app.transaction(workspace: gone) { db in
            try db.query("DELETE FROM workspaces WHERE id = $1", [.int(gone)]).affectedRows
        }
        #expect(deleted == 1)
        let after = try rows(gone)
        // Everything goes but the audit trail, which outlives its workspace (detached).
        for (table, count) in after where table != "audit_events" { #expect(count == 0, "\(table): \(count) orphan rows") }
        #expect(after["audit_events"] == before["audit_events"], "the audit trail stays")
        #expect(try rows(kept) == keptBefore, "the other workspace is untouched")
        #expect(try admin.queryRow("SELECT count(*) FROM users WHERE id = $1", [.int(owner)])!.int(0) == 1, "people stay")
    }

    @Test func aUserWhoOwnsAWorkspaceCannotBeDeleted() throws {
        let ids = try makeWorkspaces(count: 1)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let owner = try #require(try admin.queryRow("SELECT owner_id FROM workspaces WHERE id = $1", [.int(ids[0])])?.int(0))
        let app = try TestEnvironment.connectApp()
        do {
            try app.query("DELETE FROM users WHERE id = $1", [.int(owner)])
            Issue.record("deleting a workspace owner succeeded")
        } catch let error as DatabaseError {
            #expect(error.sqlState == "23503")
            #expect(error.constraint == "workspaces_owner_id_fkey")
        }
        #expect(try admin.queryRow("SELECT count(*) FROM workspaces WHERE id = $1", [.int(ids[0])])!.int(0) == 1)
        // A member who owns nothing can be deleted; their memberships and sessions go with them.
        let member = try #require(
            try admin.queryRow("SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'editor'", [.int(ids[0])])?.int(0))
        try app.query("DELETE FROM users WHERE id = $1", [.int(member)])
        #expect(try admin.queryRow("SELECT count(*) FROM memberships WHERE user_id = $1", [.int(member)])!.int(0) == 0)
    }
}
