// The date range an analytics address names, in the viewer's time zone: a preset ending today
// (`?range=7d`, 28d, 90d, 365d) or `?range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD`, both days
// included. Anything else is a 400 that says what is accepted.
import HeraldFastCGI
import HeraldWeb

struct AnalyticsRange: Sendable, Equatable {
    /// The preset's name, or "custom".
    let name: String
    /// Days in a preset (ending today); nil for a custom range.
    let days: Int?
    /// A custom range's first and last day.
    let from: String?
    let to: String?

    static let presets: [(name: String, days: Int, label: String)] = [
        ("7d", 7, "Last 7 days"), ("28d", 28, "Last 28 days"), ("90d", 90, "Last 90 days"), ("365d", 365, "Last 365 days"),
    ]
    static let standard = AnalyticsRange(name: "28d", days: 28, from: nil, to: nil)
    /// The longest custom range: two years.
    static let maxDays = 731

    /// The query string that names this range again (for links and the CSV).
    var query: String {
        guard let from, let to else { return "range=\(name)" }
        return "range=custom&from=\(from)&to=\(to)"
    }

    static func parse(_ query: FormData) throws -> AnalyticsRange {
        let name = query["range"].flatMap { $0.isEmpty ? nil : $0 }
        let from = query["from"].flatMap { $0.isEmpty ? nil : $0 }
        let to = query["to"].flatMap { $0.isEmpty ? nil : $0 }
        if name == nil && from == nil && to == nil { return standard }
        if name == nil || name == "custom" {
            guard let from, let to else {
                throw HTTPError.badRequest("A custom range needs both a first day (from) and a last day (to), like from=2026-03-01&to=2026-03-31.")
            }
            guard let first = dayNumber(from) else { throw badDay(from) }
            guard let last = dayNumber(to) else { throw badDay(to) }
            guard first <= last else {
                throw HTTPError.badRequest("The range starts on \(from) but ends earlier, on \(to). Put the first day first.")
            }
            guard last - first + 1 <= maxDays else {
                throw HTTPError.badRequest("That range is \(last - first + 1) days long; Herald shows at most \(maxDays) days at once.")
            }
            return AnalyticsRange(name: "custom", days: nil, from: from, to: to)
        }
        guard let preset = presets.first(where: { $0.name == name }) else {
            throw HTTPError.badRequest(
                "“\(name ?? "")” is not a range Herald knows. Use one of \(presets.map(\.name).joined(separator: ", ")), or custom with from and to.")
        }
        return AnalyticsRange(name: preset.name, days: preset.days, from: nil, to: nil)
    }

    static func badDay(_ text: String) -> HTTPError {
        HTTPError.badRequest("“\(text)” is not a day Herald can show. Write it like 2026-03-09 (a year from 2000 to 2999).")
    }

    /// Days since 1970-01-01 of a valid `YYYY-MM-DD` from 2000 to 2999; nil for anything else.
    static func dayNumber(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ slice: ArraySlice<UInt8>) -> Int? {
            var value = 0
            for byte in slice {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            (2000...2999).contains(year), (1...12).contains(month)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
