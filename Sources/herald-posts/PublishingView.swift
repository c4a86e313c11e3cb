// The publishing page's markup: the workspace's sends in four sections (upcoming, in flight,
// failed, unconfirmed), each row with its post, channel, attempts, times in the viewer's zone, last
// error and live link, and the forms a scheduler may use on it.
import HeraldHTML
import HeraldIdentity

enum PublishingView {
    /// A refused "it is live" form: which target, what was entered, and why not.
    struct LiveForm {
        let target: Int
        let url: String
        let error: String
    }

    static func html(_ access: WorkspaceAccess, _ rows: [PublishingRow], live: LiveForm?, csrf: HTML) -> HTML {
        let mayAct = access.role.may(.schedulePosts)
        func section(_ title: StaticString, _ status: TargetStatus, when: StaticString, empty: StaticString, hint: StaticString) -> HTML {
            let mine = rows.filter { $0.status == status }
            let body: HTML =
                mine.isEmpty
                ? "<p class=\"empty\">\(HTML(stringLiteral: empty))</p>"
                : """
                <div class="table-scroll" role="region" tabindex="0" aria-label="\(HTML(stringLiteral: title))"><table class="table"><thead><tr><th>Post</th><th>Channel</th><th>\(HTML(stringLiteral: when))</th>\
                <th>Attempts</th><th>Last error</th><th>Live post</th>\(mayAct ? HTML("<th></th>") : HTML())</tr></thead>
                <tbody>\(mine.map { row(access, $0, mayAct: mayAct, live: live?.target == $0.id ? live : nil, csrf: csrf) })</tbody></table></div>
                """
            return """
                <section class="card"><h2>\(HTML(stringLiteral: title)) <span class="badge \(status.badgeClass)">\(mine.count)</span></h2>
                <p class="hint">\(HTML(stringLiteral: hint))</p>\(body)</section>
                """
        }
        return """
            <h1>Publishing</h1>
            <p class="lead">Where each post stands on each of its channels. Times are shown in your time zone, \(access.user.timeZone).</p>
            \(section("Upcoming", .pending, when: "Scheduled", empty: "Nothing is waiting to go out.", hint: "Sends of scheduled posts, soonest first."))
            \(section("In flight", .publishing, when: "Scheduled", empty: "Nothing is being sent right now.", hint: "Being sent to the platform now."))
            \(section("Failed", .failed, when: "Scheduled", empty: "No failed sends.", hint: "The platform refused these, or Herald gave up retrying. Fix the cause (often: reconnect the channel), then retry."))
            \(section("Unconfirmed", .unconfirmed, when: "Next check", empty: "Nothing to confirm.", hint: "Herald sent these but could not learn whether they went out. Herald checks again by itself; if you see the post live, give its address."))
            """
    }

    static func row(_ access: WorkspaceAccess, _ r: PublishingRow, mayAct: Bool, live: LiveForm?, csrf: HTML) -> HTML {
        let reconnect: HTML =
            r.account.status == "needs_reconnect"
            ? " <a class=\"badge warn\" href=\"\(access.path("/channels"))\">needs reconnecting</a>" : HTML()
        let when: HTML =
            r.status == .unconfirmed
            ? HTML(escaping: r.nextAttemptLocal ?? "—")
            : "\(r.scheduledLocal ?? "—")\(r.nextAttemptLocal.map { HTML("<br><span class=\"muted small\">next try \($0)</span>") })"
        let error: HTML = r.lastError.map { HTML("<span class=\"error\">\($0)</span>") } ?? "—"
        let link: HTML = r.externalURL.map { HTML("<a href=\"\(url: $0)\" rel=\"noopener noreferrer\">View post</a>") } ?? "—"
        return """
            <tr><td><a href="\(access.path("/posts/\(r.postID)"))">\(r.postTitle)</a></td><td>\(r.account.label)\(reconnect)</td>\
            <td class="muted">\(when)</td><td>\(r.attempts)</td><td>\(error)</td><td>\(link)</td>\
            \(mayAct ? HTML("<td>\(actions(access, r, live: live, csrf: csrf))</td>") : HTML())</tr>
            """
    }

    /// The forms for one target: retry or send now, cancel, or "it is live" with its address (or
    /// check again with the platform, for an unconfirmed one).
    static func actions(_ access: WorkspaceAccess, _ r: PublishingRow, live: LiveForm?, csrf: HTML) -> HTML {
        let base = access.path("/publishing/\(r.id)")
        switch r.status {
        case .pending:
            return """
                <form method="post" action="\(base)/retry" class="inline">\(csrf)<button class="button small">\(r.attempts > 0 ? "Retry now" : "Send now")</button></form> \
                <form method="post" action="\(base)/cancel" class="inline">\(csrf)<button class="button small danger">Cancel</button></form>
                """
        case .failed:
            return
                "<form method=\"post\" action=\"\(base)/retry\" class=\"inline\">\(csrf)<button class=\"button small primary\">Retry now</button></form>"
        case .unconfirmed:
            let id = "url-\(r.id)"
            return """
                <form method="post" action="\(base)/live" class="form" novalidate>\(csrf)\
                <div class="field\(live == nil ? "" : " has-error")"><label for="\(id)">It is live: here is its URL</label>\
                <input id="\(id)" name="url" type="url" value="\(live?.url ?? "")" maxlength="2048" placeholder="https://" required\
                \(live == nil ? HTML() : HTML(" aria-invalid=\"true\" aria-describedby=\"\(id)-error\""))>\
                \(live.map { HTML("<p class=\"error\" id=\"\(id)-error\">\($0.error)</p>") })</div>\
                <button class="button small">Mark as published</button></form>
                <form method="post" action="\(base)/retry" class="inline">\(csrf)<button class="button small">Check again</button></form>
                """
        case .publishing, .published, .canceled:
            return HTML()
        }
    }
}
