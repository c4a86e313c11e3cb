// /w/{slug}/analytics.csv?range=…: what the overview shows for that range, as one CSV with a
// section column (totals, days, followers, top posts, best time). A counter a platform does not
// report is an empty field, never 0.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum AnalyticsExport {
    static let columns = [
        "Section", "Channel", "Day", "Hour", "Post", "Views", "Likes", "Replies", "Shares", "Quotes", "Saves", "Score", "Engagement",
        "Previous range engagement", "Followers", "Posts",
    ]

    static func csv(_ c: RequestContext) throws -> Response {
        let range = try AnalyticsRange.parse(c.request.query)
        let access = try c.inWorkspace(.view) { access, _ in access }
        let (data, _) = try AnalyticsRead.run(c, access) { db in try AnalyticsStore.overview(access.id, range, db) }
        var body = CSV.record(columns.map { CSV.Field.text($0) })
        func row(
            _ section: String, channel: String? = nil, day: String? = nil, hour: Int? = nil, post: String? = nil, counts: [CSV.Field],
            engagement: Int? = nil, previous: Int? = nil, followers: Int? = nil, posts: Int? = nil
        ) {
            var fields: [CSV.Field] = [.text(section), .text(channel), .text(day), hour.map { .number($0) } ?? .text(nil), .text(post)]
            fields += counts
            for value in [engagement, previous, followers, posts] { fields.append(value.map { .number($0) } ?? .text(nil)) }
            body += CSV.record(fields)
        }
        let none = [CSV.Field](repeating: .text(nil), count: Metric.allCases.count)
        for t in data.totals {
            let counts = Metric.allCases.map { m -> CSV.Field in
                if let value = t.current[m] { return .number(value) }
                return t.channel.reported.contains(m) ? .number(0) : .text(nil)
            }
            row("totals", channel: t.channel.label, counts: counts, engagement: t.current.engagement, previous: t.previous.engagement)
        }
        let series = OverviewView.engagementSeries(data)
        for (index, day) in data.days.enumerated() {
            let counts = Metric.allCases.map { m -> CSV.Field in
                guard let values = series.first(where: { $0.name == m.label })?.values, let value = values[index] else { return .text(nil) }
                return .number(Int(value))
            }
            row("days", day: day.day, counts: counts, engagement: day.counts.engagement)
        }
        for f in data.followers {
            for day in data.days.map({ $0.day }) {
                if let count = f.byDay[day] { row("followers", channel: f.channel.label, day: day, counts: none, followers: count) }
            }
        }
        for post in data.top {
            let counts = Metric.allCases.map { m -> CSV.Field in post.counts[m].map { CSV.Field.number($0) } ?? .text(nil) }
            row(
                "top_posts", channel: post.channel, day: post.publishedAt, post: post.title.isEmpty ? post.excerpt : post.title, counts: counts,
                engagement: post.counts.engagement)
        }
        for cell in data.heat.sorted(by: { ($0.weekday, $0.hour) < ($1.weekday, $1.hour) }) where (1...7).contains(cell.weekday) {
            body += CSV.record(
                [.text("best_time"), .text(nil), .text(OverviewView.weekdays[cell.weekday - 1]), .number(cell.hour), .text(nil)] + none
                    + [.text(String(cell.average)), .text(nil), .text(nil), .number(cell.posts)])
        }
        var response = Response.text(body, contentType: "text/csv; charset=utf-8")
        // The slug is [a-z0-9-] and the dates digits: nothing to escape in the header.
        response.setHeader(
            "Content-Disposition", "attachment; filename=\"herald-\(access.slug)-analytics-\(data.bounds.from)-to-\(data.bounds.to).csv\"")
        return response
    }
}
