// /w/{slug}/calendar?month=YYYY-MM: the month grid (MonthView), Monday first, in the viewer's time
// zone (default: their current month), each day listing its first posts, and the calendar-feed
// section below.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum MonthPage {
    /// Posts listed per day; the rest are "+ N more", linked to the day page.
    static let perDay = 4

    static func show(_ c: RequestContext) throws -> Response {
        // `?view=week` and `?view=day` are honoured: they lead to those pages (of today); any other
        // view is a bad request rather than the month shown silently.
        switch c.request.query["view"] {
        case nil, "month": break
        case "week": throw Redirect("/w/\(urlEncode(try c.parameter("slug")))/calendar/week")
        case "day": throw Redirect("/w/\(urlEncode(try c.parameter("slug")))/calendar/day")
        default: throw HTTPError.badRequest("The calendar shows a month, a week (?view=week) or a day (?view=day).")
        }
        let month = try QueryDate.month(c)
        return try c.inWorkspace(.view) { access, db in
            let zone = access.user.timeZone
            try CalendarStore.withoutJIT(db, genericPlans: true)
            let frame = try CalendarFrame.month(year: month?.year, month: month?.month, zone: zone, db)
            let cells = try CalendarStore.month(
                workspace: access.id, zone: zone, first: frame.first.date, last: frame.last.date,
                perDay: perDay, db)
            let feed = try FeedStore.status(workspace: access.id, user: access.user.id, zone: zone, db)
            guard let shown = frame.days.first(where: \.inMonth) else { throw HTTPError.notFound }
            return try c.page(
                "\(MonthView.heading(shown)) · Calendar", flash: Notice.from(c), current: access.path("/calendar"),
                MonthView.render(
                    access, frame: frame, cells: cells, shown: shown, feed: feed,
                    csrf: Layout.csrfField(try c.csrfToken())))
        }
    }
}
