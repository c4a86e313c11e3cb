// Queries on a post's sends (post_targets) and their jobs, for scheduling and the publishing page:
// resetting a post's targets when it is (re)scheduled, the workspace's targets by status, and the
// compare-and-set moves of the page's actions. Times are formatted by PostgreSQL in the viewer's zone.
import HeraldDatabase

/// Where one post target (one post × one social account) stands.
enum TargetStatus: String, CaseIterable, Sendable {
    case pending, publishing, published, failed, unconfirmed, canceled

    var label: String {
        switch self {
        case .pending: return "Pending"
        case .publishing: return "Sending"
        case .published: return "Published"
        case .failed: return "Failed"
        case .unconfirmed: return "Unconfirmed"
        case .canceled: return "Canceled"
        }
    }

    var badgeClass: String {
        switch self {
        case .pending: return "info"
        case .publishing, .unconfirmed: return "warn"
        case .published: return "ok"
        case .failed: return "danger"
        case .canceled: return "muted"
        }
    }
}

/// A target as the publishing page lists it.
struct PublishingRow {
    let id: Int
    let postID: Int
    let postTitle: String
    let account: AccountOption
    let status: TargetStatus
    let attempts: Int
    /// In the viewer's zone; nil when no retry is planned.
    let nextAttemptLocal: String?
    /// The post's scheduled time in the viewer's zone.
    let scheduledLocal: String?
    let lastError: String?
    let externalURL: String?
}

/// A target loaded for one of the publishing page's actions.
struct PublishingTarget {
    let id: Int
    let postID: Int
    let accountID: Int
    let status: TargetStatus
    let attempts: Int
    let postStatus: PostStatus
    let postVersion: Int
}

enum PublishingStore {
    static let publishKind = "publish_post_target"
    static let reconcileKind = "reconcile_post_target"

    /// How many channels the post goes to.
    static func targetCount(_ workspace: Int, post: Int, _ db: Connection) throws -> Int {
        try db.queryRow("SELECT count(*) FROM post_targets WHERE workspace_id = $1 AND post_id = $2", [.int(workspace), .int(post)])!.int(0)
    }

    /// Whether a send of the post is under way (the worker took one of its targets).
    static func isSending(_ workspace: Int, post: Int, _ db: Connection) throws -> Bool {
        try db.queryRow(
            "SELECT EXISTS (SELECT 1 FROM post_targets WHERE workspace_id = $1 AND post_id = $2 AND status = 'publishing')",
            [.int(workspace), .int(post)])!.bool(0)
    }

    /// Every target of the post back to pending with a clean slate for a new schedule; returns them as
    /// (target, social account). A target being sent or already published is left alone: resetting
    /// it would send it twice.
    static func resetTargets(_ workspace: Int, post: Int, _ db: Connection) throws -> [(id: Int, account: Int)] {
        try db.query(
            """
            UPDATE post_targets SET status = 'pending', attempts = 0, last_error = NULL, next_attempt_at = NULL, request_key = NULL,
                   sending_since = NULL, updated_at = now()
            WHERE workspace_id = $1 AND post_id = $2 AND status NOT IN ('publishing', 'published')
            RETURNING id, social_account_id
            """, [.int(workspace), .int(post)]
        ).rows.map { (id: try $0.int(0), account: try $0.int(1)) }.sorted { $0.id < $1.id }
    }

    /// The workspace's targets that are coming up (pending, of a scheduled or publishing post), being
    /// sent, failed or unconfirmed; at most `limit` of each, the most urgent first.
    static func overview(_ workspace: Int, timeZone: String, limit: Int = 100, _ db: Connection) throws -> [PublishingRow] {
        try db.query(
            """
            SELECT id, post_id, title, account_id, platform, handle, account_status, status, attempts, next_attempt, scheduled, last_error, external_url
            FROM (
                SELECT t.id, t.post_id, coalesce(p.title, left(p.body, 80)) AS title, a.id AS account_id, a.platform, a.handle,
                       a.status AS account_status, t.status, t.attempts,
                       to_char(t.next_attempt_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI') AS next_attempt,
                       to_char(p.scheduled_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI') AS scheduled, t.last_error, t.external_url,
                       row_number() OVER (
                           PARTITION BY t.status
                           ORDER BY CASE WHEN t.status = 'pending' THEN coalesce(t.next_attempt_at, p.scheduled_at) END,
                                    t.updated_at DESC, t.id) AS n,
                       CASE WHEN t.status = 'pending' THEN coalesce(t.next_attempt_at, p.scheduled_at) END AS due, t.updated_at
                FROM post_targets t
                     JOIN posts p ON p.workspace_id = t.workspace_id AND p.id = t.post_id
                     JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
                WHERE t.workspace_id = $1 AND t.status IN ('pending', 'publishing', 'failed', 'unconfirmed')
                  AND (t.status <> 'pending' OR p.status IN ('scheduled', 'publishing'))
            ) s
            WHERE n <= $3
            ORDER BY status, due, updated_at DESC, id
            """, [.int(workspace), .text(timeZone), .int(limit)]
        ).rows.map { row in
            PublishingRow(
                id: try row.int(0), postID: try row.int(1), postTitle: try row.string(2),
                account: AccountOption(id: try row.int(3), platform: try row.string(4), handle: try row.string(5), status: try row.string(6)),
                status: TargetStatus(rawValue: try row.string(7)) ?? .pending, attempts: try row.int(8), nextAttemptLocal: row.optionalString(9),
                scheduledLocal: row.optionalString(10), lastError: row.optionalString(11), externalURL: row.optionalString(12))
        }
    }

    /// One target of the workspace with its post's status and version; nil when there is none.
    static func find(_ workspace: Int, target: Int, _ db: Connection) throws -> PublishingTarget? {
        try db.queryRow(
            """
            SELECT t.id, t.post_id, t.social_account_id, t.status, t.attempts, p.status, p.version
            FROM post_targets t JOIN posts p ON p.workspace_id = t.workspace_id AND p.id = t.post_id
            WHERE t.workspace_id = $1 AND t.id = $2
            """, [.int(workspace), .int(target)]
        ).map { row in
            PublishingTarget(
                id: try row.int(0), postID: try row.int(1), accountID: try row.int(2), status: TargetStatus(rawValue: try row.string(3)) ?? .pending,
                attempts: try row.int(4), postStatus: PostStatus(rawValue: try row.string(5)) ?? .draft, postVersion: try row.int(6))
        }
    }

    /// Failed → pending (compare-and-set; the last error stays for the page); returns its attempts,
    /// or nil when it is no longer failed.
    static func retryFailed(_ workspace: Int, target: Int, _ db: Connection) throws -> Int? {
        try db.queryRow(
            """
            UPDATE post_targets SET status = 'pending', next_attempt_at = NULL, updated_at = now()
            WHERE workspace_id = $1 AND id = $2 AND status = 'failed' RETURNING attempts
            """, [.int(workspace), .int(target)]
        ).map { try $0.int(0) }
    }

    /// Makes a pending target's queued send due now; false when there was none to move (none
    /// queued, or it is due already).
    static func sendNow(_ workspace: Int, target: Int, post: Int, _ db: Connection) throws -> Bool {
        try db.query(
            """
            UPDATE jobs SET run_at = now()
            WHERE workspace_id = $1 AND (payload ->> 'post')::bigint = $3 AND (payload ->> 'target')::bigint = $2
              AND kind = 'publish_post_target' AND status = 'queued' AND run_at > now()
              AND EXISTS (SELECT 1 FROM post_targets t WHERE t.workspace_id = $1 AND t.id = $2 AND t.status = 'pending')
            """, [.int(workspace), .int(target), .int(post)]
        ).affectedRows > 0
    }

    /// Whether a send of the target is queued or running.
    static func hasOpenSend(_ workspace: Int, target: Int, post: Int, _ db: Connection) throws -> Bool {
        try db.queryRow(
            """
            SELECT EXISTS (SELECT 1 FROM jobs WHERE workspace_id = $1 AND (payload ->> 'post')::bigint = $3
                           AND (payload ->> 'target')::bigint = $2 AND kind = 'publish_post_target' AND status IN ('queued', 'running'))
            """, [.int(workspace), .int(target), .int(post)])!.bool(0)
    }

    /// A finished job with this key queued again, due now: a retry whose key was used before (the
    /// target failed again without a new attempt, e.g. while its account needed reconnecting).
    static func requeue(_ workspace: Int, key: String, _ db: Connection) throws -> Bool {
        try db.query(
            """
            UPDATE jobs SET status = 'queued', run_at = now(), attempts = 0, last_error = NULL, finished_at = NULL
            WHERE workspace_id = $1 AND idempotency_key = $2 AND status IN ('done', 'dead', 'canceled')
            """, [.int(workspace), .text(key)]
        ).affectedRows == 1
    }

    /// Pending → canceled (compare-and-set); false when it is no longer pending.
    static func cancel(_ workspace: Int, target: Int, _ db: Connection) throws -> Bool {
        try db.query(
            """
            UPDATE post_targets SET status = 'canceled', next_attempt_at = NULL, updated_at = now()
            WHERE workspace_id = $1 AND id = $2 AND status = 'pending'
            """, [.int(workspace), .int(target)]
        ).affectedRows == 1
    }

    /// Cancels the target's jobs of these kinds that have not started; returns how many.
    @discardableResult
    static func cancelJobs(_ workspace: Int, target: Int, post: Int, kinds: [String], _ db: Connection) throws -> Int {
        try db.query(
            """
            UPDATE jobs SET status = 'canceled', finished_at = now()
            WHERE workspace_id = $1 AND (payload ->> 'post')::bigint = $3 AND (payload ->> 'target')::bigint = $2
              AND status = 'queued' AND kind = ANY($4::text[])
            """, [.int(workspace), .int(target), .int(post), .text("{" + kinds.joined(separator: ",") + "}")]
        ).affectedRows
    }

    /// How many of the post's targets still count (not canceled).
    static func activeTargets(_ workspace: Int, post: Int, _ db: Connection) throws -> Int {
        try db.queryRow(
            "SELECT count(*) FROM post_targets WHERE workspace_id = $1 AND post_id = $2 AND status <> 'canceled'", [.int(workspace), .int(post)]
        )!.int(0)
    }

    /// Unconfirmed → published by hand, at `url` (compare-and-set); false when it is no longer unconfirmed.
    static func markLive(_ workspace: Int, target: Int, url: String, _ db: Connection) throws -> Bool {
        try db.query(
            """
            UPDATE post_targets SET status = 'published', external_url = $3, external_post_id = coalesce(external_post_id, 'manual-' || id),
                   published_at = now(), next_attempt_at = NULL, last_error = NULL, updated_at = now()
            WHERE workspace_id = $1 AND id = $2 AND status = 'unconfirmed'
            """, [.int(workspace), .int(target), .text(url)]
        ).affectedRows == 1
    }

    /// The post's status from its targets (migration 0015); the new status, or nil when unchanged.
    @discardableResult
    static func refreshPost(_ workspace: Int, post: Int, _ db: Connection) throws -> String? {
        try db.queryRow("SELECT refresh_post_publishing_status($1, $2)", [.int(workspace), .int(post)])?.optionalString(0)
    }
}
