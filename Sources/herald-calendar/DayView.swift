// One day's markup: the toolbar, then the day's posts grouped by hour, with channels and where
// each was planned, and a pointer to the posts list when the day has more than are shown.
import HeraldHTML
import HeraldIdentity

enum DayView {
    /// `frame` holds the one day; `cell` its posts in time order.
    static func render(_ access: WorkspaceAccess, frame: CalendarFrame, cell: CalendarCell) -> HTML {
        let day = frame.first
        let base = access.path("/calendar/day")
        let heading = CalendarView.longDate(day)
        var groups: [(hour: String, posts: [CalendarPost])] = []
        for post in cell.posts {
            let hour = String(post.time.prefix(2))
            if groups.last?.hour == hour { groups[groups.count - 1].posts.append(post) } else { groups.append((hour, [post])) }
        }
        let agenda = groups.map { group -> HTML in
            """
            <li class="cal-hour-group" id="h\(group.hour)"><h2 class="cal-hour">\(group.hour):00</h2>\
            <ul class="cal-posts">\(group.posts.map { CalendarView.post($0, access, details: true) })</ul></li>
            """
        }
        let cut: HTML =
            cell.more > 0
            ? """
            <p class="muted">The first \(cell.posts.count) of \(cell.count) posts are shown. \
            <a href="\(access.path("/posts"))">The posts list</a> has them all.</p>
            """ : HTML()
        return """
            \(CalendarView.toolbar(access, heading: heading, view: .day, previous: ("\(base)?date=\(frame.previous)", "Previous day"),
                                   next: ("\(base)?date=\(frame.next)", "Next day"), anchorDay: day.date, today: frame.today))
            <section class="cal-agenda\(day.isToday ? HTML(" cal-today") : HTML())" data-day="\(day.date)" aria-label="Posts on \(heading)">
            \(cell.count == 0 ? HTML("<p class=\"empty\">Nothing planned on this day.</p>") : HTML("<ol class=\"cal-hours\">\(agenda)</ol>"))
            \(cut)</section>
            """
    }
}
