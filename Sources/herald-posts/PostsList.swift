// The posts list: filters (status, campaign, channel, tag, author), ranked full-text search,
// counts per status, pagination, and the same list as CSV.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PostsList {
    static let pageSize = 25

    struct Filter {
        var status: PostStatus?
        var campaign: Int?
        var channel: Int?
        var tag: Int?
        var author: Int?
        var query: String?
        var page = 1

        /// Reads the query string; a value that is not one of the choices is a 400 with the reason.
        init(_ q: FormData) throws {
            func number(_ key: String) throws -> Int? {
                guard let raw = q[key], !raw.isEmpty else { return nil }
                guard let n = Int(raw), n > 0 else { throw HTTPError.badRequest("The filter “\(key)” must be a number from the list.") }
                return n
            }
            if let raw = q["status"], !raw.isEmpty {
                guard let s = PostStatus(rawValue: raw) else { throw HTTPError.badRequest("There is no post status “\(raw)”.") }
                status = s
            }
            campaign = try number("campaign"); channel = try number("channel"); tag = try number("tag"); author = try number("author")
            let text = (q["q"] ?? "").trimmed
            if text.count > 200 { throw HTTPError.badRequest("Search for at most 200 characters.") }
            query = text.isEmpty ? nil : text
            page = try number("page") ?? 1
            if page > 10_000 { throw HTTPError.badRequest("There are not that many pages.") }
        }

        /// Query string of this filter (optionally changed), for links.
        func link(status: PostStatus?? = .none, page: Int? = nil) -> String {
            var parts: [String] = []
            let s: PostStatus? = status ?? self.status
            if let s { parts.append("status=\(s.rawValue)") }
            if let campaign { parts.append("campaign=\(campaign)") }
            if let channel { parts.append("channel=\(channel)") }
            if let tag { parts.append("tag=\(tag)") }
            if let author { parts.append("author=\(author)") }
            if let query { parts.append("q=\(urlEncode(query))") }
            if let page, page > 1 { parts.append("page=\(page)") }
            return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
        }

        /// WHERE conditions from fixed fragments (never user text) and their bound values; $1 is the workspace.
        func conditions(includeStatus: Bool) -> (String, [SQLValue]) {
            var clauses = ["p.workspace_id = $1"]
            var values: [SQLValue] = []
            func add(_ fragment: String, _ value: SQLValue) {
                values.append(value)
                clauses.append(fragment.replacing("$?", with: "$\(values.count + 1)"))
            }
            if includeStatus, let status { add("p.status = $?", .text(status.rawValue)) }
            if let campaign { add("p.campaign_id = $?", .int(campaign)) }
            if let author { add("p.author_id = $?", .int(author)) }
            if let channel { add("EXISTS (SELECT 1 FROM post_targets t WHERE t.workspace_id = p.workspace_id AND t.post_id = p.id AND t.social_account_id = $?)", .int(channel)) }
            if let tag { add("EXISTS (SELECT 1 FROM post_tags pt WHERE pt.workspace_id = p.workspace_id AND pt.post_id = p.id AND pt.tag_id = $?)", .int(tag)) }
            if let query { add("p.search @@ websearch_to_tsquery('english', $?)", .text(query)) }
            return (clauses.joined(separator: " AND "), values)
        }
    }

    struct Row {
        let id: Int, title: String, status: PostStatus, campaign: String?, author: String?, scheduled: String?, channels: String, updated: String, body: String
    }

    /// A search ranks the newest `searchCandidates` matches: ranking every match of a very common
    /// word in a large workspace would cost seconds.
    static let searchCandidates = 1000

    static func rows(_ access: WorkspaceAccess, _ filter: Filter, limit: Int, offset: Int, _ db: Connection) throws -> [Row] {
        let (conditions, values) = filter.conditions(includeStatus: true)
        var params: [SQLValue] = [.int(access.id)] + values
        let source: String
        let order: String
        if let query = filter.query {
            params.append(.text(query))
            params.append(.int(searchCandidates))
            let q = params.count - 1, cap = params.count
            source = """
                (SELECT p.*, ts_rank(p.search, websearch_to_tsquery('english', $\(q))) AS rank
                 FROM posts p WHERE \(conditions) ORDER BY p.created_at DESC, p.id DESC LIMIT $\(cap)) p
                """
            order = "p.rank DESC, p.created_at DESC, p.id DESC"
        } else {
            source = "posts p"
            order = "p.created_at DESC, p.id DESC"
        }
        params += [.text(access.user.timeZone), .int(limit), .int(offset)]
        let tz = params.count - 2, lim = params.count - 1, off = params.count
        return try db.query("""
            SELECT p.id, coalesce(p.title, left(p.body, 80)), p.status, c.name, u.name,
                   to_char(p.scheduled_at AT TIME ZONE $\(tz), 'YYYY-MM-DD HH24:MI'),
                   coalesce((SELECT string_agg(a.platform || ' ' || a.handle, ', ' ORDER BY a.platform)
                             FROM post_targets t JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
                             WHERE t.workspace_id = p.workspace_id AND t.post_id = p.id), ''),
                   to_char(p.updated_at AT TIME ZONE $\(tz), 'YYYY-MM-DD HH24:MI'), p.body
            FROM \(source) LEFT JOIN campaigns c ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id
                 LEFT JOIN users u ON u.id = p.author_id
            \(filter.query == nil ? "WHERE \(conditions)" : "")
            ORDER BY \(order) LIMIT $\(lim) OFFSET $\(off)
            """, params).rows.map { r in
            Row(id: try r.int(0), title: try r.string(1), status: PostStatus(rawValue: try r.string(2)) ?? .draft, campaign: r.optionalString(3),
                author: r.optionalString(4), scheduled: r.optionalString(5), channels: try r.string(6), updated: try r.string(7), body: try r.string(8))
        }
    }

    /// Posts per status for the filter (all statuses), and whether a search hit its candidate cap.
    static func counts(_ access: WorkspaceAccess, _ filter: Filter, _ db: Connection) throws -> (counts: [PostStatus: Int], capped: Bool) {
        var counts: [PostStatus: Int] = [:]
        let unfiltered = filter.campaign == nil && filter.channel == nil && filter.tag == nil && filter.author == nil && filter.query == nil
        let rows: [HeraldDatabase.Row]
        if unfiltered {
            // Kept by triggers (migration 0014), so a large workspace is not counted on every view.
            rows = try db.query("SELECT status, posts FROM post_status_counts WHERE workspace_id = $1 AND posts > 0", [.int(access.id)]).rows
        } else {
            let (conditions, values) = filter.conditions(includeStatus: false)
            let cap = filter.query == nil ? "" : "ORDER BY p.created_at DESC, p.id DESC LIMIT \(searchCandidates + 1)"
            rows = try db.query("SELECT status, count(*) FROM (SELECT p.status FROM posts p WHERE \(conditions) \(cap)) p GROUP BY status",
                                [.int(access.id)] + values).rows
        }
        for r in rows { if let s = PostStatus(rawValue: try r.string(0)) { counts[s] = try r.int(1) } }
        return (counts, filter.query != nil && counts.values.reduce(0, +) > searchCandidates)
    }

    static func show(_ c: RequestContext) throws -> Response {
        let filter = try Filter(c.request.query)
        return try c.inWorkspace(.view) { access, db in
            let rows = try rows(access, filter, limit: pageSize + 1, offset: (filter.page - 1) * pageSize, db)
            let (counts, capped) = try counts(access, filter, db)
            return try c.page("Posts · \(access.workspace.name)", flash: Notice.from(c), current: access.path("/posts"),
                              try PostsListView.html(access, filter, rows: Array(rows.prefix(pageSize)), hasMore: rows.count > pageSize,
                                                     counts: counts, capped: capped, db))
        }
    }

    /// The current filter's posts as CSV (all pages, up to 50,000 rows).
    static func csv(_ c: RequestContext) throws -> Response {
        let filter = try Filter(c.request.query)
        return try c.inWorkspace(.view) { access, db in
            var out = CSV.line(["id", "title", "status", "campaign", "author", "scheduled (\(access.user.timeZone))", "channels", "updated", "body"])
            for r in try rows(access, filter, limit: 50_000, offset: 0, db) {
                out += CSV.line([String(r.id), r.title, r.status.rawValue, r.campaign ?? "", r.author ?? "", r.scheduled ?? "", r.channels, r.updated, r.body])
            }
            var response = Response.text(out, contentType: "text/csv; charset=utf-8")
            response.setHeader("Content-Disposition", "attachment; filename=\"\(access.slug)-posts.csv\"")
            return response
        }
    }
}
