// The month grid's markup: the toolbar, a "go to month" form, one row per week with each day's
// first posts and "+ N more", and the calendar-feed section below.
import HeraldHTML
import HeraldIdentity

enum MonthView {
    /// `March 2026`: the month `shown` (a day in it) belongs to.
    static func heading(_ shown: CalendarDay) -> String { "\(CalendarView.monthName(shown.month)) \(shown.year)" }

    /// `shown` is the first day of the frame that is in the month.
    static func render(
        _ access: WorkspaceAccess, frame: CalendarFrame, cells: [String: CalendarCell], shown: CalendarDay,
        feed: FeedStatus?, csrf: HTML
    ) -> HTML {
        let base = access.path("/calendar")
        let monthLabel = heading(shown)
        let neighbour = { (ym: String) -> (String, String) in
            ("\(base)?month=\(ym)", CalendarView.monthName(QueryDate.number(Array(ym.utf8)[5..<7]) ?? 0))
        }
        // Today when it is in this month, else the month's first day: where week and day views open.
        let anchor = frame.days.first(where: { $0.isToday && $0.inMonth })?.date ?? shown.date
        let total = cells.values.reduce(0) { $0 + $1.count }
        return """
            \(CalendarView.toolbar(access, heading: monthLabel, view: .month, previous: neighbour(frame.previous),
                                   next: neighbour(frame.next), anchorDay: anchor, today: frame.today))
            \(jumpForm(base, value: String(shown.date.prefix(7))))
            <div class="cal-scroll"><table class="cal-month">
            <caption class="visually-hidden">Posts in \(monthLabel): \(total)</caption>
            <thead><tr>\((1...7).map { d -> HTML in "<th scope=\"col\"><abbr title=\"\(CalendarView.weekdayName(d))\">\(CalendarView.weekdayShort(d))</abbr></th>" })</tr></thead>
            <tbody>\(weeks(frame, cells, access))</tbody></table></div>
            \(total == 0 ? HTML("<p class=\"empty\">Nothing planned in \(monthLabel) yet. Posts appear here once they have a date.</p>") : HTML())
            \(FeedSectionView.render(access, feed, csrf: csrf))
            """
    }

    static func weeks(_ frame: CalendarFrame, _ cells: [String: CalendarCell], _ access: WorkspaceAccess) -> HTML {
        var out = HTML()
        for start in stride(from: 0, to: frame.days.count, by: 7) {
            out.append("<tr>")
            for day in frame.days[start..<min(start + 7, frame.days.count)] {
                out.append(cell(day, cells[day.date] ?? CalendarCell(), access))
            }
            out.append("</tr>")
        }
        return out
    }

    static func cell(_ day: CalendarDay, _ cell: CalendarCell, _ access: WorkspaceAccess) -> HTML {
        var classes = "cal-day"
        if !day.inMonth { classes += " cal-outside" }
        if day.isToday { classes += " cal-today" }
        if cell.count == 0 { classes += " cal-empty" }
        let dayHref = access.path("/calendar/day?date=\(day.date)")
        let posts = cell.posts.map { CalendarView.post($0, access) }
        return """
            <td class="\(classes)" data-day="\(day.date)"\(day.isToday ? HTML(" aria-current=\"date\"") : HTML())>\
            <div class="cal-date"><a href="\(dayHref)"><span class="cal-weekday">\(CalendarView.weekdayShort(day.weekday)) </span>\(day.dayOfMonth)\
            \(day.dayOfMonth == 1 ? HTML(" \(String(CalendarView.monthName(day.month).prefix(3)))") : HTML())</a>\
            \(day.isToday ? HTML("<span class=\"badge accent\">Today</span>") : HTML())</div>\
            \(posts.isEmpty ? HTML() : HTML("<ul class=\"cal-posts\">\(posts)</ul>"))\(CalendarView.more(cell, href: dayHref))</td>
            """
    }

    /// Go to any month without clicking through: a GET form, so no JavaScript and no CSRF needed.
    static func jumpForm(_ base: String, value: String) -> HTML {
        """
        <form class="cal-jump" method="get" action="\(base)"><label for="cal-month">Go to month</label>\
        <input id="cal-month" name="month" type="month" value="\(value)">\
        <button class="button small">Show</button></form>
        """
    }
}
