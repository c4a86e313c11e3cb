// Reading the platforms' JSON answers: a thin view over JSONSerialization's dictionaries, since the
// shapes differ per platform (ids as numbers or strings, nested `data` objects).
import Foundation

/// A JSON object from a platform's answer.
public struct JSONObject: @unchecked Sendable {
    private let values: [String: Any]

    public init?(parsing bytes: [UInt8]) {
        guard !bytes.isEmpty, let parsed = try? JSONSerialization.jsonObject(with: Data(bytes)), let object = parsed as? [String: Any] else {
            return nil
        }
        values = object
    }

    init(_ values: [String: Any]) { self.values = values }

    /// A string, or a number written as one (platform ids come both ways); nil if absent, null or empty.
    public func string(_ key: String) -> String? {
        switch values[key] {
        case let text as String: return text.isEmpty ? nil : text
        case let number as Int: return String(number)
        case let number as Int64: return String(number)
        case let number as Double where number == number.rounded() && abs(number) < 1e15: return String(Int64(number))
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    public func int(_ key: String) -> Int? {
        switch values[key] {
        case let number as Int: return number
        case let number as Int64: return Int(number)
        case let number as Double where number == number.rounded() && abs(number) < 1e15: return Int(number)
        case let number as NSNumber: return number.intValue
        case let text as String: return Int(text)
        default: return nil
        }
    }

    public func object(_ key: String) -> JSONObject? { (values[key] as? [String: Any]).map(JSONObject.init) }

    /// The objects of an array field (`"data": [{…}, …]`); empty if absent or not an array of objects.
    public func objects(_ key: String) -> [JSONObject] { (values[key] as? [Any] ?? []).compactMap { ($0 as? [String: Any]).map(JSONObject.init) } }

    /// The strings of an array field (Reddit's error triples are arrays of strings).
    public func strings(_ key: String) -> [String] { (values[key] as? [Any] ?? []).compactMap { $0 as? String } }

    /// The arrays of an array field (`"errors": [["RATELIMIT", "…", "ratelimit"]]`).
    public func arrays(_ key: String) -> [[String]] { (values[key] as? [Any] ?? []).compactMap { ($0 as? [Any])?.compactMap { $0 as? String } } }

    /// A top-level JSON array of objects (Mastodon's lists of statuses), or nil.
    public static func array(parsing bytes: [UInt8]) -> [JSONObject]? {
        guard !bytes.isEmpty, let parsed = try? JSONSerialization.jsonObject(with: Data(bytes)), let list = parsed as? [Any] else { return nil }
        return list.compactMap { ($0 as? [String: Any]).map(JSONObject.init) }
    }
}
