// Markup the calendar pages share: names of months and weekdays, the toolbar with its
// previous/today/next links and view switch, a post as one line of a day or an hour, and the
// wording of a post's status (also in the feed).
import HeraldHTML
import HeraldIdentity

enum CalendarView {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func monthName(_ month: Int) -> String { (1...12).contains(month) ? months[month - 1] : "" }
    static func weekdayName(_ weekday: Int) -> String { (1...7).contains(weekday) ? weekdays[weekday - 1] : "" }
    static func weekdayShort(_ weekday: Int) -> String { String(weekdayName(weekday).prefix(3)) }

    /// `Sunday 8 March 2026`.
    static func longDate(_ day: CalendarDay) -> String {
        "\(weekdayName(day.weekday)) \(day.dayOfMonth) \(monthName(day.month)) \(day.year)"
    }

    enum View: String { case month, week, day }

    /// Heading, previous/today/next links, the switch between month, week and day, and a line
    /// saying which time zone the times are in.
    static func toolbar(
        _ access: WorkspaceAccess, heading: String, view: View, previous: (String, String), next: (String, String),
        anchorDay: String, today: String
    ) -> HTML {
        let base = access.path("/calendar")
        let views: [(View, String, String)] = [
            (.month, "Month", "\(base)?month=\(anchorDay.prefix(7))"),
            (.week, "Week", "\(base)/week?start=\(anchorDay)"),
            (.day, "Day", "\(base)/day?date=\(anchorDay)"),
        ]
        let switcher = views.map { item -> HTML in
            item.0 == view ? "<a href=\"\(item.2)\" aria-current=\"page\">\(item.1)</a>" : "<a href=\"\(item.2)\">\(item.1)</a>"
        }
        let todayHref = view == .month ? base : "\(base)/\(view.rawValue)"
        return """
            <div class="cal-toolbar"><h1>\(heading)</h1>
            <nav class="cal-nav" aria-label="Previous and next">\
            <a class="button small" rel="prev nofollow" href="\(previous.0)"><span aria-hidden="true">← </span>\(previous.1)</a>\
            <a class="button small" href="\(todayHref)">Today</a>\
            <a class="button small" rel="next nofollow" href="\(next.0)">\(next.1)<span aria-hidden="true"> →</span></a></nav>
            <nav class="cal-views" aria-label="Calendar view">\(switcher)</nav></div>
            <p class="muted small cal-zone">Times are in your time zone, <strong>\(access.user.timeZone)</strong> \
            (<a href="/account">change</a>). Today is \(today).</p>
            """
    }

    /// A post as one line: time, title or first words, status badge; linked to its page.
    static func post(_ post: CalendarPost, _ access: WorkspaceAccess, details: Bool = false) -> HTML {
        var hints: [String] = []
        if post.zone != access.user.timeZone { hints.append("Planned for \(post.zoneTime) in \(post.zone)") }
        if let platforms = post.platforms { hints.append(platforms) }
        let hint = hints.joined(separator: " · ")
        let extra: HTML = details && !hint.isEmpty ? "<span class=\"cal-hint muted small\">\(hint)</span>" : HTML()
        return """
            <li class="cal-post cal-status-\(post.status)"><a href="\(access.path("/posts/\(post.id)"))"\
            \(hint.isEmpty ? HTML() : HTML(" title=\"\(hint)\""))><time>\(post.time)</time> \
            <span class="cal-label">\(post.label)</span></a> \(status(post.status))\(extra)</li>
            """
    }

    static func status(_ status: String) -> HTML {
        let tone: String
        switch status {
        case "scheduled", "publishing": tone = "info"
        case "published": tone = "success"
        case "partially_published", "in_review": tone = "warn"
        case "failed", "rejected": tone = "danger"
        case "approved": tone = "accent"
        default: tone = "muted"
        }
        return "<span class=\"badge \(tone) cal-badge\">\(status.replacingUnderscores)</span>"
    }

    /// "+ N more" under a day or an hour, to the day page.
    static func more(_ cell: CalendarCell, href: String) -> HTML {
        cell.more > 0 ? "<a class=\"cal-more\" href=\"\(href)\">+ \(cell.more) more</a>" : HTML()
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
