// GET /admin: the numbers an operator looks at first, each linking to its section.
import HeraldDatabase
import HeraldFastCGI
import HeraldWeb

enum Overview {
    struct Figures {
        var users = 0
        var lockedUsers = 0
        var unverifiedUsers = 0
        var siteAdmins = 0
        var workspaces = 0
        var jobsDue = 0
        var jobsDead = 0
        var eventsToday = 0
        var sudoFailuresToday = 0
        var connections = 0
        var maxConnections = 0
    }

    static func show(_ c: RequestContext) throws -> Response {
        try AdminGate.transaction(c) { user, db in
            let figures = try load(db)
            return try AdminPage.render(c, user, db, .overview, title: "Overview", OverviewView.render(figures))
        }
    }

    static func load(_ db: Connection) throws -> Figures {
        guard
            let row = try db.queryRow(
                """
                SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM users WHERE status = 'disabled'),
                       (SELECT count(*) FROM users WHERE email_verified_at IS NULL), (SELECT count(*) FROM users WHERE is_site_admin),
                       (SELECT count(*) FROM workspaces),
                       (SELECT count(*) FROM jobs WHERE status = 'queued' AND run_at <= now()),
                       (SELECT count(*) FROM jobs WHERE status = 'dead'),
                       (SELECT count(*) FROM audit_events WHERE occurred_at > now() - interval '24 hours'),
                       (SELECT count(*) FROM audit_events WHERE action = 'admin.sudo_failed' AND occurred_at > now() - interval '24 hours'),
                       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
                       current_setting('max_connections')::int
                """)
        else { return Figures() }
        return Figures(
            users: try row.int(0), lockedUsers: try row.int(1), unverifiedUsers: try row.int(2), siteAdmins: try row.int(3),
            workspaces: try row.int(4), jobsDue: try row.int(5), jobsDead: try row.int(6), eventsToday: try row.int(7),
            sudoFailuresToday: try row.int(8), connections: try row.int(9), maxConnections: try row.int(10))
    }
}
