// The SQL of publishing: a target with its post, the send's start, and each outcome, always in a
// transaction with the job's workspace set (row-level security), scoped by workspace_id.
import HeraldDatabase

/// A target as the worker sees it, with its post.
struct TargetRow {
    let targetID: Int
    let postID: Int
    let accountID: Int
    let postStatus: String
    let postVersion: Int
    let title: String?
    let text: String
    let authorID: Int?
    let status: String
    let requestKey: String?
    let attempts: Int
    /// Seconds since the first try was sent; nil before any.
    let secondsSinceFirstSend: Int?
}

enum PublishStore {
    /// The target and its post, both locked until the transaction ends (an edit of the post waits).
    static func lockTarget(_ db: Connection, workspace: Int, target: Int) throws -> TargetRow? {
        try db.queryRow(
            """
            SELECT t.id, t.post_id, t.social_account_id, p.status, p.version, p.title, coalesce(t.body_override, p.body), p.author_id,
                   t.status, t.request_key, t.attempts, extract(epoch FROM now() - t.sending_since)::bigint
            FROM post_targets t JOIN posts p ON p.workspace_id = t.workspace_id AND p.id = t.post_id
            WHERE t.workspace_id = $1 AND t.id = $2
            FOR UPDATE OF t, p
            """, [.int(workspace), .int(target)]
        ).map { row in
            TargetRow(
                targetID: try row.int(0), postID: try row.int(1), accountID: try row.int(2), postStatus: try row.string(3),
                postVersion: try row.int(4), title: row.optionalString(5), text: try row.string(6), authorID: try row.optionalInt(7),
                status: try row.string(8), requestKey: row.optionalString(9), attempts: try row.int(10),
                secondsSinceFirstSend: try row.optionalInt(11))
        }
    }

    static func lockPost(_ db: Connection, workspace: Int, post: Int) throws {
        try db.query("SELECT 1 FROM posts WHERE workspace_id = $1 AND id = $2 FOR UPDATE", [.int(workspace), .int(post)])
    }

    /// Seconds the platform asked this account to wait still left, or 0.
    static func rateLimitWait(_ db: Connection, workspace: Int, account: Int) throws -> Int {
        try db.queryRow(
            """
            SELECT coalesce(ceil(extract(epoch FROM rate_limited_until - now()))::bigint, 0)
            FROM social_accounts WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(account)]
        ).map { max(0, try $0.int(0)) } ?? 0
    }

    /// The send starts: the target is being sent (with its key stored first), the post is publishing.
    static func startSend(_ db: Connection, workspace: Int, target: TargetRow, requestKey: String) throws {
        try db.query(
            """
            UPDATE post_targets
            SET status = 'publishing', attempts = attempts + 1, request_key = coalesce(request_key, $3),
                sending_since = coalesce(sending_since, now()), next_attempt_at = NULL, updated_at = now()
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(target.targetID), .text(requestKey)])
        try db.query(
            "UPDATE posts SET status = 'publishing', updated_at = now() WHERE workspace_id = $1 AND id = $2 AND status = 'scheduled'",
            [.int(workspace), .int(target.postID)])
    }

    static func published(_ db: Connection, workspace: Int, target: Int, externalID: String, url: String?) throws {
        try db.query(
            """
            UPDATE post_targets
            SET status = 'published', external_post_id = left($3, 200), published_at = now(), last_error = NULL,
                external_url = CASE WHEN $4 ~ '^https?://[^\\s]+$' AND char_length($4) <= 2048 THEN $4 END,
                next_attempt_at = NULL, updated_at = now()
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(target), .text(externalID), .text(url)])
    }

    /// Back to pending until `delaySeconds` from now, with the reason shown on the post's page.
    static func pending(_ db: Connection, workspace: Int, target: Int, delaySeconds: Int, reason: String) throws -> String {
        try db.queryRow(
            """
            UPDATE post_targets
            SET status = 'pending', last_error = left($3, 2000), next_attempt_at = now() + make_interval(secs => $4), updated_at = now()
            WHERE workspace_id = $1 AND id = $2 RETURNING next_attempt_at::text
            """, [.int(workspace), .int(target), .text(reason), .int(delaySeconds)]
        )!.string(0)
    }

    static func failed(_ db: Connection, workspace: Int, target: Int, reason: String) throws {
        try db.query(
            """
            UPDATE post_targets SET status = 'failed', last_error = left($3, 2000), next_attempt_at = NULL, updated_at = now()
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(target), .text(reason)])
    }

    static func unconfirmed(_ db: Connection, workspace: Int, target: Int, reason: String) throws {
        try db.query(
            """
            UPDATE post_targets SET status = 'unconfirmed', last_error = left($3, 2000), next_attempt_at = NULL, updated_at = now()
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(target), .text(reason)])
    }

    static func rateLimited(_ db: Connection, workspace: Int, account: Int, seconds: Int) throws {
        try db.query(
            """
            UPDATE social_accounts SET rate_limited_until = greatest(rate_limited_until, now() + make_interval(secs => $3))
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(account), .int(seconds)])
    }

    /// The post's status from its targets (SQL function of migration 0015).
    static func refreshPostStatus(_ db: Connection, workspace: Int, post: Int) throws {
        try db.query("SELECT refresh_post_publishing_status($1, $2)", [.int(workspace), .int(post)])
    }

    /// Whom to tell that a target failed: the post's author.
    static func author(_ db: Connection, user: Int) throws -> (email: String, name: String)? {
        try db.queryRow("SELECT email, name FROM users WHERE id = $1 AND status = 'active'", [.int(user)]).map {
            (try $0.string(0), try $0.string(1))
        }
    }
}
