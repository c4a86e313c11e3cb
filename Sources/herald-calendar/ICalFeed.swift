// /ical/{token}.ics: the feed a calendar app subscribes to. The token alone finds the feed (policy
// feed_token_lookup); then the tenant is the feed's workspace, and the feed answers only while its
// owner is an active member there (a feed is deleted with the membership, so leaving ends it: 404).
// One VEVENT per post with a time (any status, like the calendar), in UTC (ICalFeedView).
import HeraldFastCGI
import HeraldWeb

enum ICalFeed {
    /// The most upcoming and most recent past posts a feed holds (calendar apps poll the whole file).
    static let upcomingLimit = 2000
    static let pastLimit = 500

    static func show(_ c: RequestContext) throws -> Response {
        let file = try c.parameter("file")
        guard file.hasSuffix(".ics") else { throw HTTPError.notFound }
        let token = String(file.dropLast(4))
        guard token.utf8.count == 43 else { throw HTTPError.notFound }
        let (slug, body) = try c.db().transaction { db -> (String, [UInt8]) in
            guard let feed = try FeedStore.find(token: token, db) else { throw HTTPError.notFound }
            guard let workspace = try FeedStore.workspace(of: feed, db) else { throw HTTPError.notFound }
            try FeedStore.touch(feed, db)
            try CalendarStore.withoutJIT(db)
            let events = try FeedStore.events(workspace: feed.workspaceID, upcoming: upcomingLimit, past: pastLimit, db)
            let calendar = ICalFeedView.render(name: workspace.name, slug: workspace.slug, events: events, baseURL: c.config.baseURL)
            return (workspace.slug, calendar.bytes)
        }
        return Response(
            status: 200,
            headers: [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", "inline; filename=\"herald-\(slug).ics\""),
            ], body: body)
    }
}
