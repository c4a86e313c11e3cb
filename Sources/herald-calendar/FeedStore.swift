// Queries on calendar_feeds: a member's one secret feed per workspace, stored as the SHA-256 of
// its token only, the lookup by token that the iCal request (no session) starts with, and the
// posts a feed lists.
import HeraldCrypto
import HeraldDatabase

/// A member's feed as the calendar page describes it.
struct FeedStatus {
    /// When the current address was made, in the viewer's zone.
    let created: String
    /// When a calendar app last fetched it, or nil if never.
    let lastUsed: String?
}

/// A post as the feed lists it: times in UTC, formatted for iCalendar.
struct FeedEvent {
    let id: Int
    let status: String
    let title: String?
    let body: String
    let start: String
    let end: String
    let stamp: String
    let modified: String
    let sequence: Int
    let zone: String
    let planned: String
    let platforms: String?
}

/// The feed a token names, before the tenant is set.
struct FeedOwner {
    let id: Int
    let workspaceID: Int
    let userID: Int
}

enum FeedStore {
    static func status(workspace: Int, user: Int, zone: String, _ db: Connection) throws -> FeedStatus? {
        guard
            let row = try db.queryRow(
                """
                SELECT to_char(created_at AT TIME ZONE $3, 'DD Mon YYYY, HH24:MI'), to_char(last_used_at AT TIME ZONE $3, 'DD Mon YYYY, HH24:MI')
                FROM calendar_feeds WHERE workspace_id = $1 AND user_id = $2
                """, [.int(workspace), .int(user), .text(zone)])
        else { return nil }
        return FeedStatus(created: try row.string(0), lastUsed: row.optionalString(1))
    }

    /// Makes the member's feed address, replacing any earlier one (which stops working), and
    /// returns the token; only its hash is kept.
    static func replace(workspace: Int, user: Int, _ db: Connection) throws -> String {
        let token = Sodium.randomToken()
        try db.query(
            """
            INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ($1, $2, $3)
            ON CONFLICT (workspace_id, user_id)
            DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now(), last_used_at = NULL
            """, [.int(workspace), .int(user), .bytes(Sodium.sha256(token))])
        return token
    }

    /// Deletes the member's feed; false if there was none.
    static func revoke(workspace: Int, user: Int, _ db: Connection) throws -> Bool {
        try db.query(
            "DELETE FROM calendar_feeds WHERE workspace_id = $1 AND user_id = $2",
            [.int(workspace), .int(user)]
        ).affectedRows == 1
    }

    /// The feed of a token, through the policy feed_token_lookup; run inside a transaction with no
    /// tenant set. Clears the token setting again before returning.
    static func find(token: String, _ db: Connection) throws -> FeedOwner? {
        let hash = Sodium.sha256(token)
        try db.query("SELECT set_config('app.feed_token', $1, true)", [.text(Sodium.hex(hash))])
        let row = try db.queryRow("SELECT id, workspace_id, user_id FROM calendar_feeds WHERE token_hash = $1", [.bytes(hash)])
        try db.query("SELECT set_config('app.feed_token', '', true)")
        guard let row else { return nil }
        return FeedOwner(id: try row.int(0), workspaceID: try row.int(1), userID: try row.int(2))
    }

    /// Records a fetch, at most every ten minutes (calendar apps poll; most fetches stay read-only).
    static func touch(_ feed: FeedOwner, _ db: Connection) throws {
        try db.query(
            """
            UPDATE calendar_feeds SET last_used_at = now()
            WHERE workspace_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '10 minutes')
            """, [.int(feed.workspaceID), .int(feed.id)])
    }

    /// Makes the feed's workspace the tenant and returns its name and slug; nil unless the feed's
    /// owner is still an active member there.
    static func workspace(of feed: FeedOwner, _ db: Connection) throws -> (name: String, slug: String)? {
        try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(feed.workspaceID))])
        guard
            let row = try db.queryRow(
                """
                SELECT w.name, w.slug FROM workspaces w
                JOIN memberships m ON m.workspace_id = w.id AND m.user_id = $2
                JOIN users u ON u.id = m.user_id AND u.status = 'active'
                WHERE w.id = $1
                """, [.int(feed.workspaceID), .int(feed.userID)])
        else { return nil }
        return (try row.string(0), try row.string(1))
    }

    /// The nearest `upcoming` posts and the latest `past` ones, in time order; times in UTC.
    static func events(workspace: Int, upcoming: Int, past: Int, _ db: Connection) throws -> [FeedEvent] {
        try db.query(
            """
            SELECT p.id, p.status, p.title, p.body,
                   to_char(p.scheduled_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"'),
                   to_char((p.scheduled_at + interval '15 minutes') AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"'),
                   to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"'),
                   to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"'),
                   p.version, p.scheduled_zone, to_char(p.scheduled_at AT TIME ZONE p.scheduled_zone, 'YYYY-MM-DD HH24:MI'),
                   (SELECT string_agg(DISTINCT a.platform || ' ' || a.handle, ', ') FROM post_targets t
                    JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
                    WHERE t.workspace_id = p.workspace_id AND t.post_id = p.id)
            FROM ((SELECT id, workspace_id, status, title, body, scheduled_at, scheduled_zone, updated_at, version
                   FROM posts WHERE workspace_id = $1 AND scheduled_at >= now() ORDER BY scheduled_at LIMIT $2)
                  UNION ALL
                  (SELECT id, workspace_id, status, title, body, scheduled_at, scheduled_zone, updated_at, version
                   FROM posts WHERE workspace_id = $1 AND scheduled_at < now() ORDER BY scheduled_at DESC LIMIT $3)) p
            ORDER BY p.scheduled_at, p.id
            """, [.int(workspace), .int(upcoming), .int(past)]
        ).rows.map { row in
            FeedEvent(
                id: try row.int(0), status: try row.string(1), title: row.optionalString(2), body: try row.string(3),
                start: try row.string(4), end: try row.string(5), stamp: try row.string(6), modified: try row.string(7),
                sequence: try row.int(8), zone: try row.string(9), planned: try row.string(10), platforms: row.optionalString(11))
        }
    }
}
