// /w/{slug}/: the workspace's home: what is coming up, what waits for review, channel health,
// credits, the team, and a getting-started checklist until the basics are done.
import HeraldBilling
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum Dashboard {
    struct Counts {
        let members: Int
        let invitations: Int
        let channels: Int
        let channelsNeedingReconnect: Int
        let campaigns: Int
        let posts: Int
        let scheduled: Int
        let inReview: Int
        let credits: Int?
    }

    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in
            let counts = try loadCounts(access.id, db)
            let upcoming = try db.query("""
                SELECT coalesce(title, left(body, 80)), to_char(scheduled_at AT TIME ZONE $2, 'Dy DD Mon, HH24:MI')
                FROM posts WHERE workspace_id = $1 AND status = 'scheduled' AND scheduled_at >= now()
                ORDER BY scheduled_at LIMIT 5
                """, [.int(access.id), .text(access.user.timeZone)]).rows
            let members = try WorkspaceStore.members(access.id, db)
            let upcomingList: HTML = upcoming.isEmpty ? "<p class=\"empty\">Nothing scheduled yet.</p>" : """
                <table class="table"><tbody>\(try upcoming.map { row -> HTML in
                    "<tr><td>\(try row.string(0))</td><td class=\"muted\">\(try row.string(1))</td></tr>" })</tbody></table>
                """
            let team = members.map { m -> HTML in "<li>\(m.name) <span class=\"badge muted\">\(m.role.rawValue)</span></li>" }
            return try c.page(access.workspace.name, flash: Notice.from(c), current: access.path("/"), """
                <h1>\(access.workspace.name)</h1>
                <p class="lead">You are \(access.role == .owner || access.role == .admin ? "an" : "a") \(access.role.rawValue) here. \
                Times are shown in your time zone, \(access.user.timeZone).</p>
                \(checklist(access, counts))
                <div class="grid">
                <section class="card"><h2>Upcoming posts</h2>\(upcomingList)</section>
                <section class="card"><h2>At a glance</h2><dl class="details">
                <dt>Waiting for review</dt><dd>\(counts.inReview)</dd>
                <dt>Scheduled</dt><dd>\(counts.scheduled)</dd>
                <dt>Channels</dt><dd>\(counts.channels)\(counts.channelsNeedingReconnect > 0
                    ? HTML(" <span class=\"badge warn\">\(counts.channelsNeedingReconnect) need reconnecting</span>") : HTML())</dd>
                <dt>Credits</dt><dd>\(access.role.may(.viewCredits) ? HTML("<a href=\"\(access.path("/credits"))\">\(counts.credits.map(String.init) ?? "0")</a>") : HTML(escaping: counts.credits.map(String.init) ?? "—"))</dd>
                </dl></section>
                <section class="card"><h2>Team</h2><ul class="plain">\(team)</ul>
                <p><a href="\(access.path("/members"))">\(access.role.may(.manageMembers) ? "Manage members" : "See all members")</a></p></section>
                </div>
                """)
        }
    }

    static func loadCounts(_ workspace: Int, _ db: Connection) throws -> Counts {
        let row = try db.queryRow("""
            SELECT (SELECT count(*) FROM memberships WHERE workspace_id = $1),
                   (SELECT count(*) FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL),
                   (SELECT count(*) FROM social_accounts WHERE workspace_id = $1 AND status <> 'revoked'),
                   (SELECT count(*) FROM social_accounts WHERE workspace_id = $1 AND status = 'needs_reconnect'),
                   (SELECT count(*) FROM campaigns WHERE workspace_id = $1),
                   -- Kept by triggers (migration 0014): no counting of a large workspace's posts.
                   (SELECT coalesce(sum(posts), 0) FROM post_status_counts WHERE workspace_id = $1),
                   (SELECT coalesce(sum(posts), 0) FROM post_status_counts WHERE workspace_id = $1 AND status = 'scheduled'),
                   (SELECT coalesce(sum(posts), 0) FROM post_status_counts WHERE workspace_id = $1 AND status = 'in_review'),
                   (SELECT balance FROM credit_accounts WHERE workspace_id = $1)
            """, [.int(workspace)])!
        return Counts(members: try row.int(0), invitations: try row.int(1), channels: try row.int(2),
                      channelsNeedingReconnect: try row.int(3), campaigns: try row.int(4), posts: try row.int(5),
                      scheduled: try row.int(6), inReview: try row.int(7), credits: try row.optionalInt(8))
    }

    /// Shown until every step is done.
    static func checklist(_ access: WorkspaceAccess, _ counts: Counts) -> HTML {
        let steps: [(Bool, HTML)] = [
            (true, "Create the workspace"),
            (counts.members > 1 || counts.invitations > 0,
             access.role.may(.manageMembers) ? "<a href=\"\(access.path("/members"))\">Invite a teammate</a>" : "Invite a teammate (an owner or admin can)"),
            (counts.channels > 0, access.role.may(.manageChannels)
                ? "<a href=\"\(access.path("/channels"))\">Connect a social account</a> (X, LinkedIn, Reddit, Mastodon or Bluesky)"
                : "Connect a social account (an owner or admin can)"),
            (counts.campaigns > 0, "<a href=\"\(access.path("/campaigns"))\">Plan a campaign</a>"),
            (counts.posts > 0, access.role.may(.writePosts) ? "<a href=\"\(access.path("/posts/new"))\">Write your first post</a> and send it for review" : "Write the first post"),
        ]
        if steps.allSatisfy({ $0.0 }) { return HTML() }
        let done = steps.filter { $0.0 }.count
        let items = steps.map { step -> HTML in
            step.0 ? "<li class=\"done\"><span class=\"visually-hidden\">Done: </span>\(step.1)</li>" : "<li>\(step.1)</li>"
        }
        return """
            <section class="card checklist"><h2>Getting started <span class="muted small">\(done) of \(steps.count) done</span></h2>
            <ol>\(items)</ol></section>
            """
    }
}
