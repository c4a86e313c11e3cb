// How often a published post's metrics are fetched as it ages: often while it is new, less and less
// later, then never (HERALD_METRICS_SCHEDULE, README: Configuration).
import HeraldSupport

struct MetricsSchedule: Sendable, Equatable {
    /// Fetch every `every` seconds while the post is younger than `until` seconds; stages in order.
    struct Stage: Sendable, Equatable {
        let every: Int
        let until: Int
    }

    let stages: [Stage]

    /// Hourly for 48 hours, every 6 hours to day 7, daily to day 30, weekly to day 90, then stop.
    static let standard = "1h@48h,6h@7d,1d@30d,7d@90d"

    /// Seconds until the next fetch of a post published `age` seconds ago, or nil when collection ends.
    func delay(afterAge age: Int) -> Int? {
        guard let stage = stages.first(where: { age < $0.until }) else { return nil }
        return stage.every
    }

    /// The last stage's end: no fetch after a post is this old.
    var horizon: Int { stages.last?.until ?? 0 }

    /// `EVERY@UNTIL,…` with durations like 90s, 15m, 1h, 7d; stages in increasing UNTIL.
    static func parse(_ text: String) throws -> MetricsSchedule {
        var stages: [Stage] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "@").map { String($0).trimmed }
            guard pieces.count == 2, let every = seconds(pieces[0]), let until = seconds(pieces[1]), every > 0, until > 0 else {
                throw ConfigError(description: "HERALD_METRICS_SCHEDULE: \"\(part)\" is not EVERY@UNTIL (like 1h@48h)")
            }
            if let last = stages.last, until <= last.until {
                throw ConfigError(description: "HERALD_METRICS_SCHEDULE: the stages' UNTIL must increase (\(pieces[1]) follows a later one)")
            }
            stages.append(Stage(every: every, until: until))
        }
        guard !stages.isEmpty else { throw ConfigError(description: "HERALD_METRICS_SCHEDULE is empty") }
        return MetricsSchedule(stages: stages)
    }

    /// `90s`, `15m`, `1h`, `7d` in seconds; nil for anything else.
    static func seconds(_ text: String) -> Int? {
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count < 100_000 else { return nil }
        switch unit {
        case "s": return count
        case "m": return count * 60
        case "h": return count * 3600
        case "d": return count * 86_400
        default: return nil
        }
    }
}
