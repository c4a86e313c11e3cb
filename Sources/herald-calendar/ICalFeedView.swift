// The calendar feed's content: one VEVENT per post, in UTC, with the post's status, planned time
// and channels in its description.
import HeraldSupport

enum ICalFeedView {
    static func render(name: String, slug: String, events: [FeedEvent], baseURL: String) -> ICalendar {
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
            ical.text(
                "SUMMARY", event.status == "scheduled" || event.status == "published" ? summary : "\(summary) (\(event.status.replacingUnderscores))")
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
