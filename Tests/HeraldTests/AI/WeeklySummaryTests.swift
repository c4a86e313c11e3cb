// The weekly summary end to end, with real herald-worker processes: the maintenance thread queues
// each workspace's due week in its own zone (once, whatever the number of workers); a week's numbers
// (a DST week in New York, with posts and snapshots on both sides of its edges) equal direct queries
// over the raw data; the summary is written and mailed to the owner once, however often it is
// queued; the model's words come first and are escaped on the dashboard; without a model, or with
// one that keeps failing, the summary is the numbers alone.
import Foundation
import Glibc
import Testing

@testable import HeraldDatabase
@testable import HeraldQueue

extension VaultDatabaseTests {
    /// Inside the serialized suite of the other worker tests, so no other test's worker claims these
    /// jobs (a worker claims every workspace's) with settings these tests did not choose.
    @Suite struct WeeklySummaryTests {
        static func admin() throws -> Connection { try TestEnvironment.connectSuperuser(database: "herald") }

        /// A worker with no language model, whatever the test stack configures.
        static let noModel = ["HERALD_AI_BASE_URL": "", "HERALD_AI_API_KEY": ""]

        // MARK: - The due week

        /// The Monday the worker summarizes at `now` in `zone`: that of the week before the one in
        /// which the local wall-clock time minus 6 hours falls; and whether `now` is within five
        /// minutes of the moment that changes (a test then skips the zone rather than race it).
        static func dueWeek(zone: String, now: Date) -> (week: String, nearChange: Bool) {
            var local = Calendar(identifier: .gregorian)
            local.timeZone = TimeZone(identifier: zone)!
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            // The wall-clock time as a floating time (read in UTC), so the arithmetic is on the clock face.
            let wall = utc.date(from: local.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now))!
            let shifted = wall.addingTimeInterval(-6 * 3600)
            let weekday = utc.component(.weekday, from: shifted)  // 1 = Sunday … 2 = Monday
            let monday = utc.startOfDay(for: shifted).addingTimeInterval(-Double((weekday + 5) % 7) * 86400)
            let due = monday.addingTimeInterval(-7 * 86400)
            let sinceChange = shifted.timeIntervalSince(monday)
            let format = DateFormatter()
            format.calendar = utc
            format.timeZone = utc.timeZone
            format.locale = Locale(identifier: "en_US_POSIX")
            format.dateFormat = "yyyy-MM-dd"
            return (format.string(from: due), sinceChange < 300 || sinceChange > 7 * 86400 - 300)
        }

        @Test func theDueWeekAtItsEdges() {
            let berlin = "Europe/Berlin"
            func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
            // Monday 2026-11-23, 05:59 and 06:00 in Berlin (UTC+1).
            #expect(Self.dueWeek(zone: berlin, now: at("2026-11-23T04:59:00Z")).week == "2026-11-09")
            #expect(Self.dueWeek(zone: berlin, now: at("2026-11-23T05:00:00Z")).week == "2026-11-16")
            // Sunday night, still the week before last; Tuesday, the week that ended.
            #expect(Self.dueWeek(zone: berlin, now: at("2026-11-22T22:00:00Z")).week == "2026-11-09")
            #expect(Self.dueWeek(zone: berlin, now: at("2026-11-24T12:00:00Z")).week == "2026-11-16")
            // The same instant is Monday 06:30 in Auckland (UTC+13) and Sunday 07:30 in Honolulu.
            #expect(Self.dueWeek(zone: "Pacific/Auckland", now: at("2026-11-22T17:30:00Z")).week == "2026-11-16")
            #expect(Self.dueWeek(zone: "Pacific/Honolulu", now: at("2026-11-22T17:30:00Z")).week == "2026-11-09")
        }

        @Test func eachWorkspaceIsQueuedItsDueWeekOnceInItsOwnZone() throws {
            let admin = try Self.admin()
            let zones = ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "America/St_Johns", "Europe/Berlin", "UTC"]
            var expected: [(workspace: Fixtures.Workspace, owner: Fixtures.User, week: String)] = []
            for zone in zones {
                let owner = try Fixtures.user("Owner")
                let w = try Fixtures.workspace(owner: owner)
                try admin.query(
                    "UPDATE workspaces SET time_zone = $2, created_at = now() - interval '30 days' WHERE id = $1", [.int(w.id), .text(zone)])
                let due = Self.dueWeek(zone: zone, now: Date())
                if !due.nearChange { expected.append((w, owner, due.week)) }
            }
            // Made now: the due week ended before it existed, so nothing is queued for it.
            let fresh = try Fixtures.workspace(owner: try Fixtures.user("Owner"))

            // Two workers, both queueing as they start: one job per workspace.
            let workers = try (0..<2).map { _ in try WorkerProcess(environment: Self.noModel) }
            defer { for worker in workers { worker.stop() } }
            let deadline = Date().addingTimeInterval(30)
            for (w, _, _) in expected {
                while try Fixtures.count("SELECT count(*) FROM jobs WHERE workspace_id = $1 AND kind = 'weekly_summary'", [.int(w.id)]) == 0 {
                    if Date() > deadline { throw TestFailure("no weekly summary was queued for \(w.slug)") }
                    usleep(100_000)
                }
            }
            for (w, owner, week) in expected {
                let jobs = try admin.query(
                    "SELECT idempotency_key, payload ->> 'week_start' FROM jobs WHERE workspace_id = $1 AND kind = 'weekly_summary'",
                    [.int(w.id)]
                ).rows.map { (try $0.string(0), try $0.string(1)) }
                #expect(jobs.count == 1, "\(jobs)")
                #expect(jobs.first?.0 == "weekly:\(w.id):\(week)")
                #expect(jobs.first?.1 == week)
                // It runs: a (quiet) week written and mailed to the owner.
                let job = try admin.queryRow("SELECT id FROM jobs WHERE workspace_id = $1 AND kind = 'weekly_summary'", [.int(w.id)])!.int(0)
                #expect(try Self.waitForJob(job) == "done")
                #expect(
                    try Fixtures.count(
                        "SELECT count(*) FROM weekly_summaries WHERE workspace_id = $1 AND week_start = $2::date", [.int(w.id), .text(week)]) == 1)
                #expect(
                    try Fixtures.count(
                        "SELECT count(*) FROM outbox_emails WHERE recipient = $1 AND subject LIKE 'Herald: your week of %'", [.text(owner.email)])
                        == 1)
            }
            #expect(try Fixtures.count("SELECT count(*) FROM jobs WHERE workspace_id = $1 AND kind = 'weekly_summary'", [.int(fresh.id)]) == 0)
        }

        // MARK: - A week's numbers

        struct Team {
            let owner: Fixtures.User
            let others: [Fixtures.User]
            let workspace: Fixtures.Workspace
            let mastodon: Int
            let x: Int
            var base: String { "/w/\(workspace.slug)" }
        }

        /// The week of Monday 2026-03-02 in New York: 00:00 EST (05:00Z) to Monday 2026-03-09 00:00
        /// EDT (04:00Z); the clocks went forward on the Sunday.
        static let week = "2026-03-02"
        static let start = "2026-03-02T05:00:00Z"
        static let end = "2026-03-09T04:00:00Z"

        /// A workspace in New York with posts published in, before and after the week, snapshots in
        /// and around it, failed sends in and after it, and an idle revoked channel.
        func team() throws -> Team {
            let admin = try Self.admin()
            let owner = try Fixtures.user("Owner")
            let others = try ["Admin", "Editor", "Viewer"].map { try Fixtures.user($0) }
            let w = try Fixtures.workspace(owner: owner, members: [(others[0], .admin), (others[1], .editor), (others[2], .viewer)])
            try admin.query("UPDATE workspaces SET time_zone = 'America/New_York' WHERE id = $1", [.int(w.id)])
            let mastodon = try Fixtures.account(w, platform: "mastodon", handle: "@weekly")
            let x = try Fixtures.account(w, platform: "x", handle: "@weekly")
            let revoked = try Fixtures.account(w, platform: "reddit", handle: "u/quiet")
            try admin.query("UPDATE social_accounts SET status = 'revoked' WHERE id = $1", [.int(revoked)])

            func published(_ account: Int, _ at: String, _ title: String, _ snapshots: [(String, [Int?])]) throws {
                let (_, target) = try AnalyticsSupport.publishedTarget(w, author: owner, account: account, publishedAt: at, title: title)
                for (time, counters) in snapshots { try AnalyticsSupport.record(w.id, target, at: time, counters, on: admin) }
            }
            // views, likes, comments, shares, clicks, quotes, saves, score
            try published(
                mastodon, "2026-03-02T05:30:00Z", "Monday morning",
                [
                    ("2026-03-02T06:00:00Z", [nil, 5, 1, 0, nil, nil, nil, nil]), ("2026-03-05T12:00:00Z", [nil, 12, 3, 0, nil, nil, nil, nil]),
                    ("2026-03-10T12:00:00Z", [nil, 20, 4, 0, nil, nil, nil, nil]),
                ])
            // Sunday 01:30 EST, before the clocks go forward.
            try published(
                mastodon, "2026-03-08T06:30:00Z", "Sunday night",
                [("2026-03-08T08:00:00Z", [nil, 2, 0, 1, nil, nil, nil, nil]), ("2026-03-09T03:45:00Z", [nil, 4, 0, 1, nil, nil, nil, nil])])
            // Sunday 23:30 EDT: in the week; its second snapshot is after it.
            try published(
                x, "2026-03-09T03:30:00Z", "Last thing on Sunday <b>bold</b>",
                [("2026-03-09T03:50:00Z", [50, 1, 0, 0, nil, 1, 1, nil]), ("2026-03-09T04:10:00Z", [80, 3, 0, 0, nil, nil, nil, nil])])
            // Monday 00:30 EDT: the next week.
            try published(x, "2026-03-09T04:30:00Z", "Next week", [("2026-03-09T05:00:00Z", [10, 100, 0, 0, nil, nil, nil, nil])])
            // Sunday 23:30 EST before the week: not published in it, but what it gained in it counts.
            try published(
                x, "2026-03-02T04:30:00Z", "Week before",
                [("2026-03-02T04:45:00Z", [500, 10, 0, 0, nil, nil, nil, nil]), ("2026-03-03T10:00:00Z", [700, 15, 0, 0, nil, nil, nil, nil])])
            // A send that failed in the week and one that failed after it.
            for (account, at) in [(mastodon, "2026-03-04T12:00:00Z"), (x, "2026-03-09T04:30:00Z")] {
                let post = try Fixtures.post(w, author: owner, status: "failed", body: "Failed send", account: account)
                try admin.query(
                    "UPDATE post_targets SET status = 'failed', last_error = 'refused', updated_at = $2::timestamptz WHERE post_id = $1",
                    [.int(post), .text(at)])
            }
            return Team(owner: owner, others: others, workspace: w, mastodon: mastodon, x: x)
        }

        struct Direct: Equatable {
            var published: [Int: Int] = [:]
            var failed: [Int: Int] = [:]
            var engagement: [Int: Int] = [:]
            var views: [Int: Int] = [:]
            var top: [(post: Int, engagement: Int)] = []

            static func == (a: Direct, b: Direct) -> Bool {
                a.published == b.published && a.failed == b.failed && a.engagement == b.engagement && a.views == b.views
                    && a.top.map(\.post) == b.top.map(\.post) && a.top.map(\.engagement) == b.top.map(\.engagement)
            }
        }

        /// The week's numbers straight from the raw tables in UTC instants: targets by their times, and
        /// growth as the last snapshot before the end minus the last before the start, per target.
        func direct(_ t: Team) throws -> Direct {
            let admin = try Self.admin()
            let params: [SQLValue] = [.int(t.workspace.id), .text(Self.start), .text(Self.end)]
            var d = Direct()
            for r in try admin.query(
                """
                SELECT social_account_id, count(*) FILTER (WHERE status = 'published' AND published_at >= $2::timestamptz AND published_at < $3::timestamptz),
                       count(*) FILTER (WHERE status = 'failed' AND updated_at >= $2::timestamptz AND updated_at < $3::timestamptz)
                FROM post_targets WHERE workspace_id = $1 GROUP BY 1
                """, params
            ).rows {
                d.published[try r.int(0)] = try r.int(1)
                d.failed[try r.int(0)] = try r.int(2)
            }
            let engagement =
                "coalesce(m.likes, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0) + coalesce(m.quotes, 0) + coalesce(m.saves, 0) + coalesce(m.score, 0)"
            for r in try admin.query(
                """
                WITH value_at AS (
                    SELECT t.social_account_id AS account,
                           (SELECT \(engagement) FROM post_metrics m WHERE m.post_target_id = t.id AND m.captured_at < $3::timestamptz
                            ORDER BY m.captured_at DESC LIMIT 1) AS e_end,
                           (SELECT \(engagement) FROM post_metrics m WHERE m.post_target_id = t.id AND m.captured_at < $2::timestamptz
                            ORDER BY m.captured_at DESC LIMIT 1) AS e_start,
                           (SELECT m.views FROM post_metrics m WHERE m.post_target_id = t.id AND m.captured_at < $3::timestamptz
                            ORDER BY m.captured_at DESC LIMIT 1) AS v_end,
                           (SELECT m.views FROM post_metrics m WHERE m.post_target_id = t.id AND m.captured_at < $2::timestamptz
                            ORDER BY m.captured_at DESC LIMIT 1) AS v_start
                    FROM post_targets t WHERE t.workspace_id = $1)
                SELECT account, sum(coalesce(e_end, 0) - coalesce(e_start, 0)), sum(v_end - coalesce(v_start, 0))
                FROM value_at GROUP BY account
                """, params
            ).rows {
                d.engagement[try r.int(0)] = try r.int(1)
                if let views = try r.optionalInt(2) { d.views[try r.int(0)] = views }
            }
            d.top = try admin.query(
                """
                SELECT t.post_id, sum(coalesce(l.likes, 0) + coalesce(l.comments, 0) + coalesce(l.shares, 0) + coalesce(l.quotes, 0)
                                     + coalesce(l.saves, 0) + coalesce(l.score, 0))
                FROM post_targets t JOIN post_metrics_latest l ON l.post_target_id = t.id
                WHERE t.workspace_id = $1 AND t.status = 'published' AND t.published_at >= $2::timestamptz AND t.published_at < $3::timestamptz
                GROUP BY t.post_id ORDER BY 2 DESC LIMIT 3
                """, params
            ).rows.map { (try $0.int(0), try $0.int(1)) }
            return d
        }

        /// The stored numbers, read the same way.
        func stored(_ t: Team) throws -> (direct: Direct, json: [String: Any]) {
            let text = try Self.admin().queryRow(
                "SELECT numbers::text FROM weekly_summaries WHERE workspace_id = $1 AND week_start = $2::date",
                [.int(t.workspace.id), .text(Self.week)])!.string(0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let ids = ["mastodon": t.mastodon, "x": t.x]
            var d = Direct()
            for channel in json["channels"] as? [[String: Any]] ?? [] {
                let id = try #require(ids[channel["platform"] as? String ?? ""], "an unexpected channel: \(channel)")
                d.published[id] = channel["published"] as? Int
                d.failed[id] = channel["failed"] as? Int
                d.engagement[id] = channel["engagement"] as? Int
                if let views = channel["views"] as? Int { d.views[id] = views }
            }
            d.top = (json["top_posts"] as? [[String: Any]] ?? []).map { ($0["post_id"] as? Int ?? 0, $0["engagement"] as? Int ?? 0) }
            return (d, json)
        }

        static func waitForJob(_ id: Int, seconds: Double = 60) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                let status = try admin().queryRow("SELECT status FROM jobs WHERE id = $1", [.int(id)])!.string(0)
                if status == "done" || status == "dead" { return status }
                if Date() > deadline { throw TestFailure("job \(id) stayed \(status)") }
                usleep(100_000)
            }
        }

        func enqueue(_ t: Team, key: String) throws -> Int {
            try #require(
                try Jobs.enqueue(
                    Self.admin(), workspace: t.workspace.id, kind: "weekly_summary", payload: ["week_start": Self.week], key: key,
                    maxAttempts: 4))
        }

        func summary(_ t: Team) throws -> (body: String, model: String?)? {
            try Self.admin().queryRow(
                "SELECT body, model FROM weekly_summaries WHERE workspace_id = $1 AND week_start = $2::date",
                [.int(t.workspace.id), .text(Self.week)]
            ).map { (try $0.string(0), $0.optionalString(1)) }
        }

        func mails(to user: Fixtures.User) throws -> Int {
            try Fixtures.count(
                "SELECT count(*) FROM outbox_emails WHERE recipient = $1 AND subject LIKE 'Herald: your week of %'", [.text(user.email)])
        }

        @Test func aWeekIsCountedWrittenAndMailedToItsOwnerOnce() throws {
            let t = try team()
            let worker = try WorkerProcess(environment: Self.noModel)
            defer { worker.stop() }
            #expect(try Self.waitForJob(try enqueue(t, key: "weekly:\(t.workspace.id):\(Self.week)")) == "done")

            // The numbers are the direct query's, and the ones worked out by hand.
            let (stored, json) = try stored(t)
            let direct = try direct(t)
            #expect(stored == direct, "stored \(stored), direct \(direct)")
            #expect(stored.published == [t.mastodon: 2, t.x: 1])
            #expect(stored.failed == [t.mastodon: 1, t.x: 0])
            #expect(stored.engagement == [t.mastodon: 20, t.x: 8])
            #expect(stored.views == [t.x: 250])
            #expect(stored.top.map(\.engagement) == [24, 5, 3])
            #expect(json["published"] as? Int == 3 && json["engagement"] as? Int == 28 && json["views"] as? Int == 250)
            #expect(json["failed"] as? Int == 1 && json["week_end"] as? String == "2026-03-08")
            #expect(json["time_zone"] as? String == "America/New_York")

            // No model: the body is the numbers alone.
            let written = try #require(try summary(t))
            #expect(written.model == nil)
            #expect(written.body.hasPrefix("Week of 2 Mar 2026 (2026-03-02 to 2026-03-08, America/New_York)"), "\(written.body)")
            for line in [
                "- Posts published: 3", "- Engagement gained: 28", "- Views: 250", "- Failed sends: 1",
                "  - Mastodon @weekly: 2 published, 20 engagement, views not reported, 1 failed",
                "  - X @weekly: 1 published, 8 engagement, 250 views, 0 failed", "  1. Monday morning: 24 engagement, views not reported",
                "  3. Last thing on Sunday <b>bold</b>: 3 engagement, 80 views",
            ] {
                #expect(written.body.contains(line), "\(line) is not in \(written.body)")
            }
            #expect(!written.body.contains("Reddit"))
            #expect(try Fixtures.count("SELECT count(*) FROM ai_exchanges WHERE workspace_id = $1", [.int(t.workspace.id)]) == 0)

            // One mail, to the owner only, with the summary in it.
            #expect(try mails(to: t.owner) == 1)
            for other in t.others { #expect(try mails(to: other) == 0) }
            let mail = try Self.admin().queryRow(
                "SELECT subject, body FROM outbox_emails WHERE recipient = $1 AND subject LIKE 'Herald: your week of %'", [.text(t.owner.email)])!
            #expect(try mail.string(0) == "Herald: your week of 2 Mar 2026")
            #expect(try mail.string(1).contains("- Posts published: 3"))
            #expect(try mail.string(1).contains("/w/\(t.workspace.slug)/analytics?range=custom&from=2026-03-02&to=2026-03-08"))

            // Queued again under another key: nothing written, nobody mailed.
            #expect(try Self.waitForJob(try enqueue(t, key: "weekly-again:\(t.workspace.id):\(Self.week)")) == "done")
            #expect(try Fixtures.count("SELECT count(*) FROM weekly_summaries WHERE workspace_id = $1", [.int(t.workspace.id)]) == 1)
            #expect(try summary(t)?.body == written.body)
            #expect(try mails(to: t.owner) == 1)
            for other in t.others { #expect(try mails(to: other) == 0) }

            // The dashboard shows it to every member, escaped, with the week's analytics.
            let page = try Fixtures.browser(for: t.others[2]).get("\(t.base)/")
            #expect(page.status == 200)
            #expect(page.body.contains("Your week of 2 Mar 2026"))
            #expect(page.body.contains("Last thing on Sunday &lt;b&gt;bold&lt;/b&gt;: 3 engagement"))
            #expect(!page.body.contains("<b>bold</b>"))
            #expect(page.body.contains("<br>- Posts published: 3"))
            #expect(page.body.contains("href=\"\(t.base)/analytics?range=custom&amp;from=2026-03-02&amp;to=2026-03-08\""))
        }

        @Test func aModelsWordsComeFirstAreAuditedAndShownEscaped() throws {
            let t = try team()
            // The stand-in's answers for this model name only, after any a failed test left queued for
            // every model (the AI tests run one at a time, so nobody else's are lost).
            let model = "weekly-" + UUID().uuidString.prefix(8).lowercased()
            let words = "<script>alert('week')</script> A strong week: Monday morning led.\nTry more on Sunday nights."
            try WorkerSupport.control("/_control/openai/reset", [:])
            try WorkerSupport.control("/_control/openai/answers", ["answers": [words], "model": model])
            let worker = try WorkerProcess(environment: [
                "HERALD_AI_BASE_URL": WorkerSupport.standIn + "/openai/v1", "HERALD_AI_MODEL": model, "HERALD_AI_API_KEY": "",
            ])
            defer { worker.stop() }
            #expect(try Self.waitForJob(try enqueue(t, key: "weekly:\(t.workspace.id):\(Self.week)")) == "done")

            // Its words, then the numbers.
            let written = try #require(try summary(t))
            #expect(written.model == model)
            #expect(written.body.hasPrefix(words + "\n\nWeek of 2 Mar 2026 (2026-03-02 to 2026-03-08, America/New_York)\n- Posts published: 3"))

            // It was given the numbers as fenced data, and asked for a few sentences.
            let sent = try JSONSerialization.jsonObject(with: Data(WorkerSupport.control("/_control/openai/requests?model=\(model)").body))
            let requests = try #require(sent as? [[String: Any]])
            #expect(requests.count == 1)
            let messages = try #require(requests.first?["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["system", "user"])
            let user = messages.last?["content"] as? String ?? ""
            #expect(user.contains("5 to 8 sentences") && user.contains("<<<MATERIAL\nWeek of 2 Mar 2026") && user.contains("- Engagement gained: 28"))

            // The exchange is in the workspace's audit, and its tokens in api_usage.
            let exchange = try #require(
                try Self.admin().queryRow(
                    "SELECT purpose, model, response, jsonb_array_length(request) FROM ai_exchanges WHERE workspace_id = $1",
                    [.int(t.workspace.id)]))
            #expect(try exchange.string(0) == "weekly_summary")
            #expect(try exchange.string(1) == model)
            #expect(exchange.optionalString(2) == words)
            #expect(try exchange.int(3) == 2)
            #expect(
                try Fixtures.count(
                    "SELECT count(*) FROM api_usage WHERE workspace_id = $1 AND service = 'llm' AND operation = 'weekly_summary' AND units > 0",
                    [.int(t.workspace.id)]) == 1)

            // The owner's mail has the words; the dashboard shows them as text, never as markup.
            #expect(try mails(to: t.owner) == 1)
            let page = try Fixtures.browser(for: t.others[1]).get("\(t.base)/")
            #expect(page.status == 200)
            #expect(
                page.body.contains(
                    "<p>&lt;script&gt;alert(&#39;week&#39;)&lt;/script&gt; A strong week: Monday morning led.<br>Try more on Sunday nights.</p>"))
            #expect(!page.body.contains("<script>alert("))
            #expect(page.body.contains("Written by a language model (\(model))"))
        }

        @Test func aModelThatKeepsFailingLeavesTheNumbersAlone() throws {
            let t = try team()
            // Nothing listens on port 9: every call fails, the job retries, then writes the numbers.
            let worker = try WorkerProcess(environment: [
                "HERALD_AI_BASE_URL": "http://127.0.0.1:9/v1", "HERALD_AI_MODEL": "nobody-home", "HERALD_AI_API_KEY": "",
            ])
            defer { worker.stop() }
            #expect(try Self.waitForJob(try enqueue(t, key: "weekly:\(t.workspace.id):\(Self.week)"), seconds: 90) == "done")
            let written = try #require(try summary(t))
            #expect(written.model == nil)
            #expect(written.body.hasPrefix("Week of 2 Mar 2026"))
            #expect(try mails(to: t.owner) == 1)
            // Every failed call is in the audit.
            let exchanges = try Self.admin().query(
                "SELECT purpose, model, response IS NULL, error FROM ai_exchanges WHERE workspace_id = $1", [.int(t.workspace.id)]
            ).rows
            #expect(exchanges.count >= 1)
            for row in exchanges {
                #expect(try row.string(0) == "weekly_summary")
                #expect(try row.string(1) == "nobody-home")
                #expect(try row.bool(2))
                #expect(row.optionalString(3) != nil)
            }
        }
    }
}
