// The analytics tests' data: published targets made directly in the database and snapshots
// recorded through record_post_metrics, the one function the worker records with, so the rollups
// under test are the ones production keeps.
import Foundation

@testable import HeraldDatabase

enum AnalyticsSupport {
    static func admin() throws -> Connection { try TestEnvironment.connectSuperuser(database: "herald") }

    /// A published post with one target on `account`, published at `publishedAt` (an ISO 8601 time
    /// PostgreSQL reads). Returns the post and the target.
    static func publishedTarget(
        _ workspace: Fixtures.Workspace, author: Fixtures.User, account: Int, publishedAt: String, title: String? = nil,
        body: String = "Analytics test post"
    ) throws -> (post: Int, target: Int) {
        let post = try Fixtures.post(workspace, author: author, status: "published", body: body, title: title, account: account)
        let target = try admin().queryRow(
            """
            UPDATE post_targets SET status = 'published', external_post_id = $2, published_at = $3::timestamptz,
                   external_url = 'https://social.example/p/' || $2
            WHERE post_id = $1 RETURNING id
            """, [.int(post), .text(UUID().uuidString.lowercased()), .text(publishedAt)])!.int(0)
        return (post, target)
    }

    /// One snapshot, as the worker records it (the counters in views, likes, comments, shares,
    /// clicks, quotes, saves, score order; nil: not reported). Returns whether it was recorded.
    @discardableResult
    static func record(_ workspace: Int, _ target: Int, at: String, _ counters: [Int?], on db: Connection? = nil) throws -> Bool {
        precondition(counters.count == 8)
        let connection = try db ?? admin()
        return try connection.queryRow(
            "SELECT record_post_metrics($1, $2, $3::timestamptz, $4, $5, $6, $7, $8, $9, $10, $11)",
            [.int(workspace), .int(target), .text(at)] + counters.map { SQLValue.int($0) })!.bool(0)
    }

    /// `Date` as an ISO 8601 UTC time with seconds.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Midnight starting `day` (YYYY-MM-DD) in `zone`, as an instant.
    static func midnight(_ day: String, in zone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = day.split(separator: "-").map { Int($0)! }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
    }

    /// The next day of a YYYY-MM-DD.
    static func dayAfter(_ day: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let next = calendar.date(byAdding: .day, value: 1, to: midnight(day, in: "UTC"))!
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: next)
    }

    /// Parses CSV text (RFC 4180: quotes, doubled quotes, CRLF) into records.
    static func csv(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = n
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\r\n", "\n":
                record.append(field)
                field = ""
                records.append(record)
                record = []
            case "\r": break
            default: field.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
