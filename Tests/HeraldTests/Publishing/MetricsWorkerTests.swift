// Analytics collection end to end: herald-worker publishes a post to every platform of the stand-in,
// then fetches each target's metrics on its schedule and each account's follower count, and the
// snapshots land in this month's partition with the rollups beside them. A 429 or a 500 from the
// platform postpones a fetch (the 429 until the platform's reset); nothing is lost.
import Foundation
import Glibc
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase

extension VaultDatabaseTests {
    /// Sealed tokens: inside the vault tests' serialized suite, like WorkerTests.
    @Suite struct MetricsWorkerTests {
        /// A worker that collects every 2 seconds for a post's first hour.
        func collector() throws -> WorkerProcess {
            try WorkerProcess(environment: [
                "HERALD_METRICS_THREADS": "2", "HERALD_METRICS_POLL_MS": "100", "HERALD_METRICS_SCHEDULE": "2s@1h",
                "HERALD_FOLLOWERS_INTERVAL_SECONDS": "3600",
            ])
        }

        func admin() throws -> Connection { try TestEnvironment.connectSuperuser(database: "herald") }

        func snapshots(_ target: Int) throws -> Int {
            try Fixtures.count("SELECT count(*) FROM post_metrics WHERE post_target_id = $1", [.int(target)])
        }

        /// Waits until every target has at least `count` snapshots.
        func waitForSnapshots(_ targets: [Int], atLeast count: Int, seconds: Double = 60) throws {
            let deadline = Date().addingTimeInterval(seconds)
            while try targets.contains(where: { try snapshots($0) < count }) {
                if Date() > deadline {
                    throw TestFailure("targets did not reach \(count) snapshots: \(try targets.map { ($0, try snapshots($0)) })")
                }
                usleep(100_000)
            }
        }

        /// A published post on every platform; returns the channels and targets in the same order.
        func published(_ workspace: Fixtures.Workspace, _ owner: Fixtures.User, platforms: [String]) throws -> (
            channels: [WorkerSupport.Channel], targets: [Int]
        ) {
            let channels = try platforms.map { try WorkerSupport.channel(workspace, $0) }
            let post = try WorkerSupport.scheduledPost(
                workspace, author: owner, text: "Metrics \(UUID().uuidString.prefix(8)) #herald", title: "Metrics", channels: channels)
            try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: channels)
            return (channels, post.targets)
        }

        func team() throws -> (owner: Fixtures.User, workspace: Fixtures.Workspace) {
            let owner = try Fixtures.user("Owner")
            let workspace = try Fixtures.workspace(owner: owner)
            _ = try Credits.grant(admin(), workspace: workspace.id, amount: 10_000, key: "test:metrics")
            return (owner, workspace)
        }

        /// Which counters each platform reports (views, likes, comments, shares, quotes, saves, score).
        static let reported: [String: [String]] = [
            "mastodon": ["likes", "comments", "shares", "quotes"],
            "bluesky": ["likes", "comments", "shares", "quotes"],
            "x": ["views", "likes", "comments", "shares", "quotes", "saves"],
            "linkedin": ["likes", "comments"],
            "reddit": ["comments", "score"],
        ]

        @Test func everyPlatformsMetricsAreFetchedOnScheduleIntoThisMonthsPartition() throws {
            let (owner, workspace) = try team()
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let worker = try collector()
            defer { worker.stop() }
            let (channels, targets) = try published(workspace, owner, platforms: WorkerTests.platforms)
            let states = try WorkerSupport.waitUntil(targets, in: ["published", "failed"])
            #expect(states.allSatisfy { $0.status == "published" }, "\(states)")
            // A first snapshot right after publishing, then one every 2 seconds.
            try waitForSnapshots(targets, atLeast: 3)
            let db = try admin()
            let month = try db.queryRow("SELECT 'post_metrics_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')")!.string(0)
            for (target, channel) in zip(targets, channels) {
                let partitions = try db.query(
                    "SELECT DISTINCT tableoid::regclass::text FROM post_metrics WHERE post_target_id = $1", [.int(target)]
                ).rows.map { try $0.string(0) }
                #expect(partitions == [month], "\(channel.platform): \(partitions)")
                // Reported counters are numbers, the others NULL (never 0).
                let row = try #require(
                    try db.queryRow(
                        """
                        SELECT views IS NOT NULL, likes IS NOT NULL, comments IS NOT NULL, shares IS NOT NULL, quotes IS NOT NULL,
                               saves IS NOT NULL, score IS NOT NULL
                        FROM post_metrics_latest WHERE post_target_id = $1
                        """, [.int(target)]))
                let names = ["views", "likes", "comments", "shares", "quotes", "saves", "score"]
                let present = try names.enumerated().filter { try row.bool($0.offset) }.map(\.element)
                #expect(present == MetricsWorkerTests.reported[channel.platform], "\(channel.platform)")
                // The rollups were kept with the snapshots.
                #expect(try Fixtures.count("SELECT count(*) FROM post_metrics_daily WHERE post_target_id = $1", [.int(target)]) >= 1)
                #expect(
                    try Fixtures.count("SELECT snapshots FROM post_metrics_latest WHERE post_target_id = $1", [.int(target)])
                        == (try snapshots(target)))
                #expect(try Fixtures.count("SELECT count(*) FROM account_engagement WHERE social_account_id = $1", [.int(channel.id)]) >= 1)
            }
            // The schedule spaces the fetches: about 2 seconds apart, never in a burst.
            let gaps = try db.query(
                """
                SELECT extract(epoch FROM captured_at - lag(captured_at) OVER (ORDER BY captured_at))
                FROM post_metrics WHERE post_target_id = $1 ORDER BY captured_at OFFSET 1
                """, [.int(targets[0])]
            ).rows.map { Double(try $0.string(0)) ?? 0 }
            #expect(gaps.allSatisfy { $0 >= 1.9 }, "\(gaps)")
            // Follower counts: one reading today per account whose platform gives one; LinkedIn says why not.
            for channel in channels {
                let readings = try Fixtures.count(
                    "SELECT count(*) FROM account_followers_daily WHERE social_account_id = $1", [.int(channel.id)])
                if channel.platform == "linkedin" {
                    #expect(readings == 0)
                    let note = try db.queryRow("SELECT followers_note FROM social_accounts WHERE id = $1", [.int(channel.id)])!
                        .optionalString(0)
                    #expect(note?.contains("Not available") == true, "\(note ?? "nil")")
                } else {
                    #expect(readings == 1, "\(channel.platform)")
                }
            }
            // Every call is in api_usage.
            #expect(
                try Fixtures.count(
                    "SELECT count(*) FROM api_usage WHERE workspace_id = $1 AND operation = 'post_metrics'", [.int(workspace.id)]) >= 15)
            #expect(worker.stop() == 0)
        }

        @Test func aRateLimitOrAServerErrorPostponesAFetchAndLosesNothing() throws {
            let (owner, workspace) = try team()
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let worker = try collector()
            defer { worker.stop() }
            let (channels, targets) = try published(workspace, owner, platforms: ["x"])
            let x = channels[0]
            let target = targets[0]
            try WorkerSupport.waitUntil(targets, in: ["published"])
            try waitForSnapshots(targets, atLeast: 1)

            // X answers 429 with x-rate-limit-reset a minute ahead: the account waits, the fetch moves there.
            try WorkerSupport.control("/_control/faults", ["platform": "x", "faults": ["429"], "token": x.token, "path": "/x/2/tweets/"])
            let deadline = Date().addingTimeInterval(30)
            var limited = false
            while !limited && Date() < deadline {
                limited = try admin().queryRow(
                    "SELECT coalesce(rate_limited_until > now() + interval '30 seconds', false) FROM social_accounts WHERE id = $1",
                    [.int(x.id)])!.bool(0)
                usleep(100_000)
            }
            #expect(limited, "the 429's reset reached the account")
            let before = try snapshots(target)
            #expect(
                try admin().queryRow("SELECT metrics_next_at > now() + interval '30 seconds' FROM post_targets WHERE id = $1", [.int(target)])!
                    .bool(0))
            sleep(3)
            #expect(try snapshots(target) == before, "no fetch while the platform asked to wait")
            // The reset passes (moved here rather than waited for): the fetch happens, nothing was lost.
            try admin().query("UPDATE social_accounts SET rate_limited_until = NULL WHERE id = $1", [.int(x.id)])
            try admin().query("UPDATE post_targets SET metrics_next_at = now() WHERE id = $1", [.int(target)])
            try waitForSnapshots(targets, atLeast: before + 1, seconds: 20)

            // A 500: the fetch is tried again shortly, and the next snapshot arrives.
            try WorkerSupport.control("/_control/faults", ["platform": "x", "faults": ["500"], "token": x.token, "path": "/x/2/tweets/"])
            let count = try snapshots(target)
            try waitForSnapshots(targets, atLeast: count + 1, seconds: 20)
            let faultsLeft = try WorkerSupport.control("/_control/faults?platform=x")
            #expect(!String(decoding: faultsLeft.body, as: UTF8.self).contains(x.token), "the 500 was taken by a fetch")
            #expect(worker.stop() == 0)
        }
    }
}
