// The rollups the analytics pages read are exactly the aggregates of the raw snapshots: random
// snapshot histories (seeded, so a failure replays) are recorded through record_post_metrics,
// then every rollup is compared with the same aggregate computed directly from post_metrics.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct RollupTests {
    /// Rows of the rollup that differ from the direct aggregate (both directions).
    func mismatches(_ sql: String, _ workspace: Int) throws -> Int {
        try AnalyticsSupport.admin().queryRow(sql, [.int(workspace)])!.int(0)
    }

    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func rollupsEqualTheAggregatesOfRawSnapshots(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let owner = try Fixtures.user("Owner")
        let w = try Fixtures.workspace(owner: owner)
        // Each platform reports its own counters; nil columns stay nil.
        let platforms: [(String, [Bool])] = [
            ("mastodon", [false, true, true, true, false, false, false, false]),
            ("x", [true, true, true, true, false, true, true, false]),
            ("reddit", [false, false, true, false, false, false, false, true]),
        ]
        let base = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21
        var recorded = 0
        for (platform, reports) in platforms {
            let account = try Fixtures.account(w, platform: platform, handle: "@\(platform)\(seed)")
            for _ in 0..<Int.random(in: 3...6, using: &random) {
                let published = base.addingTimeInterval(Double(Int.random(in: 0...(20 * 86_400), using: &random)))
                let (_, target) = try AnalyticsSupport.publishedTarget(
                    w, author: owner, account: account, publishedAt: AnalyticsSupport.iso(published))
                var values = [Int](repeating: 0, count: 8)
                var at = published
                for _ in 0..<Int.random(in: 1...40, using: &random) {
                    at = at.addingTimeInterval(Double(Int.random(in: 1...(8 * 3600), using: &random)))
                    for i in 0..<8 {
                        // Counters mostly grow; an unlike or a downvote takes one back; Reddit's score can go below 0.
                        let step = Int.random(in: -2...25, using: &random)
                        values[i] = i == 7 ? values[i] + step - 8 : max(0, values[i] + step)
                    }
                    // Now and then a platform leaves a counter out of one answer.
                    let counters = (0..<8).map { i -> Int? in reports[i] && Int.random(in: 0..<10, using: &random) > 0 ? values[i] : nil }
                    #expect(try AnalyticsSupport.record(w.id, target, at: AnalyticsSupport.iso(at), counters))
                    recorded += 1
                }
                // The same snapshot again (a retried fetch) changes nothing.
                #expect(try !AnalyticsSupport.record(w.id, target, at: AnalyticsSupport.iso(at), [1, 1, 1, 1, 1, 1, 1, 1]))
            }
        }
        #expect(try Fixtures.count("SELECT count(*) FROM post_metrics WHERE workspace_id = $1", [.int(w.id)]) == recorded)

        // Per account and quarter hour: the sum of each counter's change from the target's previous snapshot.
        let engagement = """
            WITH changes AS (
                SELECT t.social_account_id AS account, date_bin('15 minutes', m.captured_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
                       m.views - coalesce(lag(m.views) OVER w, 0) AS views, m.likes - coalesce(lag(m.likes) OVER w, 0) AS likes,
                       m.comments - coalesce(lag(m.comments) OVER w, 0) AS comments, m.shares - coalesce(lag(m.shares) OVER w, 0) AS shares,
                       m.clicks - coalesce(lag(m.clicks) OVER w, 0) AS clicks, m.quotes - coalesce(lag(m.quotes) OVER w, 0) AS quotes,
                       m.saves - coalesce(lag(m.saves) OVER w, 0) AS saves, m.score - coalesce(lag(m.score) OVER w, 0) AS score
                FROM post_metrics m JOIN post_targets t ON t.id = m.post_target_id
                WHERE m.workspace_id = $1
                WINDOW w AS (PARTITION BY m.post_target_id ORDER BY m.captured_at)),
            direct AS (
                SELECT account, bucket, sum(views) AS views, sum(likes) AS likes, sum(comments) AS comments, sum(shares) AS shares,
                       sum(clicks) AS clicks, sum(quotes) AS quotes, sum(saves) AS saves, sum(score) AS score, count(*) AS snapshots
                FROM changes GROUP BY 1, 2),
            rolled AS (
                SELECT social_account_id AS account, bucket_start AS bucket, views, likes, comments, shares, clicks, quotes, saves, score,
                       snapshots::bigint AS snapshots
                FROM account_engagement WHERE workspace_id = $1)
            SELECT count(*) FROM (SELECT * FROM direct EXCEPT SELECT * FROM rolled) a
            """
        #expect(try mismatches(engagement, w.id) == 0)
        #expect(
            try mismatches(
                engagement.replacingOccurrences(
                    of: "SELECT * FROM direct EXCEPT SELECT * FROM rolled", with: "SELECT * FROM rolled EXCEPT SELECT * FROM direct"), w.id) == 0)
        #expect(try Fixtures.count("SELECT count(*) FROM account_engagement WHERE workspace_id = $1", [.int(w.id)]) > 0)

        // Each target's latest counters: its last snapshot, and how many it has.
        let latest = """
            SELECT count(*) FROM (
                (SELECT DISTINCT ON (post_target_id) post_target_id, captured_at, views, likes, comments, shares, clicks, quotes, saves, score,
                        count(*) OVER (PARTITION BY post_target_id) AS n
                 FROM post_metrics WHERE workspace_id = $1 ORDER BY post_target_id, captured_at DESC)
                EXCEPT
                (SELECT post_target_id, captured_at, views, likes, comments, shares, clicks, quotes, saves, score, snapshots::bigint
                 FROM post_metrics_latest WHERE workspace_id = $1)) x
            """
        #expect(try mismatches(latest, w.id) == 0)
        #expect(
            try Fixtures.count("SELECT count(*) FROM post_metrics_latest WHERE workspace_id = $1", [.int(w.id)])
                == Fixtures.count("SELECT count(DISTINCT post_target_id) FROM post_metrics WHERE workspace_id = $1", [.int(w.id)]))

        // Each target's UTC days: the day's last snapshot.
        let daily = """
            SELECT count(*) FROM (
                (SELECT DISTINCT ON (post_target_id, (captured_at AT TIME ZONE 'UTC')::date) post_target_id,
                        (captured_at AT TIME ZONE 'UTC')::date, views, likes, comments, shares, clicks, quotes, saves, score
                 FROM post_metrics WHERE workspace_id = $1 ORDER BY post_target_id, (captured_at AT TIME ZONE 'UTC')::date, captured_at DESC)
                EXCEPT
                (SELECT post_target_id, day, views, likes, comments, shares, clicks, quotes, saves, score FROM post_metrics_daily
                 WHERE workspace_id = $1)) x
            """
        #expect(try mismatches(daily, w.id) == 0)

        // The heat map's rollup: per quarter hour of publishing, the targets with counters and their engagement.
        let heat = """
            SELECT count(*) FROM (
                (SELECT date_bin('15 minutes', t.published_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), count(*)::int,
                        sum(coalesce(l.likes, 0) + coalesce(l.comments, 0) + coalesce(l.shares, 0) + coalesce(l.quotes, 0)
                            + coalesce(l.saves, 0) + coalesce(l.score, 0))::bigint
                 FROM post_metrics_latest l JOIN post_targets t ON t.id = l.post_target_id WHERE l.workspace_id = $1 GROUP BY 1)
                EXCEPT
                (SELECT bucket_start, posts, engagement FROM publish_time_engagement WHERE workspace_id = $1 AND posts > 0)) x
            """
        #expect(try mismatches(heat, w.id) == 0)
        #expect(
            try Fixtures.count("SELECT count(*) FROM publish_time_engagement WHERE workspace_id = $1 AND posts > 0", [.int(w.id)])
                == Fixtures.count(
                    """
                    SELECT count(DISTINCT date_bin('15 minutes', published_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'))
                    FROM post_metrics_latest WHERE workspace_id = $1
                    """, [.int(w.id)]))
        #expect(
            try Fixtures.count("SELECT count(*) FROM post_metrics_daily WHERE workspace_id = $1", [.int(w.id)])
                == Fixtures.count(
                    "SELECT count(DISTINCT (post_target_id, (captured_at AT TIME ZONE 'UTC')::date)) FROM post_metrics WHERE workspace_id = $1",
                    [.int(w.id)]))
    }

    @Test func theAppRoleRecordsOnlyInItsOwnWorkspace() throws {
        let owner = try Fixtures.user("Owner")
        let mine = try Fixtures.workspace(owner: owner)
        let theirs = try Fixtures.workspace(owner: owner)
        let account = try Fixtures.account(theirs, platform: "x", handle: "@theirs")
        let (_, target) = try AnalyticsSupport.publishedTarget(theirs, author: owner, account: account, publishedAt: "2026-10-01T10:00:00Z")
        let app = try TestEnvironment.connectApp()
        // With my workspace set, their target does not exist for me: nothing is written anywhere.
        #expect(throws: DatabaseError.self) {
            try app.transaction(workspace: mine.id) { db in
                try AnalyticsSupport.record(theirs.id, target, at: "2026-10-01T11:00:00Z", [1, 2, 3, 4, nil, 5, 6, nil], on: db)
            }
        }
        #expect(try Fixtures.count("SELECT count(*) FROM post_metrics WHERE post_target_id = $1", [.int(target)]) == 0)
        let recorded = try app.transaction(workspace: theirs.id) { db in
            try AnalyticsSupport.record(theirs.id, target, at: "2026-10-01T11:00:00Z", [1, 2, 3, 4, nil, 5, 6, nil], on: db)
        }
        #expect(recorded)
        #expect(try Fixtures.count("SELECT count(*) FROM account_engagement WHERE social_account_id = $1", [.int(account)]) == 1)
    }

    @Test func partitionsAreMadeAheadAndOldOnesDroppedOnlyPastRetention() throws {
        let db = try TestEnvironment.connectApp()
        _ = try db.queryRow("SELECT ensure_post_metrics_partitions(3)")
        let names = try db.query(
            """
            SELECT 'post_metrics_' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m), 'YYYY_MM')
            FROM generate_series(0, 3) m
            """
        ).rows.map { try $0.string(0) }
        for name in names {
            #expect(try Fixtures.count("SELECT count(*) FROM pg_class WHERE relname = $1", [.text(name)]) == 1)
        }
        // A partition of 2019 (the tests write nothing else that old) goes once past retention; the rest stays.
        let admin = try AnalyticsSupport.admin()
        try admin.query(
            "CREATE TABLE IF NOT EXISTS post_metrics_2019_01 PARTITION OF post_metrics FOR VALUES FROM ('2019-01-01 00:00+00') TO ('2019-02-01 00:00+00')"
        )
        #expect(try db.queryRow("SELECT drop_old_post_metrics_partitions(13)")!.int(0) >= 1)
        #expect(try Fixtures.count("SELECT count(*) FROM pg_class WHERE relname = 'post_metrics_2019_01'") == 0)
        for name in names {
            #expect(try Fixtures.count("SELECT count(*) FROM pg_class WHERE relname = $1", [.text(name)]) == 1)
        }
        // Keeping 1200 months drops nothing; 0 means keep everything.
        #expect(try db.queryRow("SELECT drop_old_post_metrics_partitions(1200)")!.int(0) == 0)
        #expect(try db.queryRow("SELECT drop_old_post_metrics_partitions(0)")!.int(0) == 0)
        #expect(throws: DatabaseError.self) { try db.queryRow("SELECT drop_old_post_metrics_partitions(-1)") }
    }
}
