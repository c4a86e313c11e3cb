// /w/{slug}/calendar/week?start=YYYY-MM-DD: the Monday-to-Sunday week holding that date (default:
// this week) in the viewer's time zone, one row per hour. The rows run 07:00–20:00 and stretch to
// any earlier or later hour that has posts. On a day the clocks fall back, both passes through the
// repeated hour share its row; on a day they spring forward, the skipped hour's row stays empty.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum WeekView {
    /// Posts listed per hour; the rest are "+ N more", linked to the day page.
    static let perHour = 3
    static let workingHours = 7...20

    static func show(_ c: RequestContext) throws -> Response {
        let start = try QueryDate.day(c, "start")
        return try c.inWorkspace(.view) { access, db in
            let zone = access.user.timeZone
            try CalendarStore.withoutJIT(db)
            let frame = try CalendarFrame.week(containing: start, zone: zone, db)
            let cells = try CalendarStore.hours(workspace: access.id, zone: zone, first: frame.first.date, last: frame.last.date,
                                                perHour: perHour, db)
            let busy = cells.keys.compactMap { QueryDate.number(Array($0.utf8).suffix(2)) }
            let hours = min(workingHours.lowerBound, busy.min() ?? 24)...max(workingHours.upperBound, busy.max() ?? 0)
            let base = access.path("/calendar/week")
            let heading = weekHeading(frame)
            let anchor = frame.days.first(where: \.isToday)?.date ?? frame.first.date
            return try c.page("\(heading) · Calendar", flash: Notice.from(c), current: access.path("/calendar"), """
                \(CalendarHTML.toolbar(access, heading: heading, view: .week, previous: ("\(base)?start=\(frame.previous)", "Previous week"),
                                       next: ("\(base)?start=\(frame.next)", "Next week"), anchorDay: anchor, today: frame.today))
                <div class="cal-scroll"><table class="cal-week">
                <caption class="visually-hidden">Posts by hour, \(heading)</caption>
                <thead><tr><th scope="col" class="cal-hour"><span class="visually-hidden">Hour</span></th>\(frame.days.map { header($0, access) })</tr></thead>
                <tbody>\(hours.map { row($0, frame, cells, access) })</tbody></table></div>
                \(cells.isEmpty ? HTML("<p class=\"empty\">Nothing planned this week yet.</p>") : HTML())
                """)
        }
    }

    /// `9 – 15 March 2026`, `30 March – 5 April 2026` or `29 December 2025 – 4 January 2026`.
    static func weekHeading(_ frame: CalendarFrame) -> String {
        let (a, b) = (frame.first, frame.last)
        let end = "\(b.dayOfMonth) \(CalendarHTML.monthName(b.month)) \(b.year)"
        if a.year != b.year { return "\(a.dayOfMonth) \(CalendarHTML.monthName(a.month)) \(a.year) – \(end)" }
        if a.month != b.month { return "\(a.dayOfMonth) \(CalendarHTML.monthName(a.month)) – \(end)" }
        return "\(a.dayOfMonth) – \(end)"
    }

    static func header(_ day: CalendarDay, _ access: WorkspaceAccess) -> HTML {
        """
        <th scope="col"\(day.isToday ? HTML(" class=\"cal-today\" aria-current=\"date\"") : HTML())>\
        <a href="\(access.path("/calendar/day?date=\(day.date)"))">\(CalendarHTML.weekdayShort(day.weekday)) \(day.dayOfMonth)</a></th>
        """
    }

    static func row(_ hour: Int, _ frame: CalendarFrame, _ cells: [String: CalendarCell], _ access: WorkspaceAccess) -> HTML {
        let hh = hour < 10 ? "0\(hour)" : String(hour)
        var out: HTML = "<tr><th scope=\"row\" class=\"cal-hour\">\(hh):00</th>"
        for day in frame.days {
            let cell = cells["\(day.date) \(hh)"] ?? CalendarCell()
            let posts = cell.posts.map { CalendarHTML.post($0, access) }
            out.append("""
                <td data-day="\(day.date)" data-hour="\(hh)"\(day.isToday ? HTML(" class=\"cal-today\"") : HTML())>\
                \(posts.isEmpty ? HTML() : HTML("<ul class=\"cal-posts\">\(posts)</ul>"))\
                \(CalendarHTML.more(cell, href: access.path("/calendar/day?date=\(day.date)#h\(hh)")))</td>
                """)
        }
        out.append("</tr>")
        return out
    }
}
