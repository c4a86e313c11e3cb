// A post's page: its text and channels, what this viewer may do with it next, its history
// (every transition with who and when) and the difference between revisions.
import HeraldContent
import HeraldHTML
import HeraldIdentity

enum PostShowView {
    /// What the page shows, loaded by PostShow.respond.
    struct Page {
        let post: PostRecord
        let targets: [TargetRecord]
        let events: [PostEvent]
        let revisions: [PostRevision]
        /// The schedule form's values: as entered, else the post's scheduled time or tomorrow at this hour.
        let scheduleDate: String
        let scheduleTime: String
    }

    static func html(
        _ access: WorkspaceAccess, _ page: Page, csrf: HTML, issues: [BrandIssue], reviewError: String?, scheduleError: String?,
        selectedRevision: Int?
    ) -> HTML {
        let post = page.post
        let targetRows = page.targets.map { t -> HTML in
            let text = t.bodyOverride ?? post.body
            let count: HTML =
                t.account.platformKind.map { p in
                    let n = PlatformText.length(text, on: p)
                    return n > p.limit ? "<span class=\"badge danger\">\(n) of \(p.limit)</span>" : "<span class=\"muted\">\(n) of \(p.limit)</span>"
                } ?? HTML()
            return """
                <tr><td>\(t.account.label)</td><td>\(count)</td><td>\(t.bodyOverride == nil ? HTML("<span class=\"muted\">same text</span>") : HTML("<span class=\"pre\">\(t.bodyOverride!)</span>"))</td>\
                \(targetStatusCells(t))</tr>
                """
        }
        let scheduled: HTML =
            post.scheduledLocal.map { local in
                "<dt>Scheduled</dt><dd>\(local) <span class=\"muted\">(\(access.user.timeZone))</span>\(post.scheduledZone != nil && post.scheduledZone != access.user.timeZone ? HTML(" · planned in \(post.scheduledZone!)") : HTML())</dd>"
            } ?? HTML()
        return """
            <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> /</p>
            <h1>\(post.displayTitle) <span class="badge \(post.status.badgeClass)">\(post.status.label)</span></h1>
            \(PostFormView.issueList(issues))
            <div class="grid wide-first">
            <section class="card"><div class="post-body pre">\(post.body)</div>
            <dl class="details"><dt>Campaign</dt><dd>\(post.campaignName.map { HTML("<a href=\"\(access.path("/campaigns/\(post.campaignID!)"))\">\($0)</a>") } ?? HTML("—"))</dd>
            <dt>Author</dt><dd>\(post.authorName ?? "—")</dd>\(scheduled)
            <dt>Last change</dt><dd>\(post.updatedLocal) <span class="muted">· version \(post.version)</span></dd></dl>
            <h2>Channels</h2>\(page.targets.isEmpty ? HTML("<p class=\"muted\">No channels chosen.</p>") : HTML("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Channels\"><table class=\"table\">\(targetHead)<tbody>\(targetRows)</tbody></table></div>"))
            </section>
            <section class="card"><h2>Next steps</h2>\(actions(access, page, csrf, reviewError: reviewError, scheduleError: scheduleError))</section>
            </div>
            \(PostHistoryView.html(events: page.events, revisions: page.revisions, selected: selectedRevision))
            """
    }

    static let targetHead: HTML = """
        <thead><tr><th>Channel</th><th>Length</th><th>Text</th><th>Status</th><th>Attempts</th><th>Next retry</th>\
        <th>Last error</th><th>Live post</th></tr></thead>
        """

    /// Where a channel's send stands: status, attempts, next retry (viewer's zone), last error, and the live post.
    static func targetStatusCells(_ t: TargetRecord) -> HTML {
        """
        <td><span class="badge \(t.status.badgeClass)">\(t.status.label)</span></td><td>\(t.attempts)</td>\
        <td class="muted">\(t.nextAttemptLocal ?? "—")</td><td>\(t.lastError.map { HTML("<span class=\"error\">\($0)</span>") } ?? HTML("—"))</td>\
        <td>\(t.externalURL.map { HTML("<a href=\"\(url: $0)\" rel=\"noopener noreferrer\">View post</a>") } ?? HTML("—"))</td>
        """
    }

    /// The forms and links for what this viewer may do with the post now (Workflow.swift decides).
    static func actions(_ access: WorkspaceAccess, _ page: Page, _ csrf: HTML, reviewError: String?, scheduleError: String?) -> HTML {
        let post = page.post
        let isAuthor = post.authorID == access.user.id
        func allowed(_ action: PostAction) -> Bool { action.refusal(status: post.status, role: access.role, userIsAuthor: isAuthor) == nil }
        var parts: [HTML] = []
        if allowed(.submit) {
            parts.append(
                "<form method=\"post\" action=\"\(access.path("/posts/\(post.id)/submit"))\">\(csrf)<button class=\"button primary\">Submit for review</button></form>"
            )
        }
        if post.status == .inReview && access.role.may(.reviewPosts) && isAuthor {
            parts.append("<p class=\"muted\">You wrote this post, so someone else reviews it.</p>")
        }
        if allowed(.approve) {
            parts.append(
                """
                <form class="form" method="post" action="\(access.path("/posts/\(post.id)/approve"))">\(csrf)
                <div class="field\(reviewError == nil ? "" : " has-error")"><label for="comment">Comment (needed to reject)</label>\
                <textarea id="comment" name="comment" rows="3"></textarea>\(reviewError.map { HTML("<p class=\"error\">\($0)</p>") })</div>
                <div class="actions"><button class="button primary">Approve</button> \
                <button class="button danger" formaction="\(access.path("/posts/\(post.id)/reject"))">Reject</button></div></form>
                """)
        }
        if allowed(.schedule) {
            let date = page.scheduleDate
            let time = page.scheduleTime
            parts.append(
                """
                <form class="form" method="post" action="\(access.path("/posts/\(post.id)/schedule"))" novalidate>\(csrf)
                \(scheduleError.map { HTML("<p class=\"error\" role=\"alert\">\($0)</p>") })
                <div class="inline-fields"><div class="field"><label for="date">Date</label><input id="date" name="date" type="date" value="\(date)" required></div>
                <div class="field"><label for="time">Time</label><input id="time" name="time" type="time" value="\(time)" required></div></div>
                <p class="hint">In your time zone, \(access.user.timeZone).</p>
                <div class="actions"><button class="button primary">\(post.status == .scheduled ? "Reschedule" : "Schedule")</button></div></form>
                """)
        }
        if allowed(.unschedule) {
            parts.append(
                "<form method=\"post\" action=\"\(access.path("/posts/\(post.id)/unschedule"))\">\(csrf)<button class=\"button\">Unschedule</button></form>"
            )
        }
        if allowed(.edit) {
            parts.append(
                "<p><a class=\"button\" href=\"\(access.path("/posts/\(post.id)/edit"))\">Edit</a>\(post.status == .approved || post.status == .scheduled ? HTML(" <span class=\"muted small\">(sends it back to draft)</span>") : HTML())</p>"
            )
        }
        if allowed(.delete) {
            parts.append(
                "<form method=\"post\" action=\"\(access.path("/posts/\(post.id)/delete"))\">\(csrf)<button class=\"button danger small\">Delete post</button></form>"
            )
        }
        return parts.isEmpty
            ? "<p class=\"muted\">Nothing for you to do here right now.</p>"
            : HTML.join(parts.map { part -> HTML in "<div class=\"next-step\">\(part)</div>" })
    }
}
