// The web side of publishing, through nginx (no worker runs: jobs stay as the pages left them):
// scheduling queues one job per channel, rescheduling, unscheduling, editing and deleting cancel
// them, a post being published cannot be touched, and the publishing page's actions (retry, cancel,
// "it is live") happen once, only in their own workspace and only for those who may schedule.
import Foundation
import Testing

@testable import HeraldDatabase
@testable import HeraldIdentity

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct PublishingPagesTests {
    struct Team {
        let owner: Fixtures.User, editor: Fixtures.User, viewer: Fixtures.User
        let workspace: Fixtures.Workspace
        let mastodon: Int, bluesky: Int
        var base: String { "/w/\(workspace.slug)" }
    }

    func team(ownerZone: String = "UTC") throws -> Team {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let viewer = try Fixtures.user("Viewer")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor), (viewer, .viewer)])
        try admin().query("UPDATE users SET time_zone = $2 WHERE id = $1", [.int(owner.id), .text(ownerZone)])
        return Team(
            owner: owner, editor: editor, viewer: viewer, workspace: w,
            mastodon: try Fixtures.account(w, platform: "mastodon", handle: "@team@social.example"),
            bluesky: try Fixtures.account(w, platform: "bluesky", handle: "team.bsky.social"))
    }

    func admin() throws -> Connection { try TestEnvironment.connectSuperuser(database: "herald") }

    /// A post in `status` going to both of the team's channels; returns it and its targets (mastodon's first).
    func post(_ t: Team, status: String, title: String = "Launch day") throws -> (id: Int, targets: [Int]) {
        let id = try Fixtures.post(t.workspace, author: t.editor, status: status, title: title, account: t.mastodon)
        try admin().query(
            "INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ($1, $2, $3)",
            [.int(t.workspace.id), .int(id), .int(t.bluesky)])
        return (id, try targets(id).map(\.id))
    }

    struct StoredTarget {
        let id: Int, account: Int, status: String, attempts: Int
        let lastError: String?, externalID: String?, externalURL: String?
    }

    func targets(_ post: Int) throws -> [StoredTarget] {
        try admin().query(
            """
            SELECT t.id, t.social_account_id, t.status, t.attempts, t.last_error, t.external_post_id, t.external_url
            FROM post_targets t JOIN social_accounts a ON a.id = t.social_account_id WHERE t.post_id = $1 ORDER BY a.platform DESC
            """, [.int(post)]
        ).rows.map {
            StoredTarget(
                id: try $0.int(0), account: try $0.int(1), status: try $0.string(2), attempts: try $0.int(3), lastError: $0.optionalString(4),
                externalID: $0.optionalString(5), externalURL: $0.optionalString(6))
        }
    }

    struct StoredJob: Equatable {
        let key: String, runAt: String, post: String, target: String, version: String, account: String, serialKey: String?
    }

    /// The post's publish jobs in `status`, by key.
    func jobs(_ post: Int, status: String = "queued") throws -> [StoredJob] {
        try admin().query(
            """
            SELECT idempotency_key, to_char(run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), payload->>'post', payload->>'target',
                   payload->>'version', payload->>'account', serial_key
            FROM jobs WHERE kind = 'publish_post_target' AND (payload->>'post')::bigint = $1 AND status = $2 ORDER BY idempotency_key
            """, [.int(post), .text(status)]
        ).rows.map {
            StoredJob(
                key: try $0.string(0), runAt: try $0.string(1), post: try $0.string(2), target: try $0.string(3), version: try $0.string(4),
                account: try $0.string(5), serialKey: $0.optionalString(6))
        }
    }

    /// Schedules the post through its page; returns the response.
    func schedule(_ t: Team, _ post: Int, _ browser: Browser, date: String = "2031-05-04", time: String = "09:15") throws -> HTTPResponse {
        try browser.get("\(t.base)/posts/\(post)")
        return try browser.post("\(t.base)/posts/\(post)/schedule", [("date", date), ("time", time)])
    }

    /// The jobs scheduling should have made: one per target, keyed by target and version, due at `runAt`.
    func expectedJobs(_ post: Int, _ targets: [StoredTarget], version: Int, runAt: String) -> [StoredJob] {
        targets.map {
            StoredJob(
                key: "post_target:\($0.id):v\(version)", runAt: runAt, post: String(post), target: String($0.id), version: String(version),
                account: String($0.account), serialKey: "account:\($0.account)")
        }.sorted { $0.key < $1.key }
    }

    @Test func schedulingQueuesOneJobPerChannelAndReschedulingReplacesThem() throws {
        let t = try team()
        let (id, _) = try post(t, status: "approved")
        let owner = try Fixtures.browser(for: t.owner)
        #expect(try schedule(t, id, owner).status == 303)
        let first = try #require(try Fixtures.postState(id))
        #expect(first.status == "scheduled")
        let stored = try targets(id)
        #expect(try jobs(id) == expectedJobs(id, stored, version: first.version, runAt: "2031-05-04T09:15:00Z"))
        #expect(stored.allSatisfy { $0.status == "pending" && $0.attempts == 0 })
        #expect(try owner.get("\(t.base)/posts/\(id)").body.contains("<span class=\"badge info\">Pending</span>"))

        // A failed earlier try is forgotten by a new schedule.
        try admin().query("UPDATE post_targets SET attempts = 2, last_error = 'timeout', request_key = 'k1' WHERE post_id = $1", [.int(id)])
        #expect(try schedule(t, id, owner, date: "2031-05-05", time: "18:00").status == 303)
        let second = try #require(try Fixtures.postState(id))
        #expect(second.version > first.version)
        #expect(try jobs(id) == expectedJobs(id, stored, version: second.version, runAt: "2031-05-05T18:00:00Z"))
        #expect(try jobs(id, status: "canceled") == expectedJobs(id, stored, version: first.version, runAt: "2031-05-04T09:15:00Z"))
        #expect(try targets(id).allSatisfy { $0.status == "pending" && $0.attempts == 0 && $0.lastError == nil })
        #expect(try Fixtures.count("SELECT count(*) FROM post_targets WHERE post_id = $1 AND request_key IS NOT NULL", [.int(id)]) == 0)
    }

    @Test func unschedulingEditingAndDeletingCancelTheQueuedJobs() throws {
        let t = try team()
        let owner = try Fixtures.browser(for: t.owner)
        let unscheduled = try post(t, status: "approved", title: "To unschedule").id
        let edited = try post(t, status: "approved", title: "To edit").id
        let deleted = try post(t, status: "approved", title: "To delete").id
        for id in [unscheduled, edited, deleted] {
            #expect(try schedule(t, id, owner).status == 303)
            #expect(try jobs(id).count == 2)
        }
        try admin().query("UPDATE post_targets SET attempts = 1, last_error = 'timeout' WHERE post_id = $1", [.int(edited)])

        #expect(try owner.post("\(t.base)/posts/\(unscheduled)/unschedule", []).status == 303)
        #expect(try Fixtures.postState(unscheduled)?.status == "approved")
        #expect(try jobs(unscheduled).isEmpty)
        #expect(try jobs(unscheduled, status: "canceled").count == 2)
        #expect(try targets(unscheduled).allSatisfy { $0.status == "pending" })

        let version = try #require(try Fixtures.postState(edited)).version
        try owner.get("\(t.base)/posts/\(edited)/edit")
        let saved = try owner.post(
            "\(t.base)/posts/\(edited)/edit",
            [("version", String(version)), ("title", "Edited"), ("body", "New text"), ("target", String(t.mastodon)), ("target", String(t.bluesky))])
        #expect(saved.status == 303)
        #expect(try Fixtures.postState(edited)?.status == "draft")
        #expect(try jobs(edited).isEmpty)
        #expect(try targets(edited).allSatisfy { $0.status == "pending" && $0.attempts == 0 && $0.lastError == nil })

        try owner.get("\(t.base)/posts/\(deleted)")
        #expect(try owner.post("\(t.base)/posts/\(deleted)/delete", []).status == 303)
        #expect(try Fixtures.postState(deleted) == nil)
        #expect(try jobs(deleted).isEmpty)
        #expect(try jobs(deleted, status: "canceled").count == 2)
    }

    @Test func aPostWithoutChannelsCannotBeScheduled() throws {
        let t = try team()
        let id = try Fixtures.post(t.workspace, author: t.editor, status: "approved")
        let owner = try Fixtures.browser(for: t.owner)
        let refused = try schedule(t, id, owner)
        #expect(refused.status == 422)
        #expect(refused.body.contains("Choose at least one channel before scheduling."))
        #expect(refused.body.contains("name=\"date\" type=\"date\" value=\"2031-05-04\""), "the form keeps what was entered")
        #expect(try Fixtures.postState(id)?.status == "approved")
        #expect(try Fixtures.count("SELECT count(*) FROM jobs WHERE workspace_id = $1", [.int(t.workspace.id)]) == 0)
    }

    @Test func aPostBeingPublishedCannotBeTouched() throws {
        let t = try team()
        let owner = try Fixtures.browser(for: t.owner)
        let (id, _) = try post(t, status: "approved")
        #expect(try schedule(t, id, owner).status == 303)
        let before = try #require(try Fixtures.postState(id))
        try admin().query("UPDATE posts SET status = 'publishing' WHERE id = $1", [.int(id)])
        try owner.get("\(t.base)/posts/\(id)")
        let attempts: [(String, [(String, String)])] = [
            ("edit", [("version", String(before.version)), ("body", "Changed"), ("target", String(t.mastodon))]),
            ("unschedule", []), ("delete", []), ("schedule", [("date", "2031-06-01"), ("time", "10:00")]),
        ]
        for (action, fields) in attempts {
            let response = try owner.post("\(t.base)/posts/\(id)/\(action)", fields)
            #expect(response.status == 409, "\(action)")
            #expect(response.body.contains("being published now"), "\(action)")
        }
        #expect(try Fixtures.postState(id)?.status == "publishing")
        #expect(try jobs(id).count == 2, "its sends stay queued")

        // Still scheduled, but the worker took one of its targets: rescheduling would send it twice.
        let (other, otherTargets) = try post(t, status: "approved", title: "Other")
        #expect(try schedule(t, other, owner).status == 303)
        try admin().query("UPDATE post_targets SET status = 'publishing', sending_since = now() WHERE id = $1", [.int(otherTargets[0])])
        let refused = try schedule(t, other, owner, date: "2031-07-01", time: "08:00")
        #expect(refused.status == 409)
        #expect(refused.body.contains("being published now"))
        #expect(try jobs(other).count == 2)
    }

    @Test func thePublishingPageListsFailuresAndRetryQueuesOneJobHoweverOftenItIsPressed() throws {
        let t = try team(ownerZone: "Europe/Berlin")
        let (id, targetIDs) = try post(t, status: "failed", title: "Spring sale")
        try admin().query(
            """
            UPDATE post_targets SET status = 'failed', attempts = 3, last_error = 'Mastodon said: <b>422</b> text too long'
            WHERE post_id = $1
            """, [.int(id)])
        let failed = targetIDs[0]
        let owner = try Fixtures.browser(for: t.owner)
        let page = try owner.get("\(t.base)/publishing")
        #expect(page.status == 200)
        #expect(page.body.contains("Spring sale") && page.body.contains("@team@social.example"))
        #expect(page.body.contains("Mastodon said: &lt;b&gt;422&lt;/b&gt; text too long"), "the error, escaped")
        #expect(page.body.contains("action=\"\(t.base)/publishing/\(failed)/retry\""))
        #expect(page.body.contains("Retry now"))

        let first = try owner.post("\(t.base)/publishing/\(failed)/retry", [])
        #expect(first.status == 303)
        #expect(first.header("Location")?.hasSuffix("/publishing?notice=sending-now") == true)
        let second = try owner.post("\(t.base)/publishing/\(failed)/retry", [])
        #expect(second.status == 303, "a second press is harmless")
        let version = try #require(try Fixtures.postState(id)).version
        let queued = try jobs(id)
        #expect(queued.count == 1)
        #expect(queued.first?.key == "post_target:\(failed):retry3")
        #expect(queued.first?.target == String(failed) && queued.first?.version == String(version))
        #expect(try Fixtures.count("SELECT count(*) FROM jobs WHERE (payload->>'post')::bigint = $1 AND run_at <= now()", [.int(id)]) == 1)
        let stored = try targets(id)
        #expect(stored[0].status == "pending" && stored[0].lastError?.contains("text too long") == true, "pending again, the error kept")
        #expect(stored[1].status == "failed")
        #expect(try Fixtures.postState(id)?.status == "publishing")
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM audit_events WHERE target_type = 'post' AND target_id = $1 AND action = 'post.send_retried'", [.int(id)]) == 1)

        // The post's page shows each channel's send: status, attempts, next retry in the viewer's zone, last error.
        try admin().query("UPDATE post_targets SET next_attempt_at = '2031-01-01T12:00:00Z' WHERE id = $1", [.int(targetIDs[1])])
        let show = try owner.get("\(t.base)/posts/\(id)")
        #expect(show.body.contains("<span class=\"badge danger\">Failed</span>"))
        #expect(show.body.contains("2031-01-01 13:00"), "12:00 UTC in Berlin")
        #expect(show.body.contains("<td>3</td>"))
    }

    @Test func cancelingTheLastChannelSendsThePostBackToApproved() throws {
        let t = try team()
        let owner = try Fixtures.browser(for: t.owner)
        let (id, targetIDs) = try post(t, status: "approved")
        #expect(try schedule(t, id, owner).status == 303)
        let page = try owner.get("\(t.base)/publishing")
        #expect(page.body.contains("Launch day") && page.body.contains("2031-05-04 09:15"))

        #expect(try owner.post("\(t.base)/publishing/\(targetIDs[0])/cancel", []).status == 303)
        #expect(try targets(id).map(\.status) == ["canceled", "pending"])
        #expect(try jobs(id).map(\.target) == [String(targetIDs[1])])
        #expect(try Fixtures.postState(id)?.status == "scheduled", "the other channel still goes out")
        #expect(try owner.post("\(t.base)/publishing/\(targetIDs[0])/cancel", []).status == 409, "canceled already")

        #expect(try owner.post("\(t.base)/publishing/\(targetIDs[1])/cancel", []).status == 303)
        let row = try admin().queryRow("SELECT status, scheduled_at IS NULL, scheduled_zone IS NULL FROM posts WHERE id = $1", [.int(id)])!
        #expect(try row.string(0) == "approved")
        #expect(try row.bool(1) && row.bool(2))
        #expect(try jobs(id).isEmpty)
        // Scheduled again, every channel goes out again.
        #expect(try schedule(t, id, owner, date: "2031-06-01", time: "10:00").status == 303)
        #expect(try jobs(id).count == 2)
    }

    @Test func markingAnUnconfirmedSendLiveTakesOnlyAWebAddress() throws {
        let t = try team()
        let (id, targetIDs) = try post(t, status: "publishing")
        try admin().query(
            "UPDATE post_targets SET status = 'published', external_post_id = '111', published_at = now() WHERE id = $1", [.int(targetIDs[1])])
        try admin().query("UPDATE post_targets SET status = 'unconfirmed', attempts = 1 WHERE id = $1", [.int(targetIDs[0])])
        let owner = try Fixtures.browser(for: t.owner)
        let page = try owner.get("\(t.base)/publishing")
        #expect(page.body.contains("It is live: here is its URL"))
        let path = "\(t.base)/publishing/\(targetIDs[0])/live"
        for bad in [
            "", "javascript:alert(1)", "ftp://files.example/post", "https://", "https://social.example/a b",
            "https://x.example/" + String(repeating: "a", count: 2040),
        ] {
            let refused = try owner.post(path, [("url", bad)])
            #expect(refused.status == 422, "\(bad.prefix(40))")
            #expect(refused.body.contains("class=\"error\" id=\"url-\(targetIDs[0])-error\""), "\(bad.prefix(40))")
        }
        #expect(try targets(id)[0].status == "unconfirmed")
        #expect(try Fixtures.postState(id)?.status == "publishing")

        let live = "https://social.example/@team/1234?ref=\"<b>"
        #expect(try owner.post(path, [("url", live)]).status == 303)
        let stored = try targets(id)[0]
        #expect(stored.status == "published" && stored.externalURL == live && stored.externalID == "manual-\(targetIDs[0])")
        #expect(try Fixtures.postState(id)?.status == "published")
        #expect(try owner.get("\(t.base)/posts/\(id)").body.contains("href=\"https://social.example/@team/1234?ref=&quot;&lt;b&gt;\""))
        #expect(try owner.post(path, [("url", live)]).status == 409, "published already")
    }

    /// An unconfirmed send is never sent again blindly: "Check again" queues one reconcile job.
    @Test func checkingAnUnconfirmedSendAgainQueuesOneReconcile() throws {
        let t = try team()
        let (id, targetIDs) = try post(t, status: "publishing")
        try admin().query("UPDATE post_targets SET status = 'unconfirmed', attempts = 1 WHERE id = $1", [.int(targetIDs[0])])
        let owner = try Fixtures.browser(for: t.owner)
        #expect(try owner.get("\(t.base)/publishing").body.contains("Check again"))
        for _ in 0..<2 { #expect(try owner.post("\(t.base)/publishing/\(targetIDs[0])/retry", []).status == 303) }
        let reconciles = try admin().query(
            """
            SELECT idempotency_key FROM jobs
            WHERE kind = 'reconcile_post_target' AND (payload ->> 'target')::bigint = $1 AND status = 'queued'
            """, [.int(targetIDs[0])]
        ).rows.map { try $0.string(0) }
        #expect(reconciles == ["reconcile:\(targetIDs[0]):manual1"])
        #expect(try jobs(id).isEmpty, "no publish job: nothing is sent before the platform is asked")
        #expect(try targets(id)[0].status == "unconfirmed")
    }

    @Test func anotherWorkspacesTargetIsNotFound() throws {
        let t = try team()
        let other = try team()
        let (id, targetIDs) = try post(other, status: "failed")
        try admin().query("UPDATE post_targets SET status = 'failed' WHERE post_id = $1", [.int(id)])
        try admin().query("UPDATE post_targets SET status = 'unconfirmed' WHERE id = $1", [.int(targetIDs[1])])
        let owner = try Fixtures.browser(for: t.owner)
        try owner.get("\(t.base)/publishing")
        for (action, target) in [("retry", targetIDs[0]), ("cancel", targetIDs[0]), ("live", targetIDs[1])] {
            #expect(try owner.post("\(t.base)/publishing/\(target)/\(action)", [("url", "https://x.example/1")]).status == 404, "\(action)")
        }
        #expect(try targets(id).map(\.status) == ["failed", "unconfirmed"])
        #expect(try jobs(id).isEmpty)
        #expect(!(try owner.get("\(t.base)/publishing").body.contains(other.workspace.slug)))
    }

    @Test func aViewerSeesThePageButCannotAct() throws {
        let t = try team()
        let (id, targetIDs) = try post(t, status: "failed", title: "Viewer sees this")
        try admin().query("UPDATE post_targets SET status = 'failed' WHERE post_id = $1", [.int(id)])
        let viewer = try Fixtures.browser(for: t.viewer)
        let page = try viewer.get("\(t.base)/publishing")
        #expect(page.status == 200)
        #expect(page.body.contains("Viewer sees this"))
        #expect(!page.body.contains("Retry now"), "no buttons for a viewer")
        for action in ["retry", "cancel", "live"] {
            #expect(try viewer.post("\(t.base)/publishing/\(targetIDs[0])/\(action)", [("url", "https://x.example/1")]).status == 403, "\(action)")
        }
        #expect(try targets(id).allSatisfy { $0.status == "failed" })
        #expect(try jobs(id).isEmpty)
    }

    @Test func theDashboardCountsWhatNeedsAttention() throws {
        let t = try team()
        let (id, targetIDs) = try post(t, status: "publishing")
        try admin().query("UPDATE post_targets SET status = 'failed' WHERE id = $1", [.int(targetIDs[0])])
        try admin().query("UPDATE post_targets SET status = 'unconfirmed' WHERE post_id = $1 AND id = $2", [.int(id), .int(targetIDs[1])])
        let dashboard = try Fixtures.browser(for: t.viewer).get("\(t.base)/")
        #expect(dashboard.status == 200)
        // One failed send, one to confirm, and both fixture channels need reconnecting.
        #expect(dashboard.body.contains("Needs attention <span class=\"badge danger\">4</span>"))
        #expect(dashboard.body.contains("<a href=\"\(t.base)/publishing\">1 send failed</a>"))
        #expect(dashboard.body.contains("<a href=\"\(t.base)/publishing\">1 send to confirm</a>"))
        #expect(dashboard.body.contains("<a href=\"\(t.base)/channels\">2 channels need reconnecting</a>"))
    }
}
