// The route table of herald-analytics; nothing else registers routes.
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/w/{slug}/analytics", OverviewPage.show)
    r.get("/w/{slug}/analytics.csv", AnalyticsExport.csv)
    r.get("/w/{slug}/analytics/posts/{id}", PostAnalyticsPage.show)
}
