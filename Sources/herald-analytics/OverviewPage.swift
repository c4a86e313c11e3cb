// /w/{slug}/analytics: the overview for a date range (AnalyticsRange), read from the replica when
// one is configured (RequestContext.withReadDB), with "data as of" when it lags by over a minute.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum OverviewPage {
    static func show(_ c: RequestContext) throws -> Response {
        let range = try AnalyticsRange.parse(c.request.query)
        let access = try c.inWorkspace(.view) { access, _ in access }
        let (overview, asOf) = try AnalyticsRead.run(c, access) { db in try AnalyticsStore.overview(access.id, range, db) }
        return try c.page(
            "Analytics · \(access.workspace.name)", current: access.path("/analytics"),
            OverviewView.render(access, range, overview, dataAsOf: asOf))
    }
}

/// A read for an analytics page: on the replica when there is one (the primary when it is down),
/// in one read-only transaction with the workspace and the viewer's time zone set.
enum AnalyticsRead {
    /// The body's result, and "data as of" (the viewer's time) when the replica lags over a minute.
    static func run<T>(_ c: RequestContext, _ access: WorkspaceAccess, _ body: (Connection) throws -> T) throws -> (T, String?) {
        try c.withReadDB { db in
            try db.transaction(workspace: access.id, user: access.user.id) { db in
                try db.query("SET TRANSACTION READ ONLY")
                try AnalyticsStore.useTimeZone(access.user.timeZone, db)
                // A plan for this range, not a generic one: after five runs on a connection PostgreSQL
                // may keep a generic plan that guesses a few hundred targets where there are 100,000
                // and picks nested loops (top posts 1.5 s instead of 80 ms at ten million snapshots,
                // make bench). And room to sort a year of targets in memory.
                try db.query("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('work_mem', '32MB', true)")
                let result = try body(db)
                let asOf = try Replica.dataAsOf(db).map { seconds in
                    try db.queryRow("SELECT to_char(to_timestamp($1), 'YYYY-MM-DD HH24:MI')", [.int(Int(seconds))])!.string(0)
                }
                return (result, asOf)
            }
        }
    }
}
