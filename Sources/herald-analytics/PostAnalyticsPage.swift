// /w/{slug}/analytics/posts/{id}: one post's targets, each with its latest counters and its curve
// over time, and why collection stopped where it did.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostAnalyticsPage {
    static func show(_ c: RequestContext) throws -> Response {
        guard let id = Int(try c.parameter("id")), id > 0 else { throw HTTPError.notFound }
        let access = try c.inWorkspace(.view) { access, _ in access }
        let (loaded, asOf) = try AnalyticsRead.run(c, access) { db -> (PostSummary, [TargetCurve])? in
            guard let post = try PostAnalyticsStore.post(access.id, id, db) else { return nil }
            let channels = try AnalyticsStore.channels(access.id, db)
            return (post, try PostAnalyticsStore.targets(access.id, post: id, channels: channels, db))
        }
        guard let (post, targets) = loaded else { throw HTTPError.notFound }
        let name = post.title.isEmpty ? "Post \(post.id)" : post.title
        return try c.page(
            "\(name) · Analytics · \(access.workspace.name)", current: access.path("/analytics"),
            PostAnalyticsView.render(access, post, targets, dataAsOf: asOf))
    }
}
