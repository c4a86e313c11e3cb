// /w/{slug}/calendar/day?date=YYYY-MM-DD: every post of one local day (default: today) in time
// order, grouped by hour, with channels and where it was planned; where "+ N more" leads.
import HeraldFastCGI
import HeraldHTML
import HeraldWeb

enum DayView {
    /// A day with more posts than this shows the first ones and points to the posts list.
    static let limit = 500

    static func show(_ c: RequestContext) throws -> Response {
        let date = try QueryDate.day(c, "date")
        return try c.inWorkspace(.view) { access, db in
            let zone = access.user.timeZone
            try CalendarStore.withoutJIT(db)
            let frame = try CalendarFrame.day(date, zone: zone, db)
            let day = frame.first
            let cell = try CalendarStore.day(workspace: access.id, zone: zone, date: day.date, limit: limit, db)
            let base = access.path("/calendar/day")
            let heading = CalendarHTML.longDate(day)
            var groups: [(hour: String, posts: [CalendarPost])] = []
            for post in cell.posts {
                let hour = String(post.time.prefix(2))
                if groups.last?.hour == hour { groups[groups.count - 1].posts.append(post) } else { groups.append((hour, [post])) }
            }
            let agenda = groups.map { group -> HTML in
                """
                <li class="cal-hour-group" id="h\(group.hour)"><h2 class="cal-hour">\(group.hour):00</h2>\
                <ul class="cal-posts">\(group.posts.map { CalendarHTML.post($0, access, details: true) })</ul></li>
                """
            }
            let cut: HTML = cell.more > 0 ? """
                <p class="muted">The first \(cell.posts.count) of \(cell.count) posts are shown. \
                <a href="\(access.path("/posts"))">The posts list</a> has them all.</p>
                """ : HTML()
            return try c.page("\(heading) · Calendar", flash: Notice.from(c), current: access.path("/calendar"), """
                \(CalendarHTML.toolbar(access, heading: heading, view: .day, previous: ("\(base)?date=\(frame.previous)", "Previous day"),
                                       next: ("\(base)?date=\(frame.next)", "Next day"), anchorDay: day.date, today: frame.today))
                <section class="cal-agenda\(day.isToday ? HTML(" cal-today") : HTML())" data-day="\(day.date)" aria-label="Posts on \(heading)">
                \(cell.count == 0 ? HTML("<p class=\"empty\">Nothing planned on this day.</p>") : HTML("<ol class=\"cal-hours\">\(agenda)</ol>"))
                \(cut)</section>
                """)
        }
    }
}
