// The week's markup: one row per hour, a column per day. The rows run 07:00–20:00 and stretch to
// any earlier or later hour that has posts. On a day the clocks fall back, both passes through the
// repeated hour share its row; on a day they spring forward, the skipped hour's row stays empty.
import HeraldHTML
import HeraldIdentity

enum WeekView {
    static let workingHours = 7...20

    /// `cells` are keyed by `YYYY-MM-DD HH`.
    static func render(_ access: WorkspaceAccess, frame: CalendarFrame, cells: [String: CalendarCell]) -> HTML {
        let busy = cells.keys.compactMap { QueryDate.number(Array($0.utf8).suffix(2)) }
        let hours = min(workingHours.lowerBound, busy.min() ?? 24)...max(workingHours.upperBound, busy.max() ?? 0)
        let base = access.path("/calendar/week")
        let heading = weekHeading(frame)
        let anchor = frame.days.first(where: \.isToday)?.date ?? frame.first.date
        return """
            \(CalendarView.toolbar(access, heading: heading, view: .week, previous: ("\(base)?start=\(frame.previous)", "Previous week"),
                                   next: ("\(base)?start=\(frame.next)", "Next week"), anchorDay: anchor, today: frame.today))
            <div class="cal-scroll"><table class="cal-week">
            <caption class="visually-hidden">Posts by hour, \(heading)</caption>
            <thead><tr><th scope="col" class="cal-hour"><span class="visually-hidden">Hour</span></th>\(frame.days.map { header($0, access) })</tr></thead>
            <tbody>\(hours.map { row($0, frame, cells, access) })</tbody></table></div>
            \(cells.isEmpty ? HTML("<p class=\"empty\">Nothing planned this week yet.</p>") : HTML())
            """
    }

    /// `9 – 15 March 2026`, `30 March – 5 April 2026` or `29 December 2025 – 4 January 2026`.
    static func weekHeading(_ frame: CalendarFrame) -> String {
        let (a, b) = (frame.first, frame.last)
        let end = "\(b.dayOfMonth) \(CalendarView.monthName(b.month)) \(b.year)"
        if a.year != b.year { return "\(a.dayOfMonth) \(CalendarView.monthName(a.month)) \(a.year) – \(end)" }
        if a.month != b.month { return "\(a.dayOfMonth) \(CalendarView.monthName(a.month)) – \(end)" }
        return "\(a.dayOfMonth) – \(end)"
    }

    static func header(_ day: CalendarDay, _ access: WorkspaceAccess) -> HTML {
        """
        <th scope="col"\(day.isToday ? HTML(" class=\"cal-today\" aria-current=\"date\"") : HTML())>\
        <a href="\(access.path("/calendar/day?date=\(day.date)"))">\(CalendarView.weekdayShort(day.weekday)) \(day.dayOfMonth)</a></th>
        """
    }

    static func row(_ hour: Int, _ frame: CalendarFrame, _ cells: [String: CalendarCell], _ access: WorkspaceAccess) -> HTML {
        let hh = hour < 10 ? "0\(hour)" : String(hour)
        var out: HTML = "<tr><th scope=\"row\" class=\"cal-hour\">\(hh):00</th>"
        for day in frame.days {
            let cell = cells["\(day.date) \(hh)"] ?? CalendarCell()
            let posts = cell.posts.map { CalendarView.post($0, access) }
            out.append(
                """
                <td data-day="\(day.date)" data-hour="\(hh)"\(day.isToday ? HTML(" class=\"cal-today\"") : HTML())>\
                \(posts.isEmpty ? HTML() : HTML("<ul class=\"cal-posts\">\(posts)</ul>"))\
                \(CalendarView.more(cell, href: access.path("/calendar/day?date=\(day.date)#h\(hh)")))</td>
                """)
        }
        out.append("</tr>")
        return out
    }
}
