// Input rules for the account forms, with the messages users see.
import HeraldCore
import Synchronization

enum Validation {
    static func name(_ raw: String?) -> (String, String?) {
        let value = (raw ?? "").trimmed
        if value.isEmpty { return (value, "Enter your name.") }
        if value.count > 100 { return (value, "Use at most 100 characters.") }
        return (value, nil)
    }

    static func email(_ raw: String?) -> (String, String?) {
        let value = (raw ?? "").trimmed
        if value.isEmpty { return (value, "Enter your email address.") }
        if value.utf8.count > 254 { return (value, "An email address has at most 254 characters.") }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty || value.contains(where: { $0.isWhitespace }) {
            return (value, "Enter an email address like name@example.com.")
        }
        return (value, nil)
    }

    static func timeZone(_ raw: String?, _ db: Connection) throws -> (String, String?) {
        let value = (raw ?? "UTC").trimmed
        return try TimeZones.load(db).names.contains(value) ? (value, nil) : (value, "Choose a time zone from the list.")
    }
}

/// IANA time zone names PostgreSQL knows, read once per process, with their `<option>` list.
struct TimeZones: Sendable {
    let names: Set<String>
    let options: PrerenderedOptions

    private static let cache = Mutex<TimeZones?>(nil)

    static func load(_ db: Connection) throws -> TimeZones {
        if let cached = cache.withLock({ $0 }) { return cached }
        let names = try db.query("""
            SELECT name FROM pg_timezone_names
            WHERE name = 'UTC' OR (name ~ '^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/' )
            ORDER BY name = 'UTC' DESC, name
            """).rows.map { try $0.string(0) }
        let zones = TimeZones(names: Set(names), options: PrerenderedOptions(names))
        cache.withLock { $0 = zones }
        return zones
    }
}

/// A local path to return to after login; anything else (other hosts, `//`, `\`) goes to the account page.
func safeNextPath(_ raw: String?) -> String {
    guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count < 512 else { return "/account" }
    return raw
}
