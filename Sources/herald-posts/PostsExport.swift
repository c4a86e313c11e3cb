// /w/{slug}/posts.csv: the posts list's current filter as CSV, all pages at once.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PostsExport {
    /// The current filter's posts as CSV (all pages, up to 50,000 rows).
    static func csv(_ c: RequestContext) throws -> Response {
        let filter = try PostsList.Filter(c.request.query)
        return try c.inWorkspace(.view) { access, db in
            var out = CSV.line(["id", "title", "status", "campaign", "author", "scheduled (\(access.user.timeZone))", "channels", "updated", "body"])
            for r in try PostsListStore.rows(access, filter, limit: 50_000, offset: 0, withBody: true, db) {
                out += CSV.line([
                    String(r.id), r.title, r.status.rawValue, r.campaign ?? "", r.author ?? "", r.scheduled ?? "", r.channels, r.updated, r.body,
                ])
            }
            var response = Response.text(out, contentType: "text/csv; charset=utf-8")
            response.setHeader("Content-Disposition", "attachment; filename=\"\(access.slug)-posts.csv\"")
            return response
        }
    }
}
