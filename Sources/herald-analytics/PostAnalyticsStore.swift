// The SQL of one post's analytics: its targets with their latest counters, and each target's
// snapshots over time (the raw ones while their partitions are kept, else the daily rollup).
import HeraldContent
import HeraldDatabase

struct PostSummary: Sendable {
    let id: Int
    let title: String
    let body: String
    let status: String
}

struct TargetCurve: Sendable {
    let id: Int
    let channel: Channel
    let status: String
    let url: String?
    let publishedAt: String?
    /// Why collection stopped (deleted at the platform, not available, past the schedule).
    let note: String?
    let nextFetch: String?
    let latest: Counts?
    let latestAt: String?
    /// Snapshot times (the viewer's) and counters, oldest first.
    var points: [(at: String, counts: Counts)] = []
    /// True when the points are daily (raw snapshots past retention).
    var daily = false
}

enum PostAnalyticsStore {
    /// At most this many points per target (the schedule makes about 100 in 90 days).
    static let maxPoints = 500

    static func post(_ workspace: Int, _ id: Int, _ db: Connection) throws -> PostSummary? {
        try db.queryRow(
            "SELECT id, coalesce(title, ''), body, status FROM posts WHERE workspace_id = $1 AND id = $2", [.int(workspace), .int(id)]
        ).map { r in PostSummary(id: try r.int(0), title: try r.string(1), body: try r.string(2), status: try r.string(3)) }
    }

    static func targets(_ workspace: Int, post: Int, channels: [Channel], _ db: Connection) throws -> [TargetCurve] {
        let byID = Dictionary(uniqueKeysWithValues: channels.map { ($0.id, $0) })
        var targets = try db.query(
            """
            SELECT t.id, t.social_account_id, t.status, t.external_url, to_char(t.published_at, 'YYYY-MM-DD HH24:MI'), t.metrics_note,
                   to_char(t.metrics_next_at, 'YYYY-MM-DD HH24:MI'), to_char(l.captured_at, 'YYYY-MM-DD HH24:MI'),
                   l.views, l.likes, l.comments, l.shares, l.quotes, l.saves, l.score
            FROM post_targets t
            LEFT JOIN post_metrics_latest l ON l.workspace_id = t.workspace_id AND l.post_target_id = t.id
            WHERE t.workspace_id = $1 AND t.post_id = $2
            ORDER BY t.id
            """, [.int(workspace), .int(post)]
        ).rows.compactMap { r -> TargetCurve? in
            guard let channel = byID[try r.int(1)] else { return nil }
            let latestAt = r.optionalString(7)
            return TargetCurve(
                id: try r.int(0), channel: channel, status: try r.string(2), url: r.optionalString(3), publishedAt: r.optionalString(4),
                note: r.optionalString(5), nextFetch: r.optionalString(6), latest: latestAt == nil ? nil : try AnalyticsStore.counts(r, from: 8),
                latestAt: latestAt)
        }
        for index in targets.indices where targets[index].latestAt != nil {
            let id = targets[index].id
            let raw = try db.query(
                """
                SELECT to_char(captured_at, 'YYYY-MM-DD HH24:MI'), views, likes, comments, shares, quotes, saves, score
                FROM (SELECT * FROM post_metrics WHERE workspace_id = $1 AND post_target_id = $2 ORDER BY captured_at DESC LIMIT $3) s
                ORDER BY captured_at
                """, [.int(workspace), .int(id), .int(maxPoints)]
            ).rows.map { r in (at: try r.string(0), counts: try AnalyticsStore.counts(r, from: 1)) }
            if !raw.isEmpty {
                targets[index].points = raw
                continue
            }
            targets[index].daily = true
            targets[index].points = try db.query(
                """
                SELECT to_char(day, 'YYYY-MM-DD'), views, likes, comments, shares, quotes, saves, score
                FROM (SELECT * FROM post_metrics_daily WHERE workspace_id = $1 AND post_target_id = $2 ORDER BY day DESC LIMIT $3) s
                ORDER BY day
                """, [.int(workspace), .int(id), .int(maxPoints)]
            ).rows.map { r in (at: try r.string(0), counts: try AnalyticsStore.counts(r, from: 1)) }
        }
        return targets
    }
}
