// The dashboard's markup: who you are here, what needs attention (failed and unconfirmed sends,
// channels to reconnect), the getting-started checklist, last week's summary, upcoming posts, the
// counts at a glance, and the team.
import HeraldHTML
import HeraldIdentity

enum DashboardView {
    static func render(
        _ access: WorkspaceAccess, counts: DashboardCounts, upcoming: [UpcomingPost], members: [Member], summary: WeeklySummary?
    ) -> HTML {
        let upcomingList: HTML =
            upcoming.isEmpty
            ? "<p class=\"empty\">Nothing scheduled yet.</p>"
            : """
            <table class="table"><tbody>\(upcoming.map { post -> HTML in
                "<tr><td>\(post.title)</td><td class=\"muted\">\(post.when)</td></tr>" })</tbody></table>
            """
        let team = members.map { m -> HTML in "<li>\(m.name) <span class=\"badge muted\">\(m.role.rawValue)</span></li>" }
        return """
            <h1>\(access.workspace.name)</h1>
            <p class="lead">You are \(access.role.withArticle) here. \
            Times are shown in your time zone, \(access.user.timeZone).</p>
            \(attention(access, counts))
            \(checklist(access, counts))
            \(weekly(access, summary))
            <div class="grid">
            <section class="card"><h2>Upcoming posts</h2>\(upcomingList)</section>
            <section class="card"><h2>At a glance</h2><dl class="details">
            <dt>Needs attention</dt><dd><a href="\(access.path("/publishing"))">\(counts.needingAttention)</a></dd>
            <dt>Waiting for review</dt><dd>\(counts.inReview)</dd>
            <dt>Scheduled</dt><dd>\(counts.scheduled)</dd>
            <dt>Channels</dt><dd>\(counts.channels)\(counts.channelsNeedingReconnect > 0
                ? HTML(" <span class=\"badge warn\">\(counts.channelsNeedingReconnect) need reconnecting</span>") : HTML())</dd>
            <dt>Credits</dt><dd>\(access.role.may(.viewCredits) ? HTML("<a href=\"\(access.path("/credits"))\">\(counts.credits.map(String.init) ?? "0")</a>") : HTML(escaping: counts.credits.map(String.init) ?? "—"))</dd>
            </dl></section>
            <section class="card"><h2>Team</h2><ul class="plain">\(team)</ul>
            <p><a href="\(access.path("/members"))">\(access.role.may(.manageMembers) ? "Manage members" : "See all members")</a></p></section>
            </div>
            """
    }

    /// Failed and unconfirmed sends and channels to reconnect, each with where to fix it; nothing when all is well.
    static func attention(_ access: WorkspaceAccess, _ counts: DashboardCounts) -> HTML {
        guard counts.needingAttention > 0 else { return HTML() }
        var items: [HTML] = []
        if counts.failedSends > 0 {
            items.append(
                "<li><a href=\"\(access.path("/publishing"))\">\(counts.failedSends) \(counts.failedSends == 1 ? "send" : "sends") failed</a></li>")
        }
        if counts.unconfirmedSends > 0 {
            items.append(
                "<li><a href=\"\(access.path("/publishing"))\">\(counts.unconfirmedSends) \(counts.unconfirmedSends == 1 ? "send" : "sends") to confirm</a></li>"
            )
        }
        if counts.channelsNeedingReconnect > 0 {
            items.append(
                "<li><a href=\"\(access.path("/channels"))\">\(counts.channelsNeedingReconnect) \(counts.channelsNeedingReconnect == 1 ? "channel needs" : "channels need") reconnecting</a></li>"
            )
        }
        return """
            <section class="card attention"><h2>Needs attention <span class="badge danger">\(counts.needingAttention)</span></h2>
            <ul class="plain">\(items)</ul></section>
            """
    }

    /// The latest weekly summary: its text escaped (a model may have written it), paragraphs and line
    /// breaks kept, and the week on the analytics page. Nothing before the first summary.
    static func weekly(_ access: WorkspaceAccess, _ summary: WeeklySummary?) -> HTML {
        guard let summary else { return HTML() }
        // Blank lines part paragraphs; other line breaks stay breaks.
        var paragraphs: [[String]] = [[]]
        for line in summary.body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.allSatisfy(\.isWhitespace) {
                if !paragraphs[paragraphs.count - 1].isEmpty { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(String(line))
            }
        }
        let text = paragraphs.filter { !$0.isEmpty }.map { lines -> HTML in
            "<p>\(HTML.join(lines.enumerated().map { $0.offset == 0 ? HTML(escaping: $0.element) : "<br>" + HTML(escaping: $0.element) }))</p>"
        }
        let source: HTML =
            summary.model.map { "Written by a language model (\($0)) from the week's numbers, which follow its words." }
            ?? "Herald's count of the week."
        return """
            <section class="card weekly-summary"><h2>Your week of \(summary.label)</h2>
            \(text)
            <p class="muted small">\(source) Monday \(summary.weekStart) to Sunday \(summary.weekEnd) in the workspace's time zone, \
            \(access.workspace.timeZone).</p>
            <p><a href="\(access.path("/analytics?range=custom&from=\(summary.weekStart)&to=\(summary.weekEnd)"))">See this week in analytics</a></p>
            </section>
            """
    }

    /// Shown until every step is done.
    static func checklist(_ access: WorkspaceAccess, _ counts: DashboardCounts) -> HTML {
        let steps: [(Bool, HTML)] = [
            (true, "Create the workspace"),
            (
                counts.members > 1 || counts.invitations > 0,
                access.role.may(.manageMembers)
                    ? "<a href=\"\(access.path("/members"))\">Invite a teammate</a>" : "Invite a teammate (an owner or admin can)"
            ),
            (
                counts.channels > 0,
                access.role.may(.manageChannels)
                    ? "<a href=\"\(access.path("/channels"))\">Connect a social account</a> (X, LinkedIn, Reddit, Mastodon or Bluesky)"
                    : "Connect a social account (an owner or admin can)"
            ),
            (counts.campaigns > 0, "<a href=\"\(access.path("/campaigns"))\">Plan a campaign</a>"),
            (
                counts.posts > 0,
                access.role.may(.writePosts)
                    ? "<a href=\"\(access.path("/posts/new"))\">Write your first post</a> and send it for review" : "Write the first post"
            ),
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
