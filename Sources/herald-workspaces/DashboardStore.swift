// The dashboard's queries: one row of counts across the workspace's tables (sends that need
// attention included), the next scheduled posts in the viewer's zone, and the latest weekly summary.
import HeraldDatabase

/// What the dashboard counts.
struct DashboardCounts {
    let members: Int
    let invitations: Int
    let channels: Int
    let channelsNeedingReconnect: Int
    let campaigns: Int
    let posts: Int
    let scheduled: Int
    let inReview: Int
    let credits: Int?
    /// Sends to channels that failed, or whose outcome is unknown: the publishing page lists them.
    let failedSends: Int
    let unconfirmedSends: Int

    /// What someone should look at: failed and unconfirmed sends, and channels to reconnect.
    var needingAttention: Int { failedSends + unconfirmedSends + channelsNeedingReconnect }
}

/// A scheduled post as the dashboard lists it: title (or first words) and when, in the viewer's zone.
struct UpcomingPost {
    let title: String
    let when: String
}

/// The newest weekly summary (herald-worker writes one each Monday): its week in the workspace's zone
/// and its text, which may be a language model's words.
struct WeeklySummary {
    /// The Monday and the Sunday, YYYY-MM-DD.
    let weekStart: String
    let weekEnd: String
    /// "16 Nov 2026".
    let label: String
    let body: String
    /// The model that wrote the words above the numbers; nil: the numbers alone.
    let model: String?
}

enum DashboardStore {
    static func counts(_ workspace: Int, _ db: Connection) throws -> DashboardCounts {
        let row = try db.queryRow(
            """
            SELECT (SELECT count(*) FROM memberships WHERE workspace_id = $1),
                   (SELECT count(*) FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL),
                   (SELECT count(*) FROM social_accounts WHERE workspace_id = $1 AND status <> 'revoked'),
                   (SELECT count(*) FROM social_accounts WHERE workspace_id = $1 AND status = 'needs_reconnect'),
                   (SELECT count(*) FROM campaigns WHERE workspace_id = $1),
                   -- Kept by triggers (migration 0014): no counting of a large workspace's posts.
                   (SELECT coalesce(sum(posts), 0) FROM post_status_counts WHERE workspace_id = $1),
                   (SELECT coalesce(sum(posts), 0) FROM post_status_counts WHERE workspace_id = $1 AND status = 'scheduled'),
                   (SELECT coalesce(sum(posts), 0) FROM post_status_counts WHERE workspace_id = $1 AND status = 'in_review'),
                   (SELECT balance FROM credit_accounts WHERE workspace_id = $1),
                   (SELECT count(*) FROM post_targets WHERE workspace_id = $1 AND status = 'failed'),
                   (SELECT count(*) FROM post_targets WHERE workspace_id = $1 AND status = 'unconfirmed')
            """, [.int(workspace)])!
        return DashboardCounts(
            members: try row.int(0), invitations: try row.int(1), channels: try row.int(2),
            channelsNeedingReconnect: try row.int(3), campaigns: try row.int(4), posts: try row.int(5),
            scheduled: try row.int(6), inReview: try row.int(7), credits: try row.optionalInt(8), failedSends: try row.int(9),
            unconfirmedSends: try row.int(10))
    }

    /// The next five scheduled posts.
    static func upcoming(_ workspace: Int, timeZone: String, _ db: Connection) throws -> [UpcomingPost] {
        try db.query(
            """
            SELECT coalesce(title, left(body, 80)), to_char(scheduled_at AT TIME ZONE $2, 'Dy DD Mon, HH24:MI')
            FROM posts WHERE workspace_id = $1 AND status = 'scheduled' AND scheduled_at >= now()
            ORDER BY scheduled_at LIMIT 5
            """, [.int(workspace), .text(timeZone)]
        ).rows.map { row in
            UpcomingPost(title: try row.string(0), when: try row.string(1))
        }
    }

    /// The latest weekly summary, or nil before the first.
    static func latestSummary(_ workspace: Int, _ db: Connection) throws -> WeeklySummary? {
        try db.queryRow(
            """
            SELECT to_char(week_start, 'YYYY-MM-DD'), to_char(week_start + 6, 'YYYY-MM-DD'), to_char(week_start, 'FMDD Mon YYYY'), body, model
            FROM weekly_summaries WHERE workspace_id = $1 ORDER BY week_start DESC LIMIT 1
            """, [.int(workspace)]
        ).map { row in
            WeeklySummary(
                weekStart: try row.string(0), weekEnd: try row.string(1), label: try row.string(2), body: try row.string(3),
                model: row.optionalString(4))
        }
    }
}
