// GET /admin/audit: the audit trail, newest first, 50 events a page (keyset: `before` the last
// event shown), filtered by actor, workspace, action prefix and dates, with the filtered set as CSV.
import HeraldFastCGI
import HeraldWeb

enum AuditPage {
    static func show(_ c: RequestContext) throws -> Response {
        let filter = try AuditFilter.parse(c)
        return try AdminGate.transaction(c) { user, db in
            let (query, notes) = try filter.resolve(db)
            var events = try AuditStore.events(query, limit: AuditStore.pageSize + 1, db)
            let hasOlder = events.count > AuditStore.pageSize
            if hasOlder { events.removeLast() }
            return try AdminPage.render(
                c, user, db, .audit, title: "Audit log",
                AuditView.render(filter, events: events, hasOlder: hasOlder, notes: notes, timeZone: user.timeZone))
        }
    }
}
