// The analytics overview's markup: the range chooser, totals per channel against the previous
// range, engagement over time, follower growth, top posts, and the best time to post. Every chart
// is SVG with its numbers in a table beside it (Charts); counters a platform does not report say
// so instead of showing 0.
import HeraldHTML
import HeraldIdentity
import HeraldSupport

enum OverviewView {
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func render(_ access: WorkspaceAccess, _ range: AnalyticsRange, _ data: Overview, dataAsOf: String?) -> HTML {
        let b = data.bounds
        let asOf: HTML =
            dataAsOf.map {
                "<p class=\"flash flash-info\" role=\"status\">Data as of \($0): the analytics copy of the database is catching up, so the newest numbers may be missing.</p>"
            } ?? HTML()
        return """
            <h1>Analytics</h1>
            <p class="lead">How your posts did from <strong>\(b.from)</strong> to <strong>\(b.to)</strong> (\(b.days) days, in your time zone, \
            \(access.user.timeZone)), compared with the \(b.days) days before (\(b.previousFrom) to \(b.previousTo)).</p>
            \(asOf)\(chooser(access, range, b))
            \(data.channels.isEmpty ? noChannels(access) : sections(access, range, data))
            """
    }

    static func noChannels(_ access: WorkspaceAccess) -> HTML {
        "<section class=\"card\"><p class=\"empty\">No channels yet. <a href=\"\(access.path("/channels"))\">Connect a channel</a>, publish, and the numbers appear here an hour or so later.</p></section>"
    }

    static func chooser(_ access: WorkspaceAccess, _ range: AnalyticsRange, _ b: Bounds) -> HTML {
        let base = access.path("/analytics")
        let presets = AnalyticsRange.presets.map { preset -> HTML in
            preset.name == range.name
                ? "<a href=\"\(base)?range=\(preset.name)\" aria-current=\"page\">\(preset.label)</a>"
                : "<a href=\"\(base)?range=\(preset.name)\">\(preset.label)</a>"
        }
        return """
            <nav class="tabs" aria-label="Date range">\(HTML.join(presets))</nav>
            <form method="get" action="\(base)" class="filters" aria-label="Custom range">
            <input type="hidden" name="range" value="custom">
            <label>From <input type="date" name="from" value="\(b.from)" required></label>
            <label>To <input type="date" name="to" value="\(b.to)" required></label>
            <button class="button secondary">Show</button>
            <a class="button small" href="\(access.path("/analytics.csv"))?\(range.query)" download>Download CSV</a>
            </form>
            """
    }

    static func sections(_ access: WorkspaceAccess, _ range: AnalyticsRange, _ data: Overview) -> HTML {
        """
        <section class="card"><h2>Totals per channel</h2>\(totals(data))</section>
        <section class="card"><h2>Engagement over time</h2>\(engagement(data))</section>
        <section class="card"><h2>Follower growth</h2>\(followers(data))</section>
        <section class="card"><h2>Top posts published in this range</h2>\(topPosts(access, data))</section>
        <section class="card"><h2>Best time to post</h2>\(bestTime(data))</section>
        """
    }

    /// A counter's cell: the number, or why there is none.
    static func cell(_ value: Int?, _ metric: Metric, _ channel: Channel) -> HTML {
        if let value { return "<td class=\"num\">\(grouped(value))</td>" }
        if channel.reported.contains(metric) { return "<td class=\"num\">0</td>" }
        return "<td class=\"num muted small\">not available from this platform</td>"
    }

    static func totals(_ data: Overview) -> HTML {
        let header = HTML.join(Metric.allCases.map { "<th class=\"num\" scope=\"col\">\($0.label)</th>" })
        let rows = data.totals.map { t -> HTML in
            let cells = HTML.join(Metric.allCases.map { cell(t.current[$0], $0, t.channel) })
            return """
                <tr><th scope="row">\(t.channel.label)</th>\(cells)<td class="num"><strong>\(grouped(t.current.engagement))</strong></td>\
                <td class="num">\(change(t.current.engagement, from: t.previous.engagement))</td></tr>
                """
        }
        var all = Counts()
        var before = Counts()
        for t in data.totals {
            all.add(t.current)
            before.add(t.previous)
        }
        let totalCells = HTML.join(Metric.allCases.map { m -> HTML in "<td class=\"num\">\(all[m].map(grouped) ?? "–")</td>" })
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Totals per channel"><table class="table"><thead><tr><th scope="col">Channel</th>\(header)\
            <th class="num" scope="col">Engagement</th><th class="num" scope="col">Versus the previous range</th></tr></thead>
            <tbody>\(HTML.join(rows))</tbody>
            <tfoot><tr><th scope="row">All channels</th>\(totalCells)<td class="num"><strong>\(grouped(all.engagement))</strong></td>\
            <td class="num">\(change(all.engagement, from: before.engagement))</td></tr></tfoot></table></div>
            <p class="muted small">Engagement adds likes, replies, shares, quotes, saves and Reddit's score gained in the range. \
            Views are counted where the platform reports them.</p>
            """
    }

    /// The metrics any day of the range reported, in the table's order.
    static func engagementSeries(_ data: Overview) -> [ChartSeries] {
        Metric.allCases.compactMap { metric -> ChartSeries? in
            let values = data.days.map { $0.counts[metric].map(Int64.init) }
            let channelsReport = data.channels.contains { $0.reported.contains(metric) }
            guard channelsReport || values.contains(where: { $0 != nil }) else { return nil }
            // A day with no change of a counter its channels report is a 0, not a gap.
            return ChartSeries(name: metric.label, values: values.map { $0 ?? (channelsReport ? 0 : nil) })
        }
    }

    static func engagement(_ data: Overview) -> HTML {
        let series = engagementSeries(data)
        guard !series.isEmpty else {
            return "<p class=\"empty\">None of your channels reports engagement counters.</p>"
        }
        return Charts.line(
            id: "engagement", title: "Engagement per day",
            description: "What your posts gained each day from \(data.bounds.from) to \(data.bounds.to), per counter, in your time zone.",
            xLabels: data.days.map(\.day), series: series, valueLabel: "Gained")
    }

    static func followers(_ data: Overview) -> HTML {
        let reporting = data.followers.filter { Metric.followersReported(by: $0.channel.platform) && !$0.byDay.isEmpty }
        let silent = data.followers.filter { !Metric.followersReported(by: $0.channel.platform) || $0.byDay.isEmpty }
        let notes = HTML.join(
            silent.map { f -> HTML in
                let why =
                    !Metric.followersReported(by: f.channel.platform)
                    ? "not available from this platform" : (f.channel.followersNote ?? "no reading in this range yet (Herald reads it once a day)")
                return "<li>\(f.channel.label): \(why)</li>"
            })
        let list: HTML = silent.isEmpty ? HTML() : "<ul class=\"muted small\">\(notes)</ul>"
        guard !reporting.isEmpty else { return "<p class=\"empty\">No follower counts for this range.</p>\(list)" }
        let days = data.days.map(\.day)
        let series = reporting.map { f in ChartSeries(name: f.channel.label, values: days.map { f.byDay[$0].map(Int64.init) }) }
        var growth: [HTML] = []
        for f in reporting {
            let readings = days.compactMap { f.byDay[$0] }
            if let first = readings.first, let last = readings.last {
                growth.append("<li>\(f.channel.label): \(grouped(last)) followers, \(change(last, from: first)) over the range</li>")
            }
        }
        return Charts.line(
            id: "followers", title: "Followers per channel",
            description: "Each channel's follower count at the end of each day from \(data.bounds.from) to \(data.bounds.to).",
            xLabels: days, series: series, valueLabel: "Followers") + "<ul>\(HTML.join(growth))</ul>\(list)"
    }

    static func topPosts(_ access: WorkspaceAccess, _ data: Overview) -> HTML {
        guard !data.top.isEmpty else {
            return "<p class=\"empty\">No post published in this range has numbers yet.</p>"
        }
        let rows = data.top.map { post -> HTML in
            let name = post.title.isEmpty ? post.excerpt : post.title
            let live: HTML = post.url.map { " <a href=\"\($0)\" rel=\"nofollow noopener\">on the platform</a>" } ?? HTML()
            return """
                <tr><td><a href="\(access.path("/analytics/posts/\(post.postID)"))">\(name.isEmpty ? "(no text)" : name)</a>\(live)</td>\
                <td>\(post.channel)</td><td class="nowrap">\(post.publishedAt)</td>\
                <td class="num">\(post.counts[.views].map(grouped) ?? "–")</td><td class="num"><strong>\(grouped(post.counts.engagement))</strong></td></tr>
                """
        }
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Top posts published in this range"><table class="table"><thead><tr><th scope="col">Post</th><th scope="col">Channel</th>\
            <th scope="col">Published</th><th class="num" scope="col">Views</th><th class="num" scope="col">Engagement so far</th></tr></thead>
            <tbody>\(HTML.join(rows))</tbody></table></div>
            """
    }

    static func bestTime(_ data: Overview) -> HTML {
        let posts = data.heat.reduce(0) { $0 + $1.posts }
        guard posts > 0 else {
            return "<p class=\"empty\">Not enough history yet: the map fills in as your published posts collect numbers.</p>"
        }
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: 24), count: 7)
        var samples = [[Int]](repeating: [Int](repeating: 0, count: 24), count: 7)
        for cell in data.heat where (1...7).contains(cell.weekday) && (0...23).contains(cell.hour) {
            values[cell.weekday - 1][cell.hour] = cell.average
            samples[cell.weekday - 1][cell.hour] = cell.posts
        }
        let hours = (0..<24).map { $0 < 10 ? "0\($0)" : "\($0)" }
        return """
            <p>Average engagement of the \(grouped(posts)) posts published from \(data.bounds.heatSince) to \(data.bounds.to), by the weekday and \
            hour they went out in your time zone. Cells with few posts say little: each shows how many it averages.</p>
            \(Charts.heatMap(
                id: "best-time", title: "Average engagement by weekday and hour published",
                description: "Average engagement per post by the weekday and hour it was published, with the number of posts behind each cell.",
                rowLabels: weekdays, columnLabels: hours, values: values, samples: samples))
            """
    }
}
