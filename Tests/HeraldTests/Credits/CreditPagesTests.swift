// herald-credits through nginx: the credits page (balance, ledger in the viewer's time zone,
// pagination), the CSV export and its quoting, the billing page, spending over HTTP under
// concurrency, who may see what, and another workspace's ledger staying invisible.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldIdentity
@testable import HeraldSupport

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CreditPagesTests {
    @Test func theCreditsPageShowsTheBalanceAndTheLedgerInTheViewersTimeZone() throws {
        let owner = try Fixtures.user("Priya Owner")
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query("UPDATE users SET time_zone = 'Asia/Kolkata' WHERE id = $1", [.int(owner.id)])
        let (workspace, _) = try CreditsSupport.workspace(balance: 100, owner: owner)
        let spend = try Credits.spend(
            try TestEnvironment.connectApp(), workspace: workspace.id, action: "generate_post", key: "p1",
            actor: owner.id, note: "Launch <announcement>")
        let page = try Fixtures.browser(for: owner).get("/w/\(workspace.slug)/credits")
        #expect(page.status == 200)
        #expect(page.body.contains("<h1>Credits</h1>") && page.body.contains("<strong>97</strong> credits"))
        #expect(page.body.contains("your time zone, Asia/Kolkata"))
        let local = try admin.queryRow(
            "SELECT to_char(created_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI') FROM credit_entries WHERE id = $1",
            [.int(spend.entry.id)])!.string(0)
        #expect(page.body.contains("<td class=\"nowrap\">\(local)</td>"), "the spend's date in Asia/Kolkata (\(local))")
        #expect(page.body.contains("−3") && page.body.contains("+100"))
        #expect(page.body.contains("<code>generate_post</code>") && page.body.contains("Launch &lt;announcement&gt;"))
        #expect(page.body.contains("<td>Priya Owner</td>") && page.body.contains("<span class=\"muted\">Herald</span>"))
        #expect(page.body.contains("What credits buy") && page.body.contains("Generate an image for a post"))
        #expect(page.body.contains("href=\"/w/\(workspace.slug)/billing\""), "the owner gets the link to billing")
    }

    @Test func theLedgerIsPaginatedFiftyAPage() throws {
        let (workspace, owner) = try CreditsSupport.workspace(balance: 1)
        try TestEnvironment.connectApp().transaction(workspace: workspace.id) { db in
            for n in 2...120 { _ = try Credits.grant(db, workspace: workspace.id, amount: 1, key: "g\(n)") }
        }
        let browser = try Fixtures.browser(for: owner)
        let rows = { (body: String) in body.components(separatedBy: "<tr><td class=\"muted\">").count - 1 }
        let first = try browser.get("/w/\(workspace.slug)/credits")
        #expect(rows(first.body) == 50 && first.body.contains("Entries 1–50 of 120"))
        #expect(first.body.contains("?page=2\" rel=\"next\"") && !first.body.contains("rel=\"prev\""))
        #expect(first.body.contains("<strong>120</strong> credits"))
        let last = try browser.get("/w/\(workspace.slug)/credits?page=3")
        #expect(rows(last.body) == 20 && last.body.contains("Entries 101–120 of 120"))
        #expect(last.body.contains("?page=2\" rel=\"prev\"") && !last.body.contains("rel=\"next\""))
        #expect(try browser.get("/w/\(workspace.slug)/credits?page=9").body.contains("There is no page 9"))
        #expect(try browser.get("/w/\(workspace.slug)/credits?page=0").status == 400)
        #expect(try browser.get("/w/\(workspace.slug)/credits?page=two").status == 400)
        #expect(try browser.get("/w/\(workspace.slug)/credits?format=xml").status == 400)
    }

    @Test func theCSVExportQuotesCommasQuotesAndNewlines() throws {
        let (workspace, owner) = try CreditsSupport.workspace(balance: 0)
        let app = try TestEnvironment.connectApp()
        let tricky = "Line one, with \"quotes\"\nline two"
        let grant = try Credits.grant(
            app, workspace: workspace.id, amount: 40, key: "invoice-7", actor: owner.id,
            reference: "invoice 7, part 2", note: tricky)
        let formula = try Credits.spend(app, workspace: workspace.id, credits: 2, key: "f", note: "=HYPERLINK(\"http://example.com\")")
        let browser = try Fixtures.browser(for: owner)
        let response = try browser.get("/w/\(workspace.slug)/credits.csv")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/csv; charset=utf-8")
        let disposition = try #require(response.header("Content-Disposition"))
        #expect(
            disposition.range(
                of: "^attachment; filename=\"herald-\(workspace.slug)-credits-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.csv\"$",
                options: .regularExpression) != nil, "\(disposition)")
        #expect(response.body.contains("\"Line one, with \"\"quotes\"\"\nline two\""), "quoted, quotes doubled, newline kept inside")
        let records = parseCSV(response.body)
        #expect(records.first == ["Entry", "Date", "Kind", "Amount", "Balance after", "Reference", "Note", "Who", "Idempotency key"])
        #expect(records.count == 3, "\(records)")
        let row = try #require(records.first { $0.first == String(grant.entry.id) })
        #expect(Array(row[2...]) == ["grant", "40", "40", "invoice 7, part 2", tricky, "Owner", "invoice-7"])
        let spendRow = try #require(records.first { $0.first == String(formula.entry.id) })
        #expect(spendRow[3] == "-2" && spendRow[6] == "'=HYPERLINK(\"http://example.com\")" && spendRow[7] == "Herald", "\(spendRow)")
        #expect(try browser.get("/w/\(workspace.slug)/credits?format=csv").body == response.body)
    }

    @Test func theBillingPageShowsThePlanUsageBarsTrialAndWhatEachPlanIncludes() throws {
        let (workspace, owner) = try CreditsSupport.workspace(balance: 0)
        let browser = try Fixtures.browser(for: owner)
        let free = try browser.get("/w/\(workspace.slug)/billing")
        #expect(free.status == 200)
        #expect(free.body.contains("<h1>Billing</h1>") && free.body.contains("is on the <strong>Free</strong> plan."))
        #expect(free.body.contains("No subscription") && free.body.contains("1 of 5") && free.body.contains("<meter class=\"bar\""))
        for name in ["Free", "Starter", "Team", "Agency", "Unlimited", "$15 / month", "What each plan includes"] {
            #expect(free.body.contains(name), "\(name)")
        }
        try Plans.change(try TestEnvironment.connectApp(), workspace: workspace.id, to: "team", trialDays: 14)
        let trial = try browser.get("/w/\(workspace.slug)/billing")
        #expect(trial.body.contains("is on the <strong>Team</strong> plan ($49 / month)"))
        #expect(trial.body.contains(">Trial</span>") && trial.body.contains("14 days left") && trial.body.contains("1 of 25"))
        #expect(trial.body.contains("<th class=\"current\" scope=\"col\">Team <span class=\"badge\">current</span></th>"))
    }

    @Test func spendingThroughNginxNeverOverdrawsAndNeverFails() throws {
        let (workspace, owner) = try CreditsSupport.workspace(balance: 30)
        let slug = workspace.slug
        // 10 sessions × 5 debits of 3 (generate_post) at once against 30 credits: exactly 10 pass.
        let outcomes = CreditsSupport.concurrently(10) { index, barrier -> [String] in
            guard let browser = try? Fixtures.browser(for: owner), (try? browser.get("/w/\(slug)/credits"))?.status == 200 else {
                barrier.wait()
                return ["no session"]
            }
            barrier.wait()
            return (0..<5).map { n in
                guard let response = try? browser.post("/w/\(slug)/credits/spend", [("action", "generate_post"), ("key", "t\(index)-\(n)")]) else {
                    return "no answer"
                }
                if response.status == 409 && response.body.contains("not enough credits: you have 0, this needs 3") { return "refused" }
                return String(response.status)
            }
        }
        let all = outcomes.flatMap { $0 }
        #expect(all.filter { $0 == "303" }.count == 10, "\(all)")
        #expect(all.filter { $0 == "refused" }.count == 40, "\(all)")
        #expect(all.allSatisfy { $0 == "303" || $0 == "refused" }, "no 5xx, nothing else: \(Set(all))")
        #expect(try CreditsSupport.state(workspace.id) == CreditsSupport.LedgerState(balance: 0, sum: 0, entries: 11, chainBreaks: 0))

        // One key sent twice is charged once; bad requests change nothing.
        _ = try Credits.grant(try TestEnvironment.connectApp(), workspace: workspace.id, amount: 10, key: "more")
        let browser = try Fixtures.browser(for: owner)
        try browser.get("/w/\(slug)/credits")
        #expect(try browser.post("/w/\(slug)/credits/spend", [("action", "generate_post"), ("key", "twice")]).status == 303)
        #expect(try browser.post("/w/\(slug)/credits/spend", [("action", "generate_post"), ("key", "twice")]).status == 303)
        #expect(try browser.post("/w/\(slug)/credits/spend", [("action", "generate_post"), ("key", "")]).status == 400)
        let unknown = try browser.post("/w/\(slug)/credits/spend", [("action", "teleport"), ("key", "k")])
        #expect(unknown.status == 400 && unknown.body.contains("there is no price for the action"))
        #expect(try Credits.balance(try TestEnvironment.connectApp(), workspace: workspace.id) == 7)
    }

    @Test(arguments: Role.allCases)
    func eachRoleSeesExactlyWhatTheRoleTableSays(_ role: Role) throws {
        let owner = try Fixtures.user("Owner")
        let actor = role == .owner ? owner : try Fixtures.user(role.label)
        let (workspace, _) = try CreditsSupport.workspace(balance: 10, members: role == .owner ? [] : [(actor, role)], owner: owner)
        let browser = try Fixtures.browser(for: actor)
        let expectations: [(String, () throws -> HTTPResponse, WorkspaceAction, Int)] = [
            ("credits page", { try browser.get("/w/\(workspace.slug)/credits") }, .viewCredits, 200),
            ("CSV export", { try browser.get("/w/\(workspace.slug)/credits.csv") }, .viewCredits, 200),
            ("billing page", { try browser.get("/w/\(workspace.slug)/billing") }, .manageBilling, 200),
            (
                "spend",
                {
                    try browser.get("/w/\(workspace.slug)/")
                    return try browser.post("/w/\(workspace.slug)/credits/spend", [("action", "rewrite_post"), ("key", "role-\(role.rawValue)")])
                }, .spendCredits, 303
            ),
        ]
        for (name, request, action, success) in expectations {
            let response = try request()
            if role.may(action) {
                #expect(response.status == success, "\(role.rawValue) → \(name): \(response.status)")
            } else {
                #expect(response.status == 403, "\(role.rawValue) → \(name): \(response.status)")
                #expect(response.body.contains("Not allowed"))
            }
        }
        #expect(Role.owner.may(.viewCredits) && Role.admin.may(.viewCredits) && !Role.editor.may(.viewCredits))
        #expect(Role.editor.may(.spendCredits) && !Role.reviewer.may(.spendCredits) && !Role.admin.may(.manageBilling))
    }

    @Test func anotherWorkspacesLedgerIsInvisible() throws {
        let (mine, me) = try CreditsSupport.workspace(balance: 10)
        let (theirs, _) = try CreditsSupport.workspace(balance: 0)
        _ = try Credits.grant(try TestEnvironment.connectApp(), workspace: theirs.id, amount: 77, key: "secret", note: "their secret note")
        let browser = try Fixtures.browser(for: me)
        #expect(try browser.get("/w/\(mine.slug)/credits").status == 200)
        for path in ["/credits", "/credits.csv", "/credits?format=csv", "/billing"] {
            let response = try browser.get("/w/\(theirs.slug)\(path)")
            #expect(response.status == 404, "\(path): \(response.status)")
            #expect(!response.body.contains("their secret note"))
        }
        #expect(try browser.post("/w/\(theirs.slug)/credits/spend", [("action", "rewrite_post"), ("key", "x")]).status == 404)
        #expect(try Credits.balance(try TestEnvironment.connectApp(), workspace: theirs.id) == 77)
    }

    /// RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes.
    func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        scalars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\r" && scalars.first == "\n" {
                scalars.removeFirst()
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return records
    }
}
