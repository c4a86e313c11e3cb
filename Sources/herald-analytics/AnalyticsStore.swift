// The SQL of the analytics pages. Every query runs in one read transaction with the workspace set
// (row-level security) and the viewer's time zone as the session's, so `::date` of a time is the
// viewer's day and `'2026-03-29'::timestamptz` is the viewer's midnight, DST included. Pages read
// the rollups (account_engagement, post_metrics_latest, account_followers_daily), never the raw
// snapshots over a range; a post's own page reads its targets' snapshots.
import HeraldContent
import HeraldDatabase

/// A connected account, as analytics shows it.
struct Channel: Sendable {
    let id: Int
    let platform: Platform?
    let platformName: String
    let handle: String
    let scopes: String
    let followersNote: String?

    var label: String { "\(platform?.label ?? platformName) \(handle)" }
    var reported: Set<Metric> { Metric.reported(by: platform, scopes: scopes) }
}

/// The range resolved in the viewer's zone: its days and its instants (timestamptz text), and the
/// range of the same length just before it.
struct Bounds: Sendable {
    let from: String
    let to: String
    let start: String
    let end: String
    let previousFrom: String
    let previousTo: String
    let previousStart: String
    let days: Int
    /// The first day the heat map covers (a year before the range's end).
    let heatSince: String
}

struct ChannelTotals: Sendable {
    let channel: Channel
    var current = Counts()
    var previous = Counts()
    var snapshots = 0
}

struct DayRow: Sendable {
    let day: String
    let counts: Counts
}

struct FollowerSeries: Sendable {
    let channel: Channel
    /// Followers by day (the day's last reading), for the days of the range that have one.
    let byDay: [String: Int]
}

struct TopPost: Sendable {
    let postID: Int
    let title: String
    let excerpt: String
    let channel: String
    let publishedAt: String
    let url: String?
    let counts: Counts
}

struct HeatCell: Sendable {
    /// ISO weekday, 1 (Monday) to 7.
    let weekday: Int
    let hour: Int
    let average: Double
    let posts: Int
}

struct Overview: Sendable {
    let bounds: Bounds
    let channels: [Channel]
    let totals: [ChannelTotals]
    let days: [DayRow]
    let followers: [FollowerSeries]
    let top: [TopPost]
    let heat: [HeatCell]
}

enum AnalyticsStore {
    /// The session's zone for this transaction: the viewer's.
    static func useTimeZone(_ zone: String, _ db: Connection) throws {
        try db.query("SELECT set_config('TimeZone', $1, true)", [.text(zone)])
    }

    /// Seven counter columns from `first` on, in Metric.allCases order.
    static func counts(_ row: Row, from first: Int) throws -> Counts {
        var counts = Counts()
        for (offset, metric) in Metric.allCases.enumerated() {
            if let value = try row.optionalInt(first + offset) { counts.values[metric] = value }
        }
        return counts
    }

    static func bounds(_ range: AnalyticsRange, _ db: Connection) throws -> Bounds {
        let row = try db.queryRow(
            """
            SELECT to_char(f, 'YYYY-MM-DD'), to_char(t, 'YYYY-MM-DD'), f::timestamptz::text, (t + 1)::timestamptz::text,
                   to_char(f - (t - f + 1), 'YYYY-MM-DD'), to_char(f - 1, 'YYYY-MM-DD'), (f - (t - f + 1))::timestamptz::text, t - f + 1,
                   to_char((t + 1) - 365, 'YYYY-MM-DD')
            FROM (SELECT coalesce($1::date, current_date - $3::int + 1) AS f, coalesce($2::date, current_date) AS t) d
            """, [.text(range.from), .text(range.to), .int(range.days ?? 1)])!
        return Bounds(
            from: try row.string(0), to: try row.string(1), start: try row.string(2), end: try row.string(3), previousFrom: try row.string(4),
            previousTo: try row.string(5), previousStart: try row.string(6), days: try row.int(7), heatSince: try row.string(8))
    }

    static func channels(_ workspace: Int, _ db: Connection) throws -> [Channel] {
        try db.query(
            """
            SELECT id, platform, handle, coalesce(scopes, ''), followers_note FROM social_accounts
            WHERE workspace_id = $1 ORDER BY platform, lower(handle), id
            """, [.int(workspace)]
        ).rows.map { r in
            let name = try r.string(1)
            return Channel(
                id: try r.int(0), platform: Platform(rawValue: name), platformName: name, handle: try r.string(2), scopes: try r.string(3),
                followersNote: r.optionalString(4))
        }
    }

    static func overview(_ workspace: Int, _ range: AnalyticsRange, topLimit: Int = 10, _ db: Connection) throws -> Overview {
        let bounds = try bounds(range, db)
        let channels = try channels(workspace, db)
        var totals = Dictionary(uniqueKeysWithValues: channels.map { ($0.id, ChannelTotals(channel: $0)) })
        for r in try db.query(
            """
            SELECT social_account_id, bucket_start >= $2::timestamptz, sum(views), sum(likes), sum(comments), sum(shares), sum(quotes),
                   sum(saves), sum(score), sum(snapshots)
            FROM account_engagement
            WHERE workspace_id = $1 AND bucket_start >= $3::timestamptz AND bucket_start < $4::timestamptz
            GROUP BY 1, 2
            """, [.int(workspace), .text(bounds.start), .text(bounds.previousStart), .text(bounds.end)]
        ).rows {
            let id = try r.int(0)
            guard totals[id] != nil else { continue }
            if try r.bool(1) {
                totals[id]!.current = try counts(r, from: 2)
                totals[id]!.snapshots = try r.int(9)
            } else {
                totals[id]!.previous = try counts(r, from: 2)
            }
        }
        let days = try db.query(
            """
            SELECT to_char(d, 'YYYY-MM-DD'), e.views, e.likes, e.comments, e.shares, e.quotes, e.saves, e.score
            FROM generate_series($4::date, $5::date, interval '1 day') d
            LEFT JOIN (SELECT bucket_start::date AS day, sum(views) AS views, sum(likes) AS likes, sum(comments) AS comments,
                              sum(shares) AS shares, sum(quotes) AS quotes, sum(saves) AS saves, sum(score) AS score
                       FROM account_engagement
                       WHERE workspace_id = $1 AND bucket_start >= $2::timestamptz AND bucket_start < $3::timestamptz
                       GROUP BY 1) e ON e.day = d::date
            ORDER BY d
            """, [.int(workspace), .text(bounds.start), .text(bounds.end), .text(bounds.from), .text(bounds.to)]
        ).rows.map { r in DayRow(day: try r.string(0), counts: try counts(r, from: 1)) }

        var byAccount: [Int: [String: Int]] = [:]
        for r in try db.query(
            """
            SELECT DISTINCT ON (social_account_id, captured_at::date) social_account_id, to_char(captured_at::date, 'YYYY-MM-DD'), followers
            FROM account_followers_daily
            WHERE workspace_id = $1 AND day BETWEEN $4::date - 1 AND $5::date + 1
              AND captured_at >= $2::timestamptz AND captured_at < $3::timestamptz
            ORDER BY social_account_id, captured_at::date, captured_at DESC
            """, [.int(workspace), .text(bounds.start), .text(bounds.end), .text(bounds.from), .text(bounds.to)]
        ).rows {
            byAccount[try r.int(0), default: [:]][try r.string(1)] = try r.int(2)
        }
        let followers = channels.map { FollowerSeries(channel: $0, byDay: byAccount[$0.id] ?? [:]) }

        let names = Dictionary(uniqueKeysWithValues: channels.map { ($0.id, $0.label) })
        let top = try db.query(
            """
            SELECT p.id, coalesce(p.title, ''), left(regexp_replace(p.body, '\\s+', ' ', 'g'), 140), t.social_account_id,
                   to_char(t.published_at, 'YYYY-MM-DD HH24:MI'), t.external_url,
                   l.views, l.likes, l.comments, l.shares, l.quotes, l.saves, l.score
            FROM post_metrics_latest l
            JOIN post_targets t ON t.workspace_id = l.workspace_id AND t.id = l.post_target_id
            JOIN posts p ON p.workspace_id = t.workspace_id AND p.id = t.post_id
            WHERE l.workspace_id = $1 AND l.published_at >= $2::timestamptz AND l.published_at < $3::timestamptz AND t.status = 'published'
            ORDER BY l.engagement DESC, l.published_at DESC, l.post_target_id
            LIMIT $4
            """, [.int(workspace), .text(bounds.start), .text(bounds.end), .int(topLimit)]
        ).rows.map { r in
            TopPost(
                postID: try r.int(0), title: try r.string(1), excerpt: try r.string(2), channel: names[try r.int(3)] ?? "",
                publishedAt: try r.string(4), url: r.optionalString(5), counts: try counts(r, from: 6))
        }

        // From the rollup per quarter hour of publishing: every zone's hours are whole quarter hours.
        let heat = try db.query(
            """
            SELECT extract(isodow FROM bucket_start)::int, extract(hour FROM bucket_start)::int,
                   round(sum(engagement)::numeric / sum(posts), 1)::text, sum(posts)
            FROM publish_time_engagement
            WHERE workspace_id = $1 AND bucket_start >= $2::date::timestamptz AND bucket_start < $3::timestamptz AND posts > 0
            GROUP BY 1, 2
            """, [.int(workspace), .text(bounds.heatSince), .text(bounds.end)]
        ).rows.map { r in
            HeatCell(weekday: try r.int(0), hour: try r.int(1), average: Double(try r.string(2)) ?? 0, posts: try r.int(3))
        }
        return Overview(
            bounds: bounds, channels: channels, totals: channels.compactMap { totals[$0.id] }, days: days, followers: followers, top: top,
            heat: heat)
    }
}
