// Helpers for the calendar and iCal tests: posts placed directly at known instants (as the
// superuser, like Fixtures), viewers in chosen time zones, where a post sits on a page, feeds made
// through the page, and a feed read back by Python's icalendar parser.
import Foundation
import Testing

enum CalendarFixtures {
    /// A post with a time, inserted as the superuser; returns its id.
    @discardableResult
    static func post(
        in workspace: Fixtures.Workspace, at instant: String, zone: String = "UTC", status: String = "scheduled",
        title: String? = nil, body: String = "A post body"
    ) throws -> Int {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        return try admin.queryRow(
            """
            INSERT INTO posts (workspace_id, title, body, status, scheduled_at, scheduled_zone, published_at)
            VALUES ($1, $2, $3, $4, $5::timestamptz, $6, CASE WHEN $4 IN ('published', 'partially_published') THEN $5::timestamptz END)
            RETURNING id
            """, [.int(workspace.id), .text(title), .text(body), .text(status), .text(instant), .text(zone)])!.int(0)
    }

    /// A user whose account is in `zone`.
    static func user(_ name: String, zone: String) throws -> Fixtures.User {
        let user = try Fixtures.user(name)
        try TestEnvironment.connectSuperuser(database: "herald").query("UPDATE users SET time_zone = $1 WHERE id = $2", [.text(zone), .int(user.id)])
        return user
    }

    /// Where the link to a post sits on a page: the `data-day` and `data-hour` of its table cell
    /// (month and week views), or nil when the post is not on the page.
    static func cell(of post: Int, in page: HTTPResponse, slug: String) -> (day: String, hour: String?)? {
        let link = "href=\"/w/\(slug)/posts/\(post)\""
        guard let segment = page.body.components(separatedBy: "<td").dropFirst().first(where: { $0.contains(link) }) else { return nil }
        let attributes = String(segment.prefix { $0 != ">" })
        return (value("data-day", in: attributes) ?? "", value("data-hour", in: attributes))
    }

    /// The item of a post (its `<li>`), for checking the time and badge shown.
    static func item(of post: Int, in page: HTTPResponse, slug: String) -> String? {
        let link = "href=\"/w/\(slug)/posts/\(post)\""
        return page.body.components(separatedBy: "<li").first(where: { $0.contains(link) }).map { String($0.prefix { $0 != "\n" }) }
    }

    static func value(_ attribute: String, in text: String) -> String? {
        guard let start = text.range(of: "\(attribute)=\"") else { return nil }
        return String(text[start.upperBound...].prefix { $0 != "\"" })
    }

    /// Makes the user's feed for a workspace through the calendar page; returns its path `/ical/….ics`.
    static func makeFeed(_ browser: Browser, slug: String) throws -> String {
        try browser.get("/w/\(slug)/calendar")
        let page = try browser.post("/w/\(slug)/calendar/feed", [])
        guard page.status == 200, let url = page.firstMatch(#"value="(http[^"]*/ical/[A-Za-z0-9_-]{43}\.ics)""#) else {
            throw TestFailure("no feed address on the page (\(page.status)): \(page.body.prefix(300))")
        }
        return String(url.dropFirst(TestEnvironment.baseURL.count))
    }

    /// GETs a feed without any cookie, as a calendar app would.
    static func fetch(_ path: String) throws -> HTTPResponse { try HTTPClient.send(method: "GET", path: path) }
}

/// A feed as Python's `icalendar` (PyPI) parses it.
struct ParsedCalendar: Decodable {
    struct Event: Decodable {
        let uid: String
        /// ISO 8601 in UTC, `2027-03-14T07:30:00Z`.
        let dtstart: String
        let dtend: String
        let summary: String
        let description: String
        let url: String
        let status: String
    }
    let properties: [String: String]
    let events: [Event]

    static let script = #"""
        import json, sys
        from icalendar import Calendar
        cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
        errors = [(c.name, str(e)) for c in cal.walk() for e in c.errors]
        if errors:
            sys.exit("icalendar reports errors: %r" % errors)
        def utc(v):
            return v.isoformat().replace("+00:00", "Z")
        print(json.dumps({
            "properties": {k: str(cal.get(k)) for k in ("VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME") if k in cal},
            "events": [{"uid": str(e.get("UID")), "dtstart": utc(e.decoded("DTSTART")), "dtend": utc(e.decoded("DTEND")),
                        "summary": str(e.get("SUMMARY")), "description": str(e.get("DESCRIPTION")),
                        "url": str(e.get("URL")), "status": str(e.get("STATUS"))} for e in cal.walk("VEVENT")],
        }))
        """#

    /// Parses the feed's bytes with `python3 -c script` (scripts/test.sh installs icalendar).
    static func parse(_ body: String) throws -> ParsedCalendar {
        let path = TestEnvironment.temporaryDirectory + "/feed-\(UUID().uuidString).ics"
        try Data(body.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try TestEnvironment.run("/usr/bin/env", ["python3", "-c", script, path])
        return try JSONDecoder().decode(ParsedCalendar.self, from: Data(output.utf8))
    }

    func event(uid: String) -> Event? { events.first { $0.uid == uid } }
}
