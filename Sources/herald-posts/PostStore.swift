// Queries on posts and what hangs off them (targets, tags, revisions, reviews), for the pages of
// herald-posts. Times are formatted by PostgreSQL in the viewer's zone.
import HeraldContent
import HeraldDatabase

struct PostRecord {
    let id: Int
    let title: String?
    let body: String
    let status: PostStatus
    let campaignID: Int?
    let campaignName: String?
    let authorID: Int?
    let authorName: String?
    /// In the viewer's zone, e.g. `2026-03-08 09:30`; nil when not scheduled.
    let scheduledLocal: String?
    let scheduledZone: String?
    let version: Int
    let updatedLocal: String

    var displayTitle: String { title ?? String(body.prefix(80)) }
}

struct AccountOption {
    let id: Int
    let platform: String
    let handle: String
    let status: String
    var platformKind: Platform? { Platform(rawValue: platform) }
    var label: String { "\(platformKind?.label ?? platform) · \(handle)" }
}

struct TargetRecord {
    let id: Int
    let account: AccountOption
    let bodyOverride: String?
    let status: TargetStatus
    let attempts: Int
    /// When the worker tries again, in the viewer's zone; nil when no retry is planned.
    let nextAttemptLocal: String?
    let lastError: String?
    /// The post on the platform, once published.
    let externalURL: String?
}

/// What the post form edits.
struct PostContent {
    var title: String?
    var body: String
    var campaignID: Int?
    var tagIDs: [Int]
    var newTags: [String]
    /// Target account id → its own text, if any.
    var targets: [Int: String?]
}

enum PostStore {
    static let columns = """
        p.id, p.title, p.body, p.status, p.campaign_id, c.name, p.author_id, u.name,
        to_char(p.scheduled_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), p.scheduled_zone, p.version,
        to_char(p.updated_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI')
        """

    static func record(_ row: Row) throws -> PostRecord {
        PostRecord(
            id: try row.int(0), title: row.optionalString(1), body: try row.string(2),
            status: PostStatus(rawValue: try row.string(3)) ?? .draft, campaignID: try row.optionalInt(4),
            campaignName: row.optionalString(5), authorID: try row.optionalInt(6), authorName: row.optionalString(7),
            scheduledLocal: row.optionalString(8), scheduledZone: row.optionalString(9), version: try row.int(10),
            updatedLocal: try row.string(11))
    }

    static func find(_ workspace: Int, id: Int, timeZone: String, _ db: Connection) throws -> PostRecord? {
        try db.queryRow(
            """
            SELECT \(columns)
            FROM posts p LEFT JOIN campaigns c ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id
                 LEFT JOIN users u ON u.id = p.author_id
            WHERE p.workspace_id = $1 AND p.id = $2
            """, [.int(workspace), .int(id), .text(timeZone)]
        ).map(record)
    }

    static func accounts(_ workspace: Int, _ db: Connection) throws -> [AccountOption] {
        try db.query(
            """
            SELECT id, platform, handle, status FROM social_accounts
            WHERE workspace_id = $1 AND status <> 'revoked' ORDER BY platform, handle
            """, [.int(workspace)]
        ).rows.map { AccountOption(id: try $0.int(0), platform: try $0.string(1), handle: try $0.string(2), status: try $0.string(3)) }
    }

    static func targets(_ workspace: Int, post: Int, timeZone: String, _ db: Connection) throws -> [TargetRecord] {
        try db.query(
            """
            SELECT a.id, a.platform, a.handle, a.status, t.body_override, t.status, t.id, t.attempts,
                   to_char(t.next_attempt_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), t.last_error, t.external_url
            FROM post_targets t JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
            WHERE t.workspace_id = $1 AND t.post_id = $2 ORDER BY a.platform, a.handle
            """, [.int(workspace), .int(post), .text(timeZone)]
        ).rows.map { row in
            TargetRecord(
                id: try row.int(6),
                account: AccountOption(id: try row.int(0), platform: try row.string(1), handle: try row.string(2), status: try row.string(3)),
                bodyOverride: row.optionalString(4), status: TargetStatus(rawValue: try row.string(5)) ?? .pending, attempts: try row.int(7),
                nextAttemptLocal: row.optionalString(8), lastError: row.optionalString(9), externalURL: row.optionalString(10))
        }
    }

    static func tags(_ workspace: Int, _ db: Connection) throws -> [(id: Int, name: String)] {
        try db.query("SELECT id, name FROM tags WHERE workspace_id = $1 ORDER BY kind, lower(name)", [.int(workspace)])
            .rows.map { (try $0.int(0), try $0.string(1)) }
    }

    static func tagIDs(_ workspace: Int, post: Int, _ db: Connection) throws -> [Int] {
        try db.query("SELECT tag_id FROM post_tags WHERE workspace_id = $1 AND post_id = $2", [.int(workspace), .int(post)]).rows.map {
            try $0.int(0)
        }
    }

    static func campaigns(_ workspace: Int, includeArchived: Bool = false, _ db: Connection) throws -> [(id: Int, name: String)] {
        try db.query(
            """
            SELECT id, name FROM campaigns WHERE workspace_id = $1 AND ($2 OR status <> 'archived') ORDER BY lower(name)
            """, [.int(workspace), .bool(includeArchived)]
        ).rows.map { (try $0.int(0), try $0.string(1)) }
    }

    /// A new draft with revision 1; returns its id.
    static func create(_ workspace: Int, author: Int, _ content: PostContent, _ db: Connection) throws -> Int {
        let id = try db.queryRow(
            """
            INSERT INTO posts (workspace_id, campaign_id, author_id, title, body) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [.int(workspace), .int(content.campaignID), .int(author), .text(content.title), .text(content.body)])!.int(0)
        try saveRelations(workspace, post: id, content, db)
        try db.query(
            "INSERT INTO post_revisions (workspace_id, post_id, version, title, body, editor_id) VALUES ($1, $2, 1, $3, $4, $5)",
            [.int(workspace), .int(id), .text(content.title), .text(content.body), .int(author)])
        return id
    }

    /// Saves new content if the post is still at `version` (optimistic locking); the post goes
    /// back to draft and gets a revision. False when someone changed it meanwhile.
    /// Who saved the post's latest revision (nil: no revision, or the editor's account is gone).
    static func lastEditor(_ workspace: Int, post: Int, _ db: Connection) throws -> Int? {
        try db.queryRow(
            "SELECT editor_id FROM post_revisions WHERE workspace_id = $1 AND post_id = $2 ORDER BY version DESC LIMIT 1",
            [.int(workspace), .int(post)])?.optionalInt(0)
    }

    static func update(_ workspace: Int, post: Int, version: Int, editor: Int, _ content: PostContent, _ db: Connection) throws -> Bool {
        guard
            let row = try db.queryRow(
                """
                UPDATE posts SET title = $4, body = $5, campaign_id = $6, status = 'draft', scheduled_at = NULL, scheduled_zone = NULL,
                       version = version + 1, updated_at = now()
                WHERE workspace_id = $1 AND id = $2 AND version = $3 RETURNING version
                """, [.int(workspace), .int(post), .int(version), .text(content.title), .text(content.body), .int(content.campaignID)])
        else { return false }
        try saveRelations(workspace, post: post, content, db)
        try db.query(
            "INSERT INTO post_revisions (workspace_id, post_id, version, title, body, editor_id) VALUES ($1, $2, $3, $4, $5, $6)",
            [.int(workspace), .int(post), .int(try row.int(0)), .text(content.title), .text(content.body), .int(editor)])
        return true
    }

    static func saveRelations(_ workspace: Int, post: Int, _ content: PostContent, _ db: Connection) throws {
        var tagIDs = content.tagIDs
        for name in content.newTags {
            let id = try db.queryRow(
                """
                INSERT INTO tags (workspace_id, kind, name) VALUES ($1, 'label', $2)
                ON CONFLICT (workspace_id, kind, name) DO UPDATE SET name = EXCLUDED.name RETURNING id
                """, [.int(workspace), .text(name)])!.int(0)
            tagIDs.append(id)
        }
        try db.query("DELETE FROM post_tags WHERE workspace_id = $1 AND post_id = $2", [.int(workspace), .int(post)])
        try db.query(
            """
            INSERT INTO post_tags (workspace_id, post_id, tag_id)
            SELECT $1, $2, t.id FROM tags t WHERE t.workspace_id = $1 AND t.id = ANY($3::bigint[]) ON CONFLICT DO NOTHING
            """, [.int(workspace), .int(post), .text(pgArray(tagIDs))])
        let accountIDs = Array(content.targets.keys)
        try db.query(
            "DELETE FROM post_targets WHERE workspace_id = $1 AND post_id = $2 AND NOT (social_account_id = ANY($3::bigint[]))",
            [.int(workspace), .int(post), .text(pgArray(accountIDs))])
        for (account, override) in content.targets {
            try db.query(
                """
                INSERT INTO post_targets (workspace_id, post_id, social_account_id, body_override)
                SELECT $1, $2, a.id, $4 FROM social_accounts a WHERE a.workspace_id = $1 AND a.id = $3 AND a.status <> 'revoked'
                ON CONFLICT (workspace_id, post_id, social_account_id) DO UPDATE SET body_override = EXCLUDED.body_override, updated_at = now()
                """, [.int(workspace), .int(post), .int(account), .text(override ?? nil)])
        }
    }

    /// Moves the post from `from` to `to` if it is still there (compare-and-set); false otherwise.
    static func transition(
        _ workspace: Int, post: Int, from: PostStatus, to: PostStatus, scheduledAt: String? = nil, zone: String? = nil,
        _ db: Connection
    ) throws -> Int? {
        let keepSchedule = to == .scheduled
        return try db.queryRow(
            """
            UPDATE posts SET status = $4, version = version + 1, updated_at = now(),
                   scheduled_at = CASE WHEN $7 THEN $5::timestamptz ELSE NULL END,
                   scheduled_zone = CASE WHEN $7 THEN $6 ELSE NULL END
            WHERE workspace_id = $1 AND id = $2 AND status = $3 RETURNING version
            """, [.int(workspace), .int(post), .text(from.rawValue), .text(to.rawValue), .text(scheduledAt), .text(zone), .bool(keepSchedule)]
        )
        .map { try $0.int(0) }
    }

    /// The schedule form's date and time in the viewer's zone: the post's scheduled time, else tomorrow at this hour.
    static func scheduleDefaults(_ workspace: Int, post: Int, timeZone: String, _ db: Connection) throws -> (date: String, time: String)? {
        try db.queryRow(
            """
            SELECT to_char(coalesce(p.scheduled_at, date_trunc('hour', now()) + interval '1 day') AT TIME ZONE $3, 'YYYY-MM-DD'),
                   to_char(coalesce(p.scheduled_at, date_trunc('hour', now()) + interval '1 day') AT TIME ZONE $3, 'HH24:MI')
            FROM posts p WHERE p.workspace_id = $1 AND p.id = $2
            """, [.int(workspace), .int(post), .text(timeZone)]
        ).map { (date: $0.optionalString(0) ?? "", time: $0.optionalString(1) ?? "09:00") }
    }

    /// Whether `instant` (as LocalTime resolved it) is still ahead, by the database's clock.
    static func isFuture(_ instant: String, _ db: Connection) throws -> Bool {
        try db.queryRow("SELECT $1::timestamptz > now()", [.text(instant)])!.bool(0)
    }

    /// The review row for the post's current version; false when PostgreSQL refuses it because the reviewer wrote the post.
    static func addReview(_ workspace: Int, post: PostRecord, reviewer: Int, decision: String, comment: String, _ db: Connection) throws -> Bool {
        do {
            try db.query(
                """
                INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''))
                """, [.int(workspace), .int(post.id), .int(post.version), .int(reviewer), .text(decision), .text(comment)])
            return true
        } catch let error as DatabaseError where error.constraint == "reviews_not_self_approval" {
            return false
        }
    }

    /// Deletes the post if it is still in `status` (compare-and-set); false otherwise.
    static func delete(_ workspace: Int, post: Int, status: PostStatus, _ db: Connection) throws -> Bool {
        try db.query(
            "DELETE FROM posts WHERE workspace_id = $1 AND id = $2 AND status = $3",
            [.int(workspace), .int(post), .text(status.rawValue)]
        ).affectedRows == 1
    }

    static func pgArray(_ ids: [Int]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }
}
