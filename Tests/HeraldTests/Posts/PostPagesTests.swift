// Posts through nginx: writing, the list with filters and ranked search (never across
// workspaces), CSV export and import, campaigns, brand rules, scheduling in the user's zone.
import Foundation
import Testing

@testable import HeraldSupport

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct PostPagesTests {
    struct Team {
        let owner: Fixtures.User, editor: Fixtures.User, reviewer: Fixtures.User
        let workspace: Fixtures.Workspace
        let account: Int
    }

    func team(ownerZone: String = "UTC") throws -> Team {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let reviewer = try Fixtures.user("Reviewer")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor), (reviewer, .reviewer)])
        try TestEnvironment.connectSuperuser(database: "herald").query(
            "UPDATE users SET time_zone = $2 WHERE id = $1", [.int(owner.id), .text(ownerZone)])
        return Team(
            owner: owner, editor: editor, reviewer: reviewer, workspace: w,
            account: try Fixtures.account(w, platform: "bluesky", handle: "acme.bsky.social"))
    }

    @Test func writeReviewApproveAndScheduleThroughThePages() throws {
        let t = try team()
        let editor = try Fixtures.browser(for: t.editor)
        let form = try editor.get("/w/\(t.workspace.slug)/posts/new")
        #expect(form.status == 200)
        #expect(form.body.contains("acme.bsky.social"))
        let created = try editor.post(
            "/w/\(t.workspace.slug)/posts/new",
            [
                ("title", "Launch"), ("body", "We are live! 🚀 https://acme.example/launch"),
                ("target", String(t.account)), ("new_tags", "launch, news"),
            ])
        #expect(created.status == 303)
        let path = try #require(created.header("Location")).split(separator: "?")[0]
        #expect(try editor.post(path + "/submit", []).status == 303)
        let reviewer = try Fixtures.browser(for: t.reviewer)
        let page = try reviewer.get(String(path))
        #expect(page.body.contains("Approve") && page.body.contains("Reject"))
        #expect(try reviewer.post(path + "/approve", [("comment", "Looks great")]).status == 303)
        let scheduled = try editor.post(path + "/schedule", [("date", "2031-05-04"), ("time", "09:15")])
        #expect(scheduled.status == 303)
        let shown = try editor.get(String(path))
        #expect(shown.body.contains("2031-05-04 09:15"))
        #expect(shown.body.contains("approved it") && shown.body.contains("Looks great"), "history with the comment")
        #expect(shown.body.contains("scheduled it for 2031-05-04 09:15 (UTC)"))
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = (SELECT max(id) FROM posts WHERE workspace_id = $1) AND t.name IN ('launch', 'news')",
                [.int(t.workspace.id)]) == 2)
    }

    @Test func aNewPostWithoutTextIsRefusedClearly() throws {
        let t = try team()
        let editor = try Fixtures.browser(for: t.editor)
        try editor.get("/w/\(t.workspace.slug)/posts/new")
        let response = try editor.post(
            "/w/\(t.workspace.slug)/posts/new", [("title", String(repeating: "t", count: 201)), ("body", "   "), ("campaign", "999999")])
        #expect(response.status == 422)
        #expect(response.body.contains("Write the post&#39;s text."))
        #expect(response.body.contains("Use at most 200 characters."))
        #expect(response.body.contains("Choose a campaign from the list."))
        #expect(try Fixtures.count("SELECT count(*) FROM posts WHERE workspace_id = $1", [.int(t.workspace.id)]) == 0)
    }

    /// (zone, local date, local time, expected instant or nil when the time does not exist)
    static let clockChanges: [(String, String, String, String?)] = [
        ("America/New_York", "2030-03-10", "02:30", nil),
        ("America/New_York", "2030-11-03", "01:30", "2030-11-03T05:30:00Z"),  // shown twice: the first (EDT) one
        ("Europe/Berlin", "2030-03-31", "02:30", nil),
        ("Europe/Berlin", "2030-10-27", "01:30", "2030-10-26T23:30:00Z"),
        ("Europe/Berlin", "2030-10-27", "02:30", "2030-10-27T00:30:00Z"),  // shown twice: the first (CEST) one
        ("Australia/Sydney", "2030-10-06", "02:30", nil),
        ("Australia/Sydney", "2030-04-07", "01:30", "2030-04-06T14:30:00Z"),
        ("Australia/Sydney", "2030-04-07", "02:30", "2030-04-06T15:30:00Z"),  // shown twice: the first (AEDT) one
        ("Asia/Kolkata", "2030-03-10", "02:30", "2030-03-09T21:00:00Z"),
        ("Asia/Kolkata", "2030-11-03", "01:30", "2030-11-02T20:00:00Z"),
        ("UTC", "2030-03-10", "02:30", "2030-03-10T02:30:00Z"),
        ("UTC", "2030-11-03", "01:30", "2030-11-03T01:30:00Z"),
    ]

    @Test(arguments: clockChanges.indices)
    func schedulingAcrossClockChanges(_ index: Int) throws {
        let (zone, date, time, expected) = Self.clockChanges[index]
        let t = try team(ownerZone: zone)
        let id = try Fixtures.post(t.workspace, author: t.editor, status: "approved", account: t.account)
        let owner = try Fixtures.browser(for: t.owner)
        let page = try owner.get("/w/\(t.workspace.slug)/posts/\(id)")
        #expect(page.body.contains("In your time zone, \(zone)."))
        let response = try owner.post("/w/\(t.workspace.slug)/posts/\(id)/schedule", [("date", date), ("time", time)])
        let stored = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            """
            SELECT to_char(scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), scheduled_zone, status FROM posts WHERE id = $1
            """, [.int(id)])!
        guard let expected else {
            #expect(response.status == 422, "\(zone) \(date) \(time) does not exist")
            #expect(response.body.contains("does not exist on \(date) in \(zone)"))
            #expect(try stored.string(2) == "approved")
            return
        }
        #expect(response.status == 303)
        #expect(try stored.string(0) == expected, "\(zone) \(date) \(time)")
        #expect(try stored.string(1) == zone)
        #expect(try owner.get("/w/\(t.workspace.slug)/posts/\(id)").body.contains("\(date) \(time)"), "shown back at the time entered")
    }

    @Test func schedulingInThePastOrWithBadInputIsRefused() throws {
        let t = try team()
        let id = try Fixtures.post(t.workspace, author: t.editor, status: "approved", account: t.account)
        let owner = try Fixtures.browser(for: t.owner)
        try owner.get("/w/\(t.workspace.slug)/posts/\(id)")
        for (date, time, message) in [
            ("2001-01-01", "10:00", "Pick a time in the future."), ("tomorrow", "10:00", "Enter a date like"),
            ("2030-02-30", "10:00", "Enter a date like"), ("2030-01-01", "25:00", "Enter a time like"),
        ] {
            let response = try owner.post("/w/\(t.workspace.slug)/posts/\(id)/schedule", [("date", date), ("time", time)])
            #expect(response.status == 422, "\(date) \(time)")
            #expect(response.body.contains(message), "\(date) \(time)")
        }
        #expect(try Fixtures.postState(id)?.status == "approved")
    }

    @Test func schedulingPastThePlanLimitIsRefusedAtExactlyLimitPlusOne() throws {
        let t = try team()
        let allowed = try Fixtures.count("SELECT max_scheduled_posts FROM plans WHERE code = 'free'")
        for _ in 0..<(allowed - 1) { _ = try Fixtures.post(t.workspace, author: t.editor, status: "scheduled", account: t.account) }
        let owner = try Fixtures.browser(for: t.owner)
        let last = try Fixtures.post(t.workspace, author: t.editor, status: "approved", account: t.account)
        let over = try Fixtures.post(t.workspace, author: t.editor, status: "approved", account: t.account)
        try owner.get("/w/\(t.workspace.slug)/posts/\(last)")
        #expect(
            try owner.post("/w/\(t.workspace.slug)/posts/\(last)/schedule", [("date", "2031-01-01"), ("time", "10:00")]).status == 303,
            "the limit itself is fine")
        let refused = try owner.post("/w/\(t.workspace.slug)/posts/\(over)/schedule", [("date", "2031-01-01"), ("time", "11:00")])
        #expect(refused.status == 409)
        #expect(refused.body.contains("The Free plan allows \(allowed) scheduled posts"))
        #expect(try Fixtures.postState(over)?.status == "approved")
        // Rescheduling a post already scheduled takes no new slot.
        #expect(try owner.post("/w/\(t.workspace.slug)/posts/\(last)/schedule", [("date", "2031-01-02"), ("time", "10:00")]).status == 303)
    }

    @Test func searchFindsByStemRanksAndNeverCrossesWorkspaces() throws {
        let t = try team()
        let other = try team()
        _ = try Fixtures.post(t.workspace, author: t.editor, body: "We published the spring catalogue", title: "Catalogue")
        _ = try Fixtures.post(t.workspace, author: t.editor, body: "Publishing tips: publish often, published posts win", title: "Tips")
        _ = try Fixtures.post(t.workspace, author: t.editor, body: "Unrelated coffee news", title: "Coffee")
        _ = try Fixtures.post(other.workspace, author: other.editor, body: "Secret publishing plans of the other team", title: "Other team")
        let browser = try Fixtures.browser(for: t.owner)
        let results = try browser.get("/w/\(t.workspace.slug)/posts?q=publishing")
        #expect(results.status == 200)
        #expect(results.body.contains("Catalogue") && results.body.contains("Tips"))
        #expect(!results.body.contains("Coffee"))
        #expect(!results.body.contains("Other team") && !results.body.contains("Secret"))
        let tips = try #require(results.body.range(of: "Tips"))
        let catalogue = try #require(results.body.range(of: "Catalogue"))
        #expect(tips.lowerBound < catalogue.lowerBound, "more matches rank first")
        #expect(try browser.get("/w/\(t.workspace.slug)/posts?q=%22spring+catalogue%22").body.contains("Catalogue"))
        #expect(try browser.get("/w/\(t.workspace.slug)/posts?q=zeppelin").body.contains("No posts match"))
    }

    @Test func listFiltersCountsAndPagination() throws {
        let t = try team()
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let campaign = try admin.queryRow("INSERT INTO campaigns (workspace_id, name) VALUES ($1, 'Spring') RETURNING id", [.int(t.workspace.id)])!
            .int(0)
        for i in 1...30 {
            _ = try Fixtures.post(t.workspace, author: i % 2 == 0 ? t.editor : t.owner, status: i <= 3 ? "in_review" : "draft", body: "Post \(i)")
        }
        let inCampaign = try Fixtures.post(t.workspace, author: t.editor, body: "Campaign post", account: t.account)
        try admin.query("UPDATE posts SET campaign_id = $2 WHERE id = $1", [.int(inCampaign), .int(campaign)])
        let browser = try Fixtures.browser(for: t.reviewer)
        let all = try browser.get("/w/\(t.workspace.slug)/posts")
        #expect(all.body.contains("All <span class=\"count\">31</span>"))
        #expect(all.body.contains("In review <span class=\"count\">3</span>"))
        #expect(all.body.contains("Next →"))
        let page2 = try browser.get("/w/\(t.workspace.slug)/posts?page=2")
        #expect(page2.body.contains("Page 2") && page2.body.contains("← Previous"))
        let review = try browser.get("/w/\(t.workspace.slug)/posts?status=in_review")
        #expect(review.body.components(separatedBy: "<tr><td><a href=").count - 1 == 3)
        #expect(try browser.get("/w/\(t.workspace.slug)/posts?campaign=\(campaign)").body.contains("Campaign post"))
        #expect(try browser.get("/w/\(t.workspace.slug)/posts?channel=\(t.account)").body.components(separatedBy: "<tr><td><a href=").count - 1 == 1)
        #expect(try browser.get("/w/\(t.workspace.slug)/posts?author=\(t.owner.id)").body.components(separatedBy: "<tr><td><a href=").count - 1 == 15)
        for bad in ["status=gone", "campaign=abc", "page=-1", "page=99999999"] {
            #expect(try browser.get("/w/\(t.workspace.slug)/posts?\(bad)").status == 400, "\(bad)")
        }
    }

    /// The export streams its rows as PostgreSQL sends them: 3,000 posts with long bodies arrive
    /// whole, in the list's order, each once, and the program answers the next request as before.
    @Test func aLargeCsvExportStreamsEveryPostInOrder() throws {
        let t = try team()
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query(
            """
            INSERT INTO posts (workspace_id, author_id, title, body, status, created_at)
            SELECT $1, $2, 'Bulk ' || n, repeat('Streamed text, "quoted", ', 40) || n, 'draft', now() - n * interval '1 second'
            FROM generate_series(1, 3000) n
            """, [.int(t.workspace.id), .int(t.editor.id)])
        let browser = try Fixtures.browser(for: t.editor)
        let csv = try browser.get("/w/\(t.workspace.slug)/posts.csv")
        #expect(csv.status == 200)
        let rows = try CSV.parse(csv.body)
        let bulk = rows.dropFirst().filter { $0[1].hasPrefix("Bulk ") }
        #expect(bulk.count == 3000)
        #expect(bulk.map { $0[1] } == (1...3000).map { "Bulk \($0)" }, "newest first, each once")
        #expect(bulk.allSatisfy { $0[8].hasSuffix(String($0[1].dropFirst(5))) && $0[8].contains("\"quoted\"") })
        #expect(csv.body.utf8.count > 3000 * 1000)
        #expect(try browser.get("/w/\(t.workspace.slug)/posts").status == 200)
        // Another workspace's export is still a 404 before anything is streamed.
        let other = try Fixtures.workspace(owner: try Fixtures.user("Stranger"))
        #expect(try browser.get("/w/\(other.slug)/posts.csv").status == 404)
    }

    @Test func csvExportFollowsTheFilterAndImportChecksEveryRow() throws {
        let t = try team()
        _ = try Fixtures.post(t.workspace, author: t.editor, status: "in_review", body: "Quote \"this\", then =SUM(A1)", title: "=cmd")
        _ = try Fixtures.post(t.workspace, author: t.editor, body: "A draft")
        let browser = try Fixtures.browser(for: t.editor)
        let csv = try browser.get("/w/\(t.workspace.slug)/posts.csv?status=in_review")
        #expect(csv.status == 200)
        #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(csv.header("Content-Disposition")?.contains("\(t.workspace.slug)-posts.csv") == true)
        let rows = try CSV.parse(csv.body)
        #expect(rows.count == 2, "header + the one post in review")
        #expect(rows[1][1] == "'=cmd", "formulas defused")
        #expect(rows[1][8] == "Quote \"this\", then =SUM(A1)")

        func upload(_ text: String, importValid: Bool) throws -> HTTPResponse {
            try browser.get("/w/\(t.workspace.slug)/posts/import")
            let boundary = "HeraldBoundary\(UUID().uuidString.prefix(8))"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(browser.lastCSRF ?? "")\r\n"
            if importValid { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"import_valid\"\r\n\r\nyes\r\n" }
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"drafts.csv\"\r\nContent-Type: text/csv\r\n\r\n\(text)\r\n--\(boundary)--\r\n"
            let response = try HTTPClient.send(
                method: "POST", path: "/w/\(t.workspace.slug)/posts/import",
                headers: browser.cookieHeader() + [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                body: Array(body.utf8))
            return response
        }
        let file = "title,body,campaign,tags\nGood one,\"Body, with comma\",,news;launch\nBad,,,\nNo campaign,Text,Nope,\n"
        let before = try Fixtures.count("SELECT count(*) FROM posts WHERE workspace_id = $1", [.int(t.workspace.id)])
        let refused = try upload(file, importValid: false)
        #expect(refused.status == 422)
        #expect(refused.body.contains("2 of 3 rows have problems, so nothing was imported"))
        #expect(refused.body.contains("the body is empty") && refused.body.contains("there is no campaign named “Nope”"))
        #expect(try Fixtures.count("SELECT count(*) FROM posts WHERE workspace_id = $1", [.int(t.workspace.id)]) == before)
        let partial = try upload(file, importValid: true)
        #expect(partial.status == 200)
        #expect(partial.body.contains("Imported 1 draft and skipped 2 invalid rows."))
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM posts WHERE workspace_id = $1 AND title = 'Good one' AND body = 'Body, with comma' AND status = 'draft'",
                [.int(t.workspace.id)]) == 1)
        let broken = try upload("title,body\n\"unclosed,x\n", importValid: true)
        #expect(broken.status == 422)
        #expect(broken.body.contains("not valid CSV"))
    }

    @Test func campaignsAndBrandRulesPages() throws {
        let t = try team()
        let owner = try Fixtures.browser(for: t.owner)
        try owner.get("/w/\(t.workspace.slug)/campaigns")
        let created = try owner.post(
            "/w/\(t.workspace.slug)/campaigns", [("name", "Autumn"), ("status", "active"), ("starts_on", "2030-09-01"), ("ends_on", "2030-11-30")])
        #expect(created.status == 303)
        let duplicate = try owner.post("/w/\(t.workspace.slug)/campaigns", [("name", "autumn"), ("status", "active")])
        #expect(duplicate.status == 422)
        #expect(duplicate.body.contains("There is a campaign with this name already."))
        let backwards = try owner.post(
            "/w/\(t.workspace.slug)/campaigns", [("name", "Backwards"), ("starts_on", "2030-09-01"), ("ends_on", "2030-08-01")])
        #expect(backwards.body.contains("The end must not be before the start."))
        let campaignPath = String(try #require(created.header("Location")).split(separator: "?")[0])
        #expect(try owner.post(campaignPath + "/archive", []).status == 303)
        #expect(try owner.get(campaignPath).body.contains("archived"))

        try owner.get("/w/\(t.workspace.slug)/brand-rules")
        #expect(
            try owner.post("/w/\(t.workspace.slug)/brand-rules", [("kind", "banned_term"), ("text", "synergy"), ("severity", "block")]).status == 303)
        let bad = try owner.post("/w/\(t.workspace.slug)/brand-rules", [("kind", "max_hashtags"), ("text", "many")])
        #expect(bad.status == 422)
        #expect(bad.body.contains("Enter a number from 0 to 999."))
        let editor = try Fixtures.browser(for: t.editor)
        try editor.get("/w/\(t.workspace.slug)/brand-rules")
        #expect(try editor.post("/w/\(t.workspace.slug)/brand-rules", [("kind", "banned_term"), ("text", "nope")]).status == 403)
    }

    @Test func postsOfAnotherWorkspaceAreNotFound() throws {
        let mine = try team()
        let theirs = try team()
        let secret = try Fixtures.post(theirs.workspace, author: theirs.editor, status: "in_review", body: "Their secret", account: theirs.account)
        let browser = try Fixtures.browser(for: mine.owner)
        for path in ["/posts/\(secret)", "/posts/\(secret)/edit"] {
            #expect(try browser.get("/w/\(mine.workspace.slug)\(path)").status == 404, "\(path)")
            #expect(try browser.get("/w/\(theirs.workspace.slug)\(path)").status == 404, "\(path)")
        }
        try browser.get("/w/\(mine.workspace.slug)/")
        for action in ["approve", "reject", "submit", "delete", "unschedule"] {
            #expect(try browser.post("/w/\(mine.workspace.slug)/posts/\(secret)/\(action)", [("comment", "x")]).status == 404, "\(action)")
        }
        #expect(try Fixtures.postState(secret)?.status == "in_review")
    }
}
