// The route table of herald-calendar; nothing else registers routes.
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/w/{slug}/calendar", MonthPage.show)
    r.get("/w/{slug}/calendar/week", WeekPage.show)
    r.get("/w/{slug}/calendar/day", DayPage.show)
    r.post("/w/{slug}/calendar/feed", FeedCreate.create)
    r.post("/w/{slug}/calendar/feed/revoke", FeedRevoke.revoke)
    r.get("/ical/{file}", ICalFeed.show)
}
