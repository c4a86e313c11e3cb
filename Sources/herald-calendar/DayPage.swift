// /w/{slug}/calendar/day?date=YYYY-MM-DD: every post of one local day (default: today) in time
// order (DayView); where "+ N more" leads.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum DayPage {
    /// A day with more posts than this shows the first ones and points to the posts list.
    static let limit = 500

    static func show(_ c: RequestContext) throws -> Response {
        let date = try QueryDate.day(c, "date")
        return try c.inWorkspace(.view) { access, db in
            let zone = access.user.timeZone
            try CalendarStore.withoutJIT(db)
            let frame = try CalendarFrame.day(date, zone: zone, db)
            let cell = try CalendarStore.day(workspace: access.id, zone: zone, date: frame.first.date, limit: limit, db)
            return try c.page(
                "\(CalendarView.longDate(frame.first)) · Calendar", flash: Notice.from(c), current: access.path("/calendar"),
                DayView.render(access, frame: frame, cell: cell))
        }
    }
}
