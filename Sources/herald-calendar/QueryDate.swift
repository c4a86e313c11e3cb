// The dates the calendar's addresses carry (`?month=2026-03`, `?start=2026-03-09`, `?date=…`),
// checked before PostgreSQL sees them: anything malformed or outside the calendar is a 400 that
// says what was expected.
import HeraldFastCGI
import HeraldWeb

enum QueryDate {
    /// Years the calendar pages accept.
    static let years = 1900...2999

    /// `?month=YYYY-MM`, or nil when absent or empty (the current month).
    static func month(_ c: RequestContext) throws -> (year: Int, month: Int)? {
        guard let raw = c.request.query["month"], !raw.isEmpty else { return nil }
        let digits = Array(raw.utf8)
        guard digits.count == 7, digits[4] == UInt8(ascii: "-"), let year = number(digits[0..<4]), let month = number(digits[5..<7]),
            years.contains(year), (1...12).contains(month)
        else {
            throw HTTPError.badRequest(
                "“\(raw)” is not a month Herald can show. Write it like 2026-03 (a year from \(years.lowerBound) to \(years.upperBound), a month from 01 to 12)."
            )
        }
        return (year, month)
    }

    /// A `YYYY-MM-DD` query parameter, or nil when absent or empty (today).
    static func day(_ c: RequestContext, _ name: String) throws -> String? {
        guard let raw = c.request.query[name], !raw.isEmpty else { return nil }
        let digits = Array(raw.utf8)
        guard digits.count == 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
            let year = number(digits[0..<4]), let month = number(digits[5..<7]), let day = number(digits[8..<10]),
            years.contains(year), (1...12).contains(month), (1...daysIn(month, of: year)).contains(day)
        else {
            throw HTTPError.badRequest(
                "“\(raw)” is not a date Herald can show. Write it like 2026-03-09 (a year from \(years.lowerBound) to \(years.upperBound)).")
        }
        return raw
    }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ASCII digits only, as a number.
    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return bytes.isEmpty ? nil : value
    }
}
