// /w/{slug}/posts: the posts list with its filters (status, campaign, channel, tag, author, words)
// read from the query string, counts per status and pagination. PostsListStore runs the queries.
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
            campaign = try number("campaign")
            channel = try number("channel")
            tag = try number("tag")
            author = try number("author")
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
            if let channel {
                add(
                    "EXISTS (SELECT 1 FROM post_targets t WHERE t.workspace_id = p.workspace_id AND t.post_id = p.id AND t.social_account_id = $?)",
                    .int(channel))
            }
            if let tag {
                add("EXISTS (SELECT 1 FROM post_tags pt WHERE pt.workspace_id = p.workspace_id AND pt.post_id = p.id AND pt.tag_id = $?)", .int(tag))
            }
            if let query { add("p.search @@ websearch_to_tsquery('english', $?)", .text(query)) }
            return (clauses.joined(separator: " AND "), values)
        }
    }

    static func show(_ c: RequestContext) throws -> Response {
        let filter = try Filter(c.request.query)
        return try c.inWorkspace(.view) { access, db in
            let rows = try PostsListStore.rows(access, filter, limit: pageSize + 1, offset: (filter.page - 1) * pageSize, db)
            let (counts, capped) = try PostsListStore.counts(access, filter, db)
            let choices = PostsListView.Choices(
                campaigns: try PostStore.campaigns(access.id, includeArchived: true, db),
                channels: try PostStore.accounts(access.id, db).map { (id: $0.id, name: $0.label) },
                tags: try PostStore.tags(access.id, db), authors: try PostsListStore.authors(access.id, db))
            return try c.page(
                "Posts · \(access.workspace.name)", flash: Notice.from(c), current: access.path("/posts"),
                PostsListView.html(
                    access, filter, rows: Array(rows.prefix(pageSize)), hasMore: rows.count > pageSize,
                    counts: counts, capped: capped, choices: choices))
        }
    }
}
