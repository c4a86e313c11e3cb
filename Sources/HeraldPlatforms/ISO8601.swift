// Reading the timestamps platforms send (Mastodon's X-RateLimit-Reset, created_at fields).
import Foundation

enum ISO8601 {
    /// Seconds since 1970 of `2026-11-29T17:00:00.000Z` (fractional seconds optional), or nil.
    static func seconds(_ text: String) -> Int? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int(date.timeIntervalSince1970) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int($0.timeIntervalSince1970) }
    }

    static func now() -> Int { Int(Date().timeIntervalSince1970) }
}
