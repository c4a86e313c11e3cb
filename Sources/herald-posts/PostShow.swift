// A post's page: its text and channels, what this viewer may do with it next, its history
// (every transition with who and when) and the difference between revisions.
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum PostShow {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.view) { access, db in
            guard let post = try PostStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
            return try render(c, access, post, db, flash: Notice.from(c))
        }
    }

    static func render(_ c: RequestContext, _ access: WorkspaceAccess, _ post: PostRecord, _ db: Connection, flash: Flash? = nil,
                       issues: [BrandIssue] = [], reviewError: String? = nil, scheduleError: String? = nil,
                       scheduleDate: String? = nil, scheduleTime: String? = nil, status: Int = 200) throws -> Response {
        let targets = try PostStore.targets(access.id, post: post.id, db)
        let csrf = Layout.csrfField(try c.csrfToken())
        let targetRows = targets.map { t -> HTML in
            let text = t.bodyOverride ?? post.body
            let count: HTML = t.account.platformKind.map { p in
                let n = PlatformText.length(text, on: p)
                return n > p.limit ? "<span class=\"badge danger\">\(n) of \(p.limit)</span>" : "<span class=\"muted\">\(n) of \(p.limit)</span>"
            } ?? HTML()
            return "<tr><td>\(t.account.label)</td><td>\(count)</td><td>\(t.bodyOverride == nil ? HTML("<span class=\"muted\">same text</span>") : HTML("<span class=\"pre\">\(t.bodyOverride!)</span>"))</td></tr>"
        }
        let scheduled: HTML = post.scheduledLocal.map { local in
            "<dt>Scheduled</dt><dd>\(local) <span class=\"muted\">(\(access.user.timeZone))</span>\(post.scheduledZone != nil && post.scheduledZone != access.user.timeZone ? HTML(" · planned in \(post.scheduledZone!)") : HTML())</dd>"
        } ?? HTML()
        return try c.page("\(post.displayTitle) · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status, """
            <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> /</p>
            <h1>\(post.displayTitle) <span class="badge \(post.status.badgeClass)">\(post.status.label)</span></h1>
            \(PostForm.issueList(issues))
            <div class="grid wide-first">
            <section class="card"><div class="post-body pre">\(post.body)</div>
            <dl class="details"><dt>Campaign</dt><dd>\(post.campaignName.map { HTML("<a href=\"\(access.path("/campaigns/\(post.campaignID!)"))\">\($0)</a>") } ?? HTML("—"))</dd>
            <dt>Author</dt><dd>\(post.authorName ?? "—")</dd>\(scheduled)
            <dt>Last change</dt><dd>\(post.updatedLocal) <span class="muted">· version \(post.version)</span></dd></dl>
            <h2>Channels</h2>\(targets.isEmpty ? HTML("<p class=\"muted\">No channels chosen.</p>") : HTML("<table class=\"table\"><tbody>\(targetRows)</tbody></table>"))
            </section>
            <section class="card"><h2>Next steps</h2>\(try actions(access, post, csrf, db, reviewError: reviewError, scheduleError: scheduleError,
                                                                       scheduleDate: scheduleDate, scheduleTime: scheduleTime))</section>
            </div>
            \(try PostHistory.html(access, post, db, selected: c.request.query["diff"].flatMap(Int.init)))
            """)
    }

    static func actions(_ access: WorkspaceAccess, _ post: PostRecord, _ csrf: HTML, _ db: Connection, reviewError: String?,
                        scheduleError: String?, scheduleDate: String?, scheduleTime: String?) throws -> HTML {
        let isAuthor = post.authorID == access.user.id
        func allowed(_ action: PostAction) -> Bool { action.refusal(status: post.status, role: access.role, userIsAuthor: isAuthor) == nil }
        var parts: [HTML] = []
        if allowed(.submit) {
            parts.append("<form method=\"post\" action=\"\(access.path("/posts/\(post.id)/submit"))\">\(csrf)<button class=\"button primary\">Submit for review</button></form>")
        }
        if post.status == .inReview && access.role.may(.reviewPosts) && isAuthor {
            parts.append("<p class=\"muted\">You wrote this post, so someone else reviews it.</p>")
        }
        if allowed(.approve) {
            parts.append("""
                <form class="form" method="post" action="\(access.path("/posts/\(post.id)/approve"))">\(csrf)
                <div class="field\(reviewError == nil ? "" : " has-error")"><label for="comment">Comment (needed to reject)</label>\
                <textarea id="comment" name="comment" rows="3"></textarea>\(reviewError.map { HTML("<p class=\"error\">\($0)</p>") })</div>
                <div class="actions"><button class="button primary">Approve</button> \
                <button class="button danger" formaction="\(access.path("/posts/\(post.id)/reject"))">Reject</button></div></form>
                """)
        }
        if allowed(.schedule) {
            let defaults = try db.queryRow("""
                SELECT to_char(coalesce(p.scheduled_at, date_trunc('hour', now()) + interval '1 day') AT TIME ZONE $3, 'YYYY-MM-DD'),
                       to_char(coalesce(p.scheduled_at, date_trunc('hour', now()) + interval '1 day') AT TIME ZONE $3, 'HH24:MI')
                FROM posts p WHERE p.workspace_id = $1 AND p.id = $2
                """, [.int(access.id), .int(post.id), .text(access.user.timeZone)])
            let date = scheduleDate ?? (defaults?.optionalString(0) ?? ""), time = scheduleTime ?? (defaults?.optionalString(1) ?? "09:00")
            parts.append("""
                <form class="form" method="post" action="\(access.path("/posts/\(post.id)/schedule"))" novalidate>\(csrf)
                \(scheduleError.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") })
                <div class="inline-fields"><div class="field"><label for="date">Date</label><input id="date" name="date" type="date" value="\(date)" required></div>
                <div class="field"><label for="time">Time</label><input id="time" name="time" type="time" value="\(time)" required></div></div>
                <p class="hint">In your time zone, \(access.user.timeZone).</p>
                <div class="actions"><button class="button primary">\(post.status == .scheduled ? "Reschedule" : "Schedule")</button></div></form>
                """)
        }
        if allowed(.unschedule) {
            parts.append("<form method=\"post\" action=\"\(access.path("/posts/\(post.id)/unschedule"))\">\(csrf)<button class=\"button\">Unschedule</button></form>")
        }
        if allowed(.edit) {
            parts.append("<p><a class=\"button\" href=\"\(access.path("/posts/\(post.id)/edit"))\">Edit</a>\(post.status == .approved || post.status == .scheduled ? HTML(" <span class=\"muted small\">(sends it back to draft)</span>") : HTML())</p>")
        }
        if allowed(.delete) {
            parts.append("<form method=\"post\" action=\"\(access.path("/posts/\(post.id)/delete"))\">\(csrf)<button class=\"button danger small\">Delete post</button></form>")
        }
        return parts.isEmpty ? "<p class=\"muted\">Nothing for you to do here right now.</p>"
            : HTML.join(parts.map { part -> HTML in "<div class=\"next-step\">\(part)</div>" })
    }
}
