// The posts list's queries: a page of the filter's posts (ranked when searching), the posts per
// status, and the members to filter by author.
import HeraldDatabase
import HeraldIdentity

enum PostsListStore {
    struct Row {
        let id: Int, title: String, status: PostStatus, campaign: String?, author: String?, scheduled: String?, channels: String, updated: String,
            body: String

        /// The columns of `rowsQuery`.
        init(_ r: HeraldDatabase.Row) throws {
            id = try r.int(0)
            title = try r.string(1)
            status = PostStatus(rawValue: try r.string(2)) ?? .draft
            campaign = r.optionalString(3)
            author = r.optionalString(4)
            scheduled = r.optionalString(5)
            channels = try r.string(6)
            updated = try r.string(7)
            body = try r.string(8)
        }
    }

    /// A search ranks the newest `searchCandidates` matches: ranking every match of a very common
    /// word in a large workspace would cost seconds.
    static let searchCandidates = 1000

    /// A page of the filter's posts, newest first or, when searching, best match first. The page's
    /// `limit` and `offset` are written into the statement (whole numbers, never user text): with
    /// them as parameters PostgreSQL plans the statement again on every request. The list leaves out
    /// `updated` and `body` (empty), which only the CSV export shows (`withBody`).
    static func rows(
        _ access: WorkspaceAccess, _ filter: PostsList.Filter, limit: Int, offset: Int, withBody: Bool = false, _ db: Connection
    ) throws -> [Row] {
        let (sql, params) = rowsQuery(access, filter, limit: limit, offset: offset, withBody: withBody)
        return try db.query(sql, params).rows.map(Row.init)
    }

    /// The same rows handed to `body` one at a time as PostgreSQL sends them (the CSV export: any
    /// number of posts in the memory of one).
    static func forEachRow(
        _ access: WorkspaceAccess, _ filter: PostsList.Filter, limit: Int, withBody: Bool, _ db: Connection, _ body: (Row) throws -> Void
    ) throws {
        let (sql, params) = rowsQuery(access, filter, limit: limit, offset: 0, withBody: withBody)
        try db.forEachRow(sql, params) { try body(try Row($0)) }
    }

    static func rowsQuery(_ access: WorkspaceAccess, _ filter: PostsList.Filter, limit: Int, offset: Int, withBody: Bool) -> (String, [SQLValue]) {
        let (conditions, values) = filter.conditions(includeStatus: true)
        var params: [SQLValue] = [.int(access.id)] + values
        let page = "LIMIT \(max(0, limit)) OFFSET \(max(0, offset))"
        let source: String
        let order: String
        if let query = filter.query {
            params.append(.text(query))
            params.append(.int(searchCandidates))
            let q = params.count - 1
            let cap = params.count
            // Rank the newest candidates, keep the page's ids, and only then join and format those:
            // formatting every candidate before the sort cost most of the query.
            source = """
                (SELECT r.id, r.created_at, r.rank FROM (
                     SELECT p.id, p.created_at, ts_rank(p.search, websearch_to_tsquery('english', $\(q))) AS rank
                     FROM posts p WHERE \(conditions) ORDER BY p.created_at DESC, p.id DESC LIMIT $\(cap)) r
                 ORDER BY r.rank DESC, r.created_at DESC, r.id DESC \(page)) k
                JOIN posts p ON p.workspace_id = $1 AND p.id = k.id
                """
            order = "k.rank DESC, k.created_at DESC, k.id DESC"
        } else {
            source = "posts p"
            order = "p.created_at DESC, p.id DESC \(page)"
        }
        params.append(.text(access.user.timeZone))
        let tz = params.count
        let extra = withBody ? "to_char(p.updated_at AT TIME ZONE $\(tz), 'YYYY-MM-DD HH24:MI'), p.body" : "'', ''"
        let sql = """
            SELECT p.id, coalesce(p.title, left(p.body, 80)), p.status, c.name, u.name,
                   to_char(p.scheduled_at AT TIME ZONE $\(tz), 'YYYY-MM-DD HH24:MI'),
                   coalesce((SELECT string_agg(a.platform || ' ' || a.handle, ', ' ORDER BY a.platform)
                             FROM post_targets t JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
                             WHERE t.workspace_id = p.workspace_id AND t.post_id = p.id), ''),
                   \(extra)
            FROM \(source) LEFT JOIN campaigns c ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id
                 LEFT JOIN users u ON u.id = p.author_id
            \(filter.query == nil ? "WHERE \(conditions)" : "")
            ORDER BY \(order)
            """
        return (sql, params)
    }

    /// Posts per status for the filter (all statuses), and whether a search hit its candidate cap.
    static func counts(_ access: WorkspaceAccess, _ filter: PostsList.Filter, _ db: Connection) throws -> (counts: [PostStatus: Int], capped: Bool) {
        var counts: [PostStatus: Int] = [:]
        let unfiltered = filter.campaign == nil && filter.channel == nil && filter.tag == nil && filter.author == nil && filter.query == nil
        let rows: [HeraldDatabase.Row]
        if unfiltered {
            // Kept by triggers (migration 0014), so a large workspace is not counted on every view.
            rows = try db.query("SELECT status, posts FROM post_status_counts WHERE workspace_id = $1 AND posts > 0", [.int(access.id)]).rows
        } else {
            let (conditions, values) = filter.conditions(includeStatus: false)
            let cap = filter.query == nil ? "" : "ORDER BY p.created_at DESC, p.id DESC LIMIT \(searchCandidates + 1)"
            rows = try db.query(
                "SELECT status, count(*) FROM (SELECT p.status FROM posts p WHERE \(conditions) \(cap)) p GROUP BY status",
                [.int(access.id)] + values
            ).rows
        }
        for r in rows { if let s = PostStatus(rawValue: try r.string(0)) { counts[s] = try r.int(1) } }
        return (counts, filter.query != nil && counts.values.reduce(0, +) > searchCandidates)
    }

    /// The workspace's members by name, for the author filter.
    static func authors(_ workspace: Int, _ db: Connection) throws -> [(id: Int, name: String)] {
        try db.query(
            """
            SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY lower(u.name)
            """, [.int(workspace)]
        ).rows.map { (id: try $0.int(0), name: try $0.string(1)) }
    }
}
