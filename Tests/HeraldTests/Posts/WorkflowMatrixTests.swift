// The post workflow as one table: every status × every action × every role, through nginx.
// The expected table is written out here on its own, from the issue, not taken from the code.
import Foundation
import Testing

@testable import HeraldDatabase
@testable import HeraldIdentity

enum WorkflowExpectation {
    static let statuses = ["draft", "in_review", "approved", "scheduled", "publishing", "published", "partially_published", "failed", "rejected"]
    static let actions = ["edit", "submit", "approve", "reject", "schedule", "unschedule", "delete"]

    /// The status an action leads to from a status; nil where the workflow does not allow it.
    static func next(_ action: String, from status: String) -> String? {
        switch action {
        case "edit": return ["draft", "in_review", "rejected", "approved", "scheduled"].contains(status) ? "draft" : nil
        case "submit": return ["draft", "rejected"].contains(status) ? "in_review" : nil
        case "approve": return status == "in_review" ? "approved" : nil
        case "reject": return status == "in_review" ? "rejected" : nil
        case "schedule": return ["approved", "scheduled"].contains(status) ? "scheduled" : nil
        case "unschedule": return status == "scheduled" ? "approved" : nil
        case "delete": return ["draft", "in_review", "rejected", "approved", "scheduled", "failed"].contains(status) ? "(deleted)" : nil
        default: return nil
        }
    }

    /// Who may: editors write, submit, schedule; reviewers approve and reject; admins and owners all.
    static func roleMay(_ role: Role, _ action: String) -> Bool {
        switch action {
        case "edit", "submit", "delete", "schedule", "unschedule": return [.owner, .admin, .editor].contains(role)
        case "approve", "reject": return [.owner, .admin, .reviewer].contains(role)
        default: return false
        }
    }
}

struct WorkflowCase: CustomTestStringConvertible, Sendable {
    let status: String
    let action: String
    var testDescription: String { "\(action) a \(status) post" }

    static let all = WorkflowExpectation.statuses.flatMap { s in WorkflowExpectation.actions.map { WorkflowCase(status: s, action: $0) } }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct WorkflowMatrixTests {
    /// Runs one action on post `id` as `browser`; returns the response.
    static func perform(_ action: String, post id: Int, version: Int, account: Int, in w: Fixtures.Workspace, as browser: Browser) throws
        -> HTTPResponse
    {
        let base = "/w/\(w.slug)/posts/\(id)"
        try browser.get("/w/\(w.slug)/")
        switch action {
        case "edit":
            return try browser.post(
                base + "/edit", [("version", String(version)), ("title", "Edited"), ("body", "Edited text #launch"), ("target", String(account))])
        case "reject":
            return try browser.post(base + "/reject", [("comment", "Please shorten it.")])
        case "schedule":
            let tomorrow = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
                "SELECT to_char(now() AT TIME ZONE 'UTC' + interval '1 day', 'YYYY-MM-DD')")!.string(0)
            return try browser.post(base + "/schedule", [("date", tomorrow), ("time", "10:30")])
        default:
            return try browser.post(base + "/" + action, [])
        }
    }

    @Test(arguments: WorkflowCase.all, Role.allCases)
    func everyStatusActionAndRole(_ c: WorkflowCase, _ role: Role) throws {
        let owner = try Fixtures.user("Owner")
        let author = try Fixtures.user("Author")
        var members: [(Fixtures.User, Role)] = [(author, .editor)]
        let actor: Fixtures.User
        if role == .owner {
            actor = owner
        } else {
            actor = try Fixtures.user(role.label)
            members.append((actor, role))
        }
        let w = try Fixtures.workspace(owner: owner, members: members)
        let account = try Fixtures.account(w)
        let id = try Fixtures.post(w, author: author, status: c.status, account: account)
        let before = try #require(try Fixtures.postState(id))

        let response = try Self.perform(c.action, post: id, version: before.version, account: account, in: w, as: try Fixtures.browser(for: actor))
        let after = try Fixtures.postState(id)
        let label = "\(role.rawValue) → \(c.testDescription)"
        guard WorkflowExpectation.roleMay(role, c.action) else {
            #expect(response.status == 403, "\(label): \(response.status)")
            #expect(after?.status == before.status && after?.version == before.version, "\(label): changed nothing")
            return
        }
        guard let next = WorkflowExpectation.next(c.action, from: c.status) else {
            #expect(response.status == 409, "\(label): \(response.status)")
            #expect(response.body.contains("cannot be"), "\(label): says why")
            #expect(after?.status == before.status && after?.version == before.version, "\(label): changed nothing")
            return
        }
        #expect(response.status == 303, "\(label): \(response.status) \(response.body.prefix(300))")
        if next == "(deleted)" {
            #expect(after == nil, "\(label): deleted")
        } else {
            #expect(after?.status == next, "\(label): now \(after?.status ?? "gone")")
            #expect((after?.version ?? 0) > before.version, "\(label): version moved on")
            let recorded = try Fixtures.count(
                "SELECT count(*) FROM audit_events WHERE workspace_id = $1 AND target_type = 'post' AND target_id = $2 AND actor_id = $3",
                [.int(w.id), .int(id), .int(actor.id)])
            #expect(recorded == 1, "\(label): the transition is recorded with who and when")
        }
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct WorkflowRuleTests {
    @Test(arguments: ["approve", "reject"])
    func authorsCannotReviewTheirOwnPosts(_ action: String) throws {
        let owner = try Fixtures.user("Owner")
        let w = try Fixtures.workspace(owner: owner)
        let account = try Fixtures.account(w)
        let id = try Fixtures.post(w, author: owner, status: "in_review", account: account)
        let response = try WorkflowMatrixTests.perform(action, post: id, version: 1, account: account, in: w, as: try Fixtures.browser(for: owner))
        #expect(response.status == 403)
        #expect(response.body.contains("someone else must review"))
        #expect(try Fixtures.postState(id)?.status == "in_review")
        #expect(try Fixtures.count("SELECT count(*) FROM reviews WHERE post_id = $1", [.int(id)]) == 0)
    }

    @Test func theDatabaseRefusesSelfApprovalToo() throws {
        let owner = try Fixtures.user("Owner")
        let w = try Fixtures.workspace(owner: owner)
        let id = try Fixtures.post(w, author: owner, status: "in_review")
        let app = try TestEnvironment.connectApp()
        do {
            try app.transaction(workspace: w.id) { db in
                try db.query(
                    "INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision) VALUES ($1, $2, 1, $3, 'approved')",
                    [.int(w.id), .int(id), .int(owner.id)])
            }
            Issue.record("self-approval was stored")
        } catch let error as DatabaseError {
            #expect(error.constraint == "reviews_not_self_approval")
        }
    }

    @Test func theSecondOfTwoConcurrentEditsIsRefused() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor)])
        let account = try Fixtures.account(w)
        let id = try Fixtures.post(w, author: editor, body: "Original text", account: account)
        let first = try Fixtures.browser(for: owner)
        let second = try Fixtures.browser(for: editor)
        // Both open the edit form at version 1.
        let formA = try first.get("/w/\(w.slug)/posts/\(id)/edit")
        let formB = try second.get("/w/\(w.slug)/posts/\(id)/edit")
        #expect(formA.body.contains("name=\"version\" value=\"1\"") && formB.body.contains("name=\"version\" value=\"1\""))
        let saveA = try first.post("/w/\(w.slug)/posts/\(id)/edit", [("version", "1"), ("body", "Owner's version"), ("target", String(account))])
        #expect(saveA.status == 303)
        let saveB = try second.post("/w/\(w.slug)/posts/\(id)/edit", [("version", "1"), ("body", "Editor's version"), ("target", String(account))])
        #expect(saveB.status == 409)
        #expect(saveB.body.contains("changed since you opened it"))
        #expect(saveB.body.contains("Editor&#39;s version"), "the refused text is kept in the form")
        let body = try TestEnvironment.connectSuperuser(database: "herald").queryRow("SELECT body, version FROM posts WHERE id = $1", [.int(id)])!
        #expect(try body.string(0) == "Owner's version")
        #expect(try body.int(1) == 2)
    }

    @Test func editingAnApprovedPostSendsItBackToDraftWithARevisionAndADiff() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor)])
        let account = try Fixtures.account(w)
        let id = try Fixtures.post(w, author: editor, status: "approved", body: "We launch on Monday", account: account)
        let browser = try Fixtures.browser(for: editor)
        let warning = try browser.get("/w/\(w.slug)/posts/\(id)/edit")
        #expect(warning.body.contains("sends it back to draft"))
        #expect(
            try browser.post("/w/\(w.slug)/posts/\(id)/edit", [("version", "1"), ("body", "We launch on Tuesday"), ("target", String(account))])
                .status == 303)
        #expect(try Fixtures.postState(id)?.status == "draft")
        #expect(try Fixtures.count("SELECT count(*) FROM post_revisions WHERE post_id = $1", [.int(id)]) == 2)
        let page = try browser.get("/w/\(w.slug)/posts/\(id)")
        #expect(page.body.contains("<del>Monday</del>"))
        #expect(page.body.contains("<ins>Tuesday</ins>"))
        #expect(page.body.contains("edited it"), "history shows the edit")
    }

    @Test func submitRunsTheLengthAndBrandChecks() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor)])
        let x = try Fixtures.account(w, platform: "x", handle: "@acme")
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query(
            """
            INSERT INTO brand_rules (workspace_id, kind, rule_text, severity) VALUES
            ($1, 'banned_term', 'synergy', 'block'), ($1, 'hashtag', '#acme', 'block'), ($1, 'max_hashtags', '2', 'warn')
            """, [.int(w.id)])
        let long = String(repeating: "word ", count: 60) + "synergy #a #b #c"
        let id = try Fixtures.post(w, author: editor, body: long, account: x)
        let browser = try Fixtures.browser(for: editor)
        try browser.get("/w/\(w.slug)/posts/\(id)")
        let refused = try browser.post("/w/\(w.slug)/posts/\(id)/submit", [])
        #expect(refused.status == 422)
        #expect(refused.body.contains("Too long for X"))
        #expect(refused.body.contains("“synergy” is on the workspace&#39;s banned list."))
        #expect(refused.body.contains("must carry the hashtag #acme"))
        #expect(refused.body.contains("Use at most 2 hashtags; this post has 3."))
        #expect(try Fixtures.postState(id)?.status == "draft")
        // A post with no channel cannot go to review either.
        let lonely = try Fixtures.post(w, author: editor, body: "Fine text #acme")
        try browser.get("/w/\(w.slug)/posts/\(lonely)")
        let noChannel = try browser.post("/w/\(w.slug)/posts/\(lonely)/submit", [])
        #expect(noChannel.status == 422)
        #expect(noChannel.body.contains("Choose at least one channel"))
    }

    @Test func theCountsPerStatusFollowEveryMove() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor)])
        let account = try Fixtures.account(w)
        var ids: [Int] = []
        for status in ["draft", "draft", "in_review", "approved", "scheduled", "published"] {
            ids.append(try Fixtures.post(w, author: editor, status: status, account: account))
        }
        let ownerBrowser = try Fixtures.browser(for: owner)
        let editorBrowser = try Fixtures.browser(for: editor)
        try editorBrowser.get("/w/\(w.slug)/")
        #expect(try editorBrowser.post("/w/\(w.slug)/posts/\(ids[0])/submit", []).status == 303)
        try ownerBrowser.get("/w/\(w.slug)/")
        #expect(try ownerBrowser.post("/w/\(w.slug)/posts/\(ids[2])/approve", []).status == 303)
        #expect(try ownerBrowser.post("/w/\(w.slug)/posts/\(ids[4])/unschedule", []).status == 303)
        #expect(try editorBrowser.post("/w/\(w.slug)/posts/\(ids[1])/delete", []).status == 303)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let actual = try admin.query(
            "SELECT status || '=' || count(*) FROM posts WHERE workspace_id = $1 GROUP BY status ORDER BY status", [.int(w.id)]
        )
        .rows.map { try $0.string(0) }
        let kept = try admin.query(
            "SELECT status || '=' || posts FROM post_status_counts WHERE workspace_id = $1 AND posts > 0 ORDER BY status", [.int(w.id)]
        )
        .rows.map { try $0.string(0) }
        #expect(actual == ["approved=3", "in_review=1", "published=1"])
        #expect(kept == actual)
        #expect(try ownerBrowser.get("/w/\(w.slug)/posts").body.contains("All <span class=\"count\">5</span>"))
    }

    @Test func rejectingNeedsAComment() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor)])
        let id = try Fixtures.post(w, author: editor, status: "in_review", account: try Fixtures.account(w))
        let browser = try Fixtures.browser(for: owner)
        try browser.get("/w/\(w.slug)/posts/\(id)")
        let response = try browser.post("/w/\(w.slug)/posts/\(id)/reject", [("comment", "  ")])
        #expect(response.status == 422)
        #expect(response.body.contains("a rejection needs a comment"))
        #expect(try Fixtures.postState(id)?.status == "in_review")
    }
}
