// /w/{slug}/calendar/week?start=YYYY-MM-DD: the Monday-to-Sunday week holding that date (default:
// this week) in the viewer's time zone, one row per hour (WeekView).
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum WeekPage {
    /// Posts listed per hour; the rest are "+ N more", linked to the day page.
    static let perHour = 3

    static func show(_ c: RequestContext) throws -> Response {
        let start = try QueryDate.day(c, "start")
        return try c.inWorkspace(.view) { access, db in
            let zone = access.user.timeZone
            try CalendarStore.withoutJIT(db)
            let frame = try CalendarFrame.week(containing: start, zone: zone, db)
            let cells = try CalendarStore.hours(
                workspace: access.id, zone: zone, first: frame.first.date, last: frame.last.date,
                perHour: perHour, db)
            return try c.page(
                "\(WeekView.weekHeading(frame)) · Calendar", flash: Notice.from(c), current: access.path("/calendar"),
                WeekView.render(access, frame: frame, cells: cells))
        }
    }
}
