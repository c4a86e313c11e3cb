// /w/{slug}/: the workspace's home: what is coming up, what waits for review, channel health,
// credits, the team, last week's summary, and a getting-started checklist until the basics are done.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum Dashboard {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in
            let counts = try DashboardStore.counts(access.id, db)
            let upcoming = try DashboardStore.upcoming(access.id, timeZone: access.user.timeZone, db)
            let members = try WorkspaceStore.members(access.id, db)
            let summary = try DashboardStore.latestSummary(access.id, db)
            return try c.page(
                access.workspace.name, flash: Notice.from(c), current: access.path("/"),
                DashboardView.render(access, counts: counts, upcoming: upcoming, members: members, summary: summary))
        }
    }
}
