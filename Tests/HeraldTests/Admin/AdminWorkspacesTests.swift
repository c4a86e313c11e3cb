// /admin/workspaces through nginx: the list (plan, members, balance), one workspace's members and
// ledger, granting and adjusting credits with a reason through the ledger (one audit event each, a
// repeated form recorded once, bad input refused), and a deleted workspace's audit trail staying:
// readable on the admin's audit page, and impossible for herald_app to delete.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase
@testable import HeraldIdentity

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdminWorkspacesTests {
    @Test func theListAndAWorkspaceShowPlanMembersAndBalance() throws {
        let (_, browser) = try AdminSupport.admin()
        let owner = try Fixtures.user("Olga Owner")
        let editor = try Fixtures.user("Ed <Editor>")
        let workspace = try Fixtures.workspace(owner: owner, members: [(editor, .editor)], name: "Acme & Sons")
        _ = try Credits.grant(try TestEnvironment.connectApp(), workspace: workspace.id, amount: 1234, key: "seed")

        let list = try browser.get("/admin/workspaces?q=\(workspace.slug)")
        #expect(list.status == 200)
        #expect(list.body.contains("Acme &amp; Sons") && list.body.contains(owner.email))
        #expect(list.body.contains("<span class=\"badge\">Free</span>"), "no subscription: the free plan")
        #expect(list.body.contains("<td class=\"num\">2</td><td class=\"num\">1,234</td>"), "members and balance")

        let page = try browser.get("/admin/workspaces/\(workspace.id)")
        #expect(page.status == 200)
        #expect(page.body.contains("<strong>1,234</strong> credits"))
        #expect(page.body.contains("Ed &lt;Editor&gt;") && page.body.contains("<span class=\"badge\">editor</span>"))
        #expect(page.body.contains("<span class=\"badge\">owner</span>"))
        #expect(page.body.contains("+1,234"), "the ledger's entry")
        #expect(page.body.contains("name=\"key\" value=\""), "the form carries its idempotency key")
    }

    @Test func grantingAndAdjustingGoThroughTheLedgerWithOneAuditEventEach() throws {
        let (admin, browser) = try AdminSupport.sudoAdmin()
        let owner = try Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner)
        let firstEvent = try AdminSupport.lastEventID()
        try browser.get("/admin/workspaces/\(workspace.id)")

        let grant = try browser.post(
            "/admin/workspaces/\(workspace.id)/credits", [("operation", "grant"), ("amount", "500"), ("reason", "launch bonus"), ("key", "form-1")])
        #expect(grant.status == 303 && grant.header("Location") == "/admin/workspaces/\(workspace.id)?notice=credits-granted")
        // The same form sent again records nothing more.
        let again = try browser.post(
            "/admin/workspaces/\(workspace.id)/credits", [("operation", "grant"), ("amount", "500"), ("reason", "launch bonus"), ("key", "form-1")])
        #expect(again.status == 303 && again.header("Location")?.hasSuffix("notice=credits-replayed") == true)
        let adjust = try browser.post(
            "/admin/workspaces/\(workspace.id)/credits",
            [("operation", "adjust"), ("amount", "-25"), ("reason", "double charge on 3 March"), ("key", "form-2")])
        #expect(adjust.status == 303 && adjust.header("Location")?.hasSuffix("notice=credits-adjusted") == true)

        let app = try TestEnvironment.connectApp()
        #expect(try Credits.balance(app, workspace: workspace.id) == 475)
        let entries = try TestEnvironment.connectSuperuser(database: "herald").query(
            "SELECT id, kind, amount, actor_id, note, idempotency_key FROM credit_entries WHERE workspace_id = $1 ORDER BY id", [.int(workspace.id)]
        ).rows.map { "\(try $0.string(1)) \(try $0.int(2)) \(try $0.int(3)) \(try $0.string(4)) \(try $0.string(5))" }
        #expect(
            entries == [
                "grant 500 \(admin.id) launch bonus admin-web:form-1", "adjustment -25 \(admin.id) double charge on 3 March admin-web:form-2",
            ], "\(entries)")
        let ids = try TestEnvironment.connectSuperuser(database: "herald").query(
            "SELECT id FROM credit_entries WHERE workspace_id = $1 ORDER BY id", [.int(workspace.id)]
        ).rows.map { try $0.int(0) }
        #expect(
            try AdminSupport.events(by: admin.id, after: firstEvent) == [
                AdminSupport.Event(
                    action: "credits.granted", workspaceID: workspace.id, targetType: "credit_entry", targetID: ids[0], ip: "127.0.0.1",
                    details: ["amount": "500", "balance_after": "500", "by": "admin", "reason": "launch bonus"]),
                AdminSupport.Event(
                    action: "credits.adjusted", workspaceID: workspace.id, targetType: "credit_entry", targetID: ids[1], ip: "127.0.0.1",
                    details: ["amount": "-25", "balance_after": "475", "by": "admin", "reason": "double charge on 3 March"]),
            ])

        // A downward adjustment past zero is refused by the ledger, and nothing is recorded.
        let short = try browser.post(
            "/admin/workspaces/\(workspace.id)/credits", [("operation", "adjust"), ("amount", "-1000"), ("reason", "too much"), ("key", "form-3")])
        #expect(short.status == 409 && short.body.contains("not enough credits"))
        #expect(try Credits.balance(app, workspace: workspace.id) == 475)
        #expect(try AdminSupport.events(by: admin.id, after: firstEvent).count == 2)
    }

    @Test func badCreditFormsAreRefusedWithWhatToFix() throws {
        let (admin, browser) = try AdminSupport.sudoAdmin()
        let workspace = try Fixtures.workspace(owner: try Fixtures.user("Owner"))
        let firstEvent = try AdminSupport.lastEventID()
        let path = "/admin/workspaces/\(workspace.id)/credits"
        let cases: [([(String, String)], Int, String)] = [
            ([("operation", "grant"), ("amount", "50"), ("reason", "  "), ("key", "k1")], 400, "Give a reason"),
            ([("operation", "grant"), ("amount", "fifty"), ("reason", "r"), ("key", "k2")], 400, "Enter a whole number of credits"),
            ([("operation", "grant"), ("amount", ""), ("reason", "r"), ("key", "k3")], 400, "Enter how many credits"),
            ([("operation", "grant"), ("amount", "-5"), ("reason", "r"), ("key", "k4")], 400, "A grant adds 1 to"),
            ([("operation", "adjust"), ("amount", "0"), ("reason", "r"), ("key", "k5")], 400, "An adjustment moves 1 to"),
            ([("operation", "adjust"), ("amount", "-9223372036854775808"), ("reason", "r"), ("key", "k6")], 400, "An adjustment moves 1 to"),
            ([("operation", "steal"), ("amount", "5"), ("reason", "r"), ("key", "k7")], 400, "Choose whether to grant or to adjust"),
            ([("operation", "grant"), ("amount", "5"), ("reason", String(repeating: "x", count: 1001)), ("key", "k8")], 400, "at most 1,000"),
            ([("operation", "grant"), ("amount", "5"), ("reason", "r")], 400, "its key is missing"),
        ]
        for (fields, status, message) in cases {
            let response = try browser.post(path, fields)
            #expect(response.status == status, "\(fields): \(response.status)")
            #expect(response.body.contains(message), "\(fields): \(response.body.prefix(300))")
        }
        #expect(try browser.post("/admin/workspaces/999999999999/credits", cases[0].0).status == 404)
        #expect(try Fixtures.count("SELECT count(*) FROM credit_entries WHERE workspace_id = $1", [.int(workspace.id)]) == 0)
        #expect(try AdminSupport.events(by: admin.id, after: firstEvent).isEmpty)
    }

    @Test func deletingAWorkspaceKeepsItsAuditEventsDetachedAndUndeletable() throws {
        let (admin, browser) = try AdminSupport.sudoAdmin()
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let workspace = try Fixtures.workspace(owner: owner, members: [(editor, .editor)], name: "Doomed Trail Ltd")
        // Events in the workspace: the admin's grant, and the owner changing a role (herald-workspaces).
        try browser.get("/admin/workspaces/\(workspace.id)")
        #expect(
            try browser.post(
                "/admin/workspaces/\(workspace.id)/credits", [("operation", "grant"), ("amount", "10"), ("reason", "trail"), ("key", "t1")]
            ).status == 303)
        let ownerBrowser = try Fixtures.browser(for: owner)
        try ownerBrowser.get("/w/\(workspace.slug)/members")
        #expect(try ownerBrowser.post("/w/\(workspace.slug)/members/\(editor.id)/role", [("role", "viewer")]).status == 303)
        let before = try Fixtures.count("SELECT count(*) FROM audit_events WHERE workspace_id = $1", [.int(workspace.id)])
        #expect(before >= 2)

        // The owner deletes it through the settings page.
        try ownerBrowser.get("/w/\(workspace.slug)/settings")
        let deleted = try ownerBrowser.post("/w/\(workspace.slug)/delete", [("confirm_name", "Doomed Trail Ltd")])
        #expect(deleted.status == 303)
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE id = $1", [.int(workspace.id)]) == 0)
        #expect(try Fixtures.count("SELECT count(*) FROM credit_entries WHERE workspace_id = $1", [.int(workspace.id)]) == 0, "the ledger goes")
        #expect(try Fixtures.count("SELECT count(*) FROM audit_events WHERE workspace_id = $1", [.int(workspace.id)]) == before, "the trail stays")
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM deleted_workspaces WHERE id = $1 AND slug = $2 AND name = 'Doomed Trail Ltd' AND deleted_by = $3",
                [.int(workspace.id), .text(workspace.slug), .int(owner.id)]) == 1)

        // The admin reads it by the old slug and by id, marked deleted.
        for filter in [workspace.slug, String(workspace.id)] {
            let page = try browser.get("/admin/audit?workspace=\(filter)")
            #expect(page.status == 200)
            #expect(page.body.contains("\(workspace.slug) <span class=\"badge muted\">deleted</span>"), "workspace=\(filter)")
            #expect(page.body.contains("<code>credits.granted</code>"), "workspace=\(filter)")
            #expect(page.body.components(separatedBy: "<tr><td class=\"muted\">").count - 1 == before, "workspace=\(filter)")
        }
        // Not even with the tenant set can herald_app delete or change them; nor can the owner role.
        let app = try TestEnvironment.connectApp()
        for statement in ["DELETE FROM audit_events WHERE workspace_id = $1", "UPDATE audit_events SET action = 'x.y' WHERE workspace_id = $1"] {
            #expect(throws: DatabaseError.self, "\(statement) as herald_app") {
                try app.transaction(workspace: workspace.id) { db in try db.query(statement, [.int(workspace.id)]) }
            }
        }
        let ownerRole = try TestEnvironment.connectOwner()
        #expect(throws: DatabaseError.self, "DELETE as the owner role") {
            try ownerRole.transaction(workspace: workspace.id) { db in
                try db.query("DELETE FROM audit_events WHERE workspace_id = $1", [.int(workspace.id)])
            }
        }
        #expect(try Fixtures.count("SELECT count(*) FROM audit_events WHERE workspace_id = $1", [.int(workspace.id)]) == before)
        _ = admin
    }
}
