// /ical/{token}.ics: the feed a calendar app subscribes to. The token alone finds the feed (policy
// feed_token_lookup); then the tenant is the feed's workspace, and the feed answers only while its
// owner is an active member there (a feed is deleted with the membership, so leaving ends it: 404).
// One VEVENT per post with a time (any status, like the calendar), in UTC.
import HeraldDatabase
import HeraldFastCGI
import HeraldWeb

enum ICalFeed {
    /// The most upcoming and most recent past posts a feed holds (calendar apps poll the whole file).
    static let upcomingLimit = 2000
    static let pastLimit = 500

    struct Event {
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

    static func show(_ c: RequestContext) throws -> Response {
        let file = try c.parameter("file")
        guard file.hasSuffix(".ics") else { throw HTTPError.notFound }
        let token = String(file.dropLast(4))
        guard token.utf8.count == 43 else { throw HTTPError.notFound }
        let (slug, body) = try c.db().transaction { db -> (String, [UInt8]) in
            guard let feed = try FeedStore.find(token: token, db) else { throw HTTPError.notFound }
            try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(feed.workspaceID))])
            guard let workspace = try db.queryRow("""
                SELECT w.name, w.slug FROM workspaces w
                JOIN memberships m ON m.workspace_id = w.id AND m.user_id = $2
                JOIN users u ON u.id = m.user_id AND u.status = 'active'
                WHERE w.id = $1
                """, [.int(feed.workspaceID), .int(feed.userID)]) else { throw HTTPError.notFound }
            try FeedStore.touch(feed, db)
            try CalendarStore.withoutJIT(db)
            let slug = try workspace.string(1)
            let calendar = render(name: try workspace.string(0), slug: slug, events: try events(workspace: feed.workspaceID, db), baseURL: c.config.baseURL)
            return (slug, calendar.bytes)
        }
        return Response(status: 200, headers: [("Content-Type", "text/calendar; charset=utf-8"),
                                               ("Content-Disposition", "inline; filename=\"herald-\(slug).ics\"")], body: body)
    }

    /// The nearest upcoming posts and the latest past ones, in time order; times in UTC.
    static func events(workspace: Int, _ db: Connection) throws -> [Event] {
        try db.query("""
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
            """, [.int(workspace), .int(upcomingLimit), .int(pastLimit)]).rows.map { row in
            Event(id: try row.int(0), status: try row.string(1), title: row.optionalString(2), body: try row.string(3),
                  start: try row.string(4), end: try row.string(5), stamp: try row.string(6), modified: try row.string(7),
                  sequence: try row.int(8), zone: try row.string(9), planned: try row.string(10), platforms: row.optionalString(11))
        }
    }

    static func render(name: String, slug: String, events: [Event], baseURL: String) -> ICalendar {
        let host = hostName(of: baseURL)
        var ical = ICalendar()
        ical.property("BEGIN", "VCALENDAR")
        ical.property("VERSION", "2.0")
        ical.property("PRODID", "-//Herald//Calendar feed//EN")
        ical.property("CALSCALE", "GREGORIAN")
        ical.property("METHOD", "PUBLISH")
        ical.text("X-WR-CALNAME", "\(name) · Herald")
        ical.text("X-WR-CALDESC", "Posts of \(name) with a date, from Herald")
        ical.property("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
        ical.property("X-PUBLISHED-TTL", "PT1H")
        for event in events {
            let summary = event.title.map { $0.trimmed }.flatMap { $0.isEmpty ? nil : $0 } ?? firstLine(event.body)
            var description = event.body
            description += "\n\nStatus: \(event.status.replacingUnderscores)"
            description += "\nPlanned for \(event.planned) (\(event.zone))"
            if let platforms = event.platforms { description += "\nChannels: \(platforms)" }
            ical.property("BEGIN", "VEVENT")
            ical.property("UID", "post-\(event.id)@\(host)")
            ical.property("DTSTAMP", event.stamp)
            ical.property("DTSTART", event.start)
            ical.property("DTEND", event.end)
            ical.property("LAST-MODIFIED", event.modified)
            ical.property("SEQUENCE", String(event.sequence))
            ical.text("SUMMARY", event.status == "scheduled" || event.status == "published" ? summary : "\(summary) (\(event.status.replacingUnderscores))")
            ical.text("DESCRIPTION", description)
            ical.property("URL", "\(baseURL)/w/\(slug)/posts/\(event.id)")
            ical.property("STATUS", eventStatus(event.status))
            ical.property("TRANSP", "TRANSPARENT")
            ical.property("END", "VEVENT")
        }
        ical.property("END", "VCALENDAR")
        return ical
    }

    /// CONFIRMED once it is scheduled or later, TENTATIVE while still in the workflow, CANCELLED if rejected.
    static func eventStatus(_ status: String) -> String {
        switch status {
        case "draft", "in_review", "approved": return "TENTATIVE"
        case "rejected": return "CANCELLED"
        default: return "CONFIRMED"
        }
    }

    /// The body's first line, at most 80 characters, for a post without a title.
    static func firstLine(_ body: String) -> String {
        let line = body.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map { String($0).trimmed } ?? ""
        if line.isEmpty { return "Post" }
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }

    /// `https://herald.example.com:8443/x` → `herald.example.com`, for the events' UIDs.
    static func hostName(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        rest = rest.prefix { $0 != "/" }
        if rest.hasPrefix("[") { return String(rest.prefix { $0 != "]" }.dropFirst()) }
        return String(rest.prefix { $0 != ":" })
    }
}

extension String {
    /// `in_review` → `in review`.
    var replacingUnderscores: String {
        switch self {
        case "in_review": return "in review"
        case "partially_published": return "partially published"
        default: return utf8.contains(UInt8(ascii: "_")) ? String(map { $0 == "_" ? " " : $0 }) : self
        }
    }
}
