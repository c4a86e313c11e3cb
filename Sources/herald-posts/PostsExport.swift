// /w/{slug}/posts.csv: the posts list's current filter as CSV, all pages at once.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PostsExport {
    /// The current filter's posts as CSV (all pages, up to 50,000 rows), streamed: each row is
    /// written as PostgreSQL sends it, so the export holds one post in memory, not 50,000. The
    /// access check runs before the head goes out (a 404 stays a 404); the rows come from one
    /// query, so the file is one consistent snapshot.
    static func csv(_ c: RequestContext) throws -> Response {
        let filter = try PostsList.Filter(c.request.query)
        let (slug, zone) = try c.inWorkspace(.view) { access, _ in (access.slug, access.user.timeZone) }
        var response = Response.text("", contentType: "text/csv; charset=utf-8")
        response.setHeader("Content-Disposition", "attachment; filename=\"\(slug)-posts.csv\"")
        response.stream = ResponseStream { out in
            out.write(CSV.line(["id", "title", "status", "campaign", "author", "scheduled (\(zone))", "channels", "updated", "body"]))
            try c.inWorkspace(.view) { access, db in
                try PostsListStore.forEachRow(access, filter, limit: 50_000, withBody: true, db) { r in
                    out.write(
                        CSV.line([
                            String(r.id), r.title, r.status.rawValue, r.campaign ?? "", r.author ?? "", r.scheduled ?? "", r.channels, r.updated,
                            r.body,
                        ]))
                }
            }
        }
        return response
    }
}
