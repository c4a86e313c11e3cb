// One post's analytics: per target, the latest counters (or why there are none) and a chart of
// each counter over time with its table.
import HeraldHTML
import HeraldIdentity
import HeraldSupport

enum PostAnalyticsView {
    static func render(_ access: WorkspaceAccess, _ post: PostSummary, _ targets: [TargetCurve], dataAsOf: String?) -> HTML {
        let excerpt = post.body.count > 280 ? String(post.body.prefix(280)) + "…" : post.body
        let asOf: HTML = dataAsOf.map { "<p class=\"flash flash-info\" role=\"status\">Data as of \($0).</p>" } ?? HTML()
        let sections =
            targets.isEmpty ? "<section class=\"card\"><p class=\"empty\">This post has no channels.</p></section>" : HTML.join(targets.map(section))
        return """
            <p><a href="\(access.path("/analytics"))">← Analytics</a> · <a href="\(access.path("/posts/\(post.id)"))">The post</a></p>
            <h1>\(post.title.isEmpty ? "Post \(post.id)" : post.title)</h1>
            <p class="lead">\(excerpt)</p>
            \(asOf)\(sections)
            """
    }

    static func section(_ target: TargetCurve) -> HTML {
        let channel = target.channel
        let heading: HTML = "<h2>\(channel.label)</h2>"
        var facts: HTML = "<dl class=\"details\"><dt>Status</dt><dd>\(target.status)</dd>"
        if let at = target.publishedAt { facts.append("<dt>Published</dt><dd>\(at)</dd>") }
        if let url = target.url { facts.append("<dt>On the platform</dt><dd><a href=\"\(url)\" rel=\"nofollow noopener\">\(url)</a></dd>") }
        if let at = target.latestAt { facts.append("<dt>Last read</dt><dd>\(at)</dd>") }
        if let next = target.nextFetch { facts.append("<dt>Next read</dt><dd>\(next)</dd>") }
        if let note = target.note { facts.append("<dt>Note</dt><dd>\(note)</dd>") }
        facts.append("</dl>")
        guard let latest = target.latest else {
            let why: HTML =
                target.status == "published"
                ? "No numbers yet: Herald reads them shortly after publishing, then on a schedule."
                : "Numbers are collected once this target is published."
            return "<section class=\"card\">\(heading)\(facts)<p class=\"empty\">\(why)</p></section>"
        }
        let cells = HTML.join(
            Metric.allCases.map { m -> HTML in
                let value: HTML =
                    latest[m].map { HTML("\(grouped($0))") }
                    ?? (channel.reported.contains(m) ? "0" : "<span class=\"muted small\">not available from this platform</span>")
                return "<dt>\(m.label)</dt><dd>\(value)</dd>"
            })
        let series = Metric.allCases.compactMap { metric -> ChartSeries? in
            let values = target.points.map { $0.counts[metric].map(Int64.init) }
            return values.contains(where: { $0 != nil }) ? ChartSeries(name: metric.label, values: values) : nil
        }
        let chart: HTML =
            series.isEmpty
            ? HTML()
            : Charts.line(
                id: "target-\(target.id)", title: "\(channel.label): counters over time",
                description: target.daily
                    ? "Each counter at the end of each day (UTC) since the post went out."
                    : "Each counter at every reading since the post went out, in your time zone.",
                xLabels: target.points.map(\.at), series: series, valueLabel: "Count")
        return """
            <section class="card">\(heading)\(facts)<h3>Now</h3><dl class="details">\(cells)\
            <dt>Engagement</dt><dd><strong>\(grouped(latest.engagement))</strong></dd></dl>\(chart)</section>
            """
    }
}
