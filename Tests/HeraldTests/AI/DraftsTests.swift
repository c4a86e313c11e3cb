// AI drafts end to end, through nginx and a real herald-worker, against the stand-in's
// chat-completions endpoint: concurrent requests never overspend, a draft is paid once whatever
// happens to the worker and refunded once when it cannot be written, model text is shown escaped,
// an oversized answer fails cleanly, and no draft reaches a post without a person's approval.
import Foundation
import Glibc
import Synchronization
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase

extension VaultDatabaseTests {
    /// Inside the vault tests' serialized suite, like every test that starts a worker: a worker claims
    /// any workspace's jobs, so two tests' workers at once would run each other's drafts.
    @Suite struct DraftsTests {
        struct Team {
            let owner: Fixtures.User
            let editor: Fixtures.User
            let viewer: Fixtures.User
            let workspace: Fixtures.Workspace
            let campaign: Int
            var base: String { "/w/\(workspace.slug)" }
        }

        static func admin() throws -> Connection { try TestEnvironment.connectSuperuser(database: "herald") }

        func team(credits: Int) throws -> Team {
            let owner = try Fixtures.user("Owner")
            let editor = try Fixtures.user("Editor")
            let viewer = try Fixtures.user("Viewer")
            let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor), (viewer, .viewer)])
            let admin = try DraftsTests.admin()
            let campaign = try admin.queryRow(
                "INSERT INTO campaigns (workspace_id, name) VALUES ($1, 'Spring launch') RETURNING id", [.int(w.id)])!.int(0)
            try AISupport.setBalance(admin, workspace: w.id, to: credits, key: "test:drafts")
            return Team(owner: owner, editor: editor, viewer: viewer, workspace: w, campaign: campaign)
        }

        func request(_ t: Team, _ browser: Browser, brief: String = "Our spring launch", count: Int = 1) throws -> HTTPResponse {
            try browser.get("\(t.base)/campaigns/\(t.campaign)/drafts")
            return try browser.post(
                "\(t.base)/campaigns/\(t.campaign)/drafts",
                [("brief", brief), ("kind", "post"), ("platform", "mastodon"), ("count", String(count))])
        }

        func candidates(_ t: Team) throws -> [(id: Int, status: String, body: String?, error: String?)] {
            try DraftsTests.admin().query(
                "SELECT id, status, body, last_error FROM content_candidates WHERE workspace_id = $1 ORDER BY id", [.int(t.workspace.id)]
            ).rows.map { (try $0.int(0), try $0.string(1), $0.optionalString(2), $0.optionalString(3)) }
        }

        func ledger(_ t: Team, candidate: Int) throws -> (spends: Int, refunds: Int) {
            let row = try DraftsTests.admin().queryRow(
                """
                SELECT count(*) FILTER (WHERE kind = 'spend' AND reference = $2),
                       count(*) FILTER (WHERE kind = 'refund' AND reference IN (SELECT 'entry:' || id FROM credit_entries
                                                                                 WHERE workspace_id = $1 AND reference = $2))
                FROM credit_entries WHERE workspace_id = $1
                """, [.int(t.workspace.id), .text("candidate:\(candidate)")])!
            return (try row.int(0), try row.int(1))
        }

        /// The ledger's entries add up to the balance, and it never went below 0.
        func ledgerIsConsistent(_ t: Team) throws -> Bool {
            try DraftsTests.admin().queryRow(
                """
                SELECT (SELECT coalesce(sum(amount), 0) FROM credit_entries WHERE workspace_id = $1) = a.balance
                       AND a.balance >= 0 AND NOT EXISTS (SELECT 1 FROM credit_entries WHERE workspace_id = $1 AND balance_after < 0)
                FROM credit_accounts a WHERE a.workspace_id = $1
                """, [.int(t.workspace.id)])!.bool(0)
        }

        func waitForStatus(_ id: Int, _ statuses: Set<String>, seconds: Double = 60) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                let status = try DraftsTests.admin().queryRow("SELECT status FROM content_candidates WHERE id = $1", [.int(id)])!
                    .string(0)
                if statuses.contains(status) { return status }
                if Date() > deadline { throw TestFailure("candidate \(id) stayed \(status)") }
                usleep(100_000)
            }
        }

        /// A model name of the test's own: the stand-in's answers and faults queued for it reach no other test.
        static func model() -> String { "drafts-" + UUID().uuidString.prefix(8).lowercased() }

        static func faults(_ faults: [String], model: String, delay: Int? = nil) throws {
            var body: [String: Any] = ["faults": faults, "model": model]
            if let delay { body["delay"] = delay }
            try WorkerSupport.control("/_control/openai/faults", body)
        }

        static func answers(_ answers: [String], model: String) throws {
            try WorkerSupport.control("/_control/openai/answers", ["answers": answers, "model": model])
        }

        @Test func twentyConcurrentRequestsOnABalanceForSevenRunExactlySeven() throws {
            let price = try DraftsTests.admin().queryRow("SELECT credits FROM credit_prices WHERE action = 'generate_post'")!.int(
                0)
            let t = try team(credits: price * 7)
            let browsers = try (0..<20).map { _ in try Fixtures.browser(for: t.editor) }
            for b in browsers { try b.get("\(t.base)/campaigns/\(t.campaign)/drafts") }
            // Each request with its own session and CSRF token, all sent at once.
            let requests: [(headers: [(String, String)], body: String)] = browsers.enumerated().map { i, b in
                let fields = [("brief", "Launch \(i)"), ("kind", "post"), ("platform", "x"), ("count", "1"), ("csrf", b.lastCSRF ?? "")]
                return (
                    b.cookieHeader() + [("Content-Type", "application/x-www-form-urlencoded")],
                    fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
                )
            }
            let path = "\(t.base)/campaigns/\(t.campaign)/drafts"
            let results = Mutex<[Int]>([])
            DispatchQueue.concurrentPerform(iterations: 20) { i in
                let status =
                    (try? HTTPClient.send(method: "POST", path: path, headers: requests[i].headers, body: Array(requests[i].body.utf8)).status) ?? -1
                results.withLock { $0.append(status) }
            }
            let statuses = results.withLock { $0 }
            #expect(statuses.filter { $0 == 303 }.count == 7, "\(statuses)")
            #expect(statuses.filter { $0 == 402 }.count == 13, "\(statuses)")
            #expect(try candidates(t).count == 7)
            #expect(try Credits.balance(DraftsTests.admin(), workspace: t.workspace.id) == 0)
            #expect(try ledgerIsConsistent(t))
            // The refusal says why, with the numbers.
            let refused = try browsers[0].post(
                "\(t.base)/campaigns/\(t.campaign)/drafts", [("brief", "One more"), ("kind", "post"), ("platform", "x"), ("count", "1")])
            #expect(refused.status == 402)
            #expect(refused.body.contains("not enough credits: you have 0, this needs \(price)"))
            #expect(try Fixtures.count("SELECT count(*) FROM jobs WHERE workspace_id = $1 AND kind = 'generate_post'", [.int(t.workspace.id)]) == 7)
        }

        @Test func aDraftIsPaidOnceThroughAWorkerKilledMidCallAndAFailedOneIsRefundedOnce() throws {
            let t = try team(credits: 100)
            let editor = try Fixtures.browser(for: t.editor)
            // The model answers slowly (past the first worker's life): kill -9 it mid-call.
            let model = DraftsTests.model()
            try DraftsTests.faults(["slow"], model: model, delay: 20)
            #expect(try request(t, editor).status == 303)
            let id = try #require(try candidates(t).first?.id)
            let first = try WorkerProcess(environment: ["HERALD_AI_TIMEOUT_SECONDS": "8", "HERALD_AI_MODEL": model])
            let deadline = Date().addingTimeInterval(30)
            while try Fixtures.count(
                "SELECT count(*) FROM jobs WHERE kind = 'generate_post' AND status = 'running' AND workspace_id = $1",
                [
                    .int(t.workspace.id)
                ]) == 0 && Date() < deadline
            { usleep(50_000) }
            first.crash()
            // Another worker takes the job over when the lease runs out and writes the draft.
            let second = try WorkerProcess(environment: ["HERALD_AI_MODEL": model])
            defer { second.stop() }
            #expect(try waitForStatus(id, ["pending_review", "failed"], seconds: 60) == "pending_review")
            #expect(try ledger(t, candidate: id) == (1, 0))

            // A model that refuses (malformed answers until the attempts run out): failed, refunded once.
            try DraftsTests.faults(["invalid"], model: model)
            #expect(try request(t, editor, brief: "Doomed").status == 303)
            let doomed = try #require(try candidates(t).last?.id)
            #expect(try waitForStatus(doomed, ["failed", "pending_review"]) == "failed")
            #expect(try ledger(t, candidate: doomed) == (1, 1))
            #expect(try ledgerIsConsistent(t))
            #expect(
                try Credits.balance(DraftsTests.admin(), workspace: t.workspace.id) == 100
                    - (try DraftsTests.admin().queryRow(
                        "SELECT credits FROM credit_prices WHERE action = 'generate_post'")!.int(0)))
        }

        @Test func modelTextIsShownEscapedAndAnOversizedAnswerFailsCleanly() throws {
            let t = try team(credits: 100)
            let editor = try Fixtures.browser(for: t.editor)
            let model = DraftsTests.model()
            let worker = try WorkerProcess(environment: ["HERALD_AI_MODEL": model])
            defer { worker.stop() }
            try DraftsTests.answers(["<script>alert('herald')</script> Spring is here #launch"], model: model)
            #expect(try request(t, editor).status == 303)
            let id = try #require(try candidates(t).first?.id)
            #expect(try waitForStatus(id, ["pending_review", "failed"]) == "pending_review")
            let page = try editor.get("\(t.base)/campaigns/\(t.campaign)/drafts")
            #expect(page.body.contains("&lt;script&gt;alert(&#39;herald&#39;)&lt;/script&gt;") || page.body.contains("&lt;script&gt;alert("))
            #expect(!page.body.contains("<script>alert("))

            try DraftsTests.answers([String(repeating: "word ", count: 60_000)], model: model)
            #expect(try request(t, editor, brief: "Too much").status == 303)
            let big = try #require(try candidates(t).last?.id)
            #expect(try waitForStatus(big, ["pending_review", "failed"]) == "failed")
            let error = try #require(try candidates(t).last?.error)
            #expect(error.contains("larger than"), "\(error)")
            #expect(try ledger(t, candidate: big) == (1, 1))
        }

        /// Every (status, action) pair through nginx: only a draft waiting for review can be decided.
        static let transitions: [(from: String, action: String, status: Int, to: String)] = [
            ("pending_review", "approve", 303, "approved"), ("pending_review", "reject", 303, "rejected"),
            ("generating", "approve", 409, "generating"), ("generating", "reject", 409, "generating"),
            ("failed", "approve", 409, "failed"), ("failed", "reject", 409, "failed"),
            ("rejected", "approve", 409, "rejected"), ("rejected", "reject", 409, "rejected"),
            ("approved", "approve", 409, "approved"), ("approved", "reject", 409, "approved"),
        ]

        @Test func candidatesCannotSkipApproval() throws {
            let t = try team(credits: 0)
            let admin = try DraftsTests.admin()
            // An active Mastodon channel (its token sealed: this suite may), dropped with the workspace at the end.
            defer { VaultSupport.dropWorkspaces([t.workspace.id]) }
            let account = try WorkerSupport.channel(t.workspace, "mastodon").id
            let editor = try Fixtures.browser(for: t.editor)
            let viewer = try Fixtures.browser(for: t.viewer)
            for row in DraftsTests.transitions {
                // A candidate in the starting state (an approved one with its post).
                let post: Int? =
                    row.from == "approved" ? try Fixtures.post(t.workspace, author: t.editor, status: "draft", body: "made before") : nil
                let id = try admin.queryRow(
                    """
                    INSERT INTO content_candidates (workspace_id, campaign_id, kind, platform, brief, status, body, last_error, credits, post_id, reviewed_at)
                    VALUES ($1, $2, 'post', 'mastodon', 'brief', $3,
                            CASE WHEN $3 IN ('pending_review', 'approved', 'rejected') THEN 'Spring is here' END,
                            CASE WHEN $3 = 'failed' THEN 'the model refused' END, 3, $4,
                            CASE WHEN $3 IN ('approved', 'rejected') THEN now() END)
                    RETURNING id
                    """, [.int(t.workspace.id), .int(t.campaign), .text(row.from), .int(post)])!.int(0)
                let posts = try Fixtures.count("SELECT count(*) FROM posts WHERE workspace_id = $1", [.int(t.workspace.id)])
                // A viewer may decide nothing.
                try viewer.get("\(t.base)/campaigns/\(t.campaign)/drafts")
                #expect(try viewer.post("\(t.base)/drafts/\(id)/\(row.action)", []).status == 403)
                try editor.get("\(t.base)/campaigns/\(t.campaign)/drafts")
                let response = try editor.post("\(t.base)/drafts/\(id)/\(row.action)", [])
                #expect(response.status == row.status, "\(row.from) + \(row.action)")
                let now = try admin.queryRow("SELECT status, post_id FROM content_candidates WHERE id = $1", [.int(id)])!
                #expect(try now.string(0) == row.to, "\(row.from) + \(row.action)")
                let made = try Fixtures.count("SELECT count(*) FROM posts WHERE workspace_id = $1", [.int(t.workspace.id)]) - posts
                if row.from == "pending_review" && row.action == "approve" {
                    // A draft post, with a target on the workspace's Mastodon channel, waiting for the normal review.
                    #expect(made == 1)
                    let made = try #require(try now.optionalInt(1))
                    #expect(try Fixtures.postState(made)?.status == "draft")
                    #expect(
                        try Fixtures.count(
                            "SELECT count(*) FROM post_targets WHERE post_id = $1 AND social_account_id = $2", [.int(made), .int(account)]) == 1)
                } else {
                    #expect(made == 0, "\(row.from) + \(row.action) made a post")
                }
            }
            // PostgreSQL refuses a skipped step too, whoever asks.
            let id = try admin.queryRow(
                "INSERT INTO content_candidates (workspace_id, campaign_id, kind, platform, brief, credits) VALUES ($1, $2, 'post', 'x', 'b', 3) RETURNING id",
                [.int(t.workspace.id), .int(t.campaign)])!.int(0)
            let app = try TestEnvironment.connectApp()
            #expect(throws: DatabaseError.self) {
                try app.transaction(workspace: t.workspace.id) { db in
                    try db.query("UPDATE content_candidates SET status = 'approved', body = 'x', reviewed_at = now() WHERE id = $1", [.int(id)])
                }
            }
            // Another workspace's draft is not found.
            let other = try team(credits: 0)
            let otherEditor = try Fixtures.browser(for: other.editor)
            try otherEditor.get("\(other.base)/campaigns/\(other.campaign)/drafts")
            #expect(try otherEditor.post("\(other.base)/drafts/\(id)/approve", []).status == 404)
        }
    }
}

/// The AI tests' serialized suite by its short name (SourcesPersonasTests and WeeklySummaryTests extend it).
typealias DraftsTests = VaultDatabaseTests.DraftsTests
