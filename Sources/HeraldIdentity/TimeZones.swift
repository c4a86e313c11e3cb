// IANA time zone names PostgreSQL knows, read once per process, with their rendered `<option>` list.
public import HeraldDatabase
public import HeraldHTML
import Synchronization

/// IANA time zone names PostgreSQL knows, read once per process, with their `<option>` list.
public struct TimeZones: Sendable {
    public let names: Set<String>
    public let options: PrerenderedOptions

    private static let cache = Mutex<TimeZones?>(nil)

    public static func load(_ db: Connection) throws -> TimeZones {
        if let cached = cache.withLock({ $0 }) { return cached }
        let names = try db.query(
            """
            SELECT name FROM pg_timezone_names
            WHERE name = 'UTC' OR (name ~ '^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/' )
            ORDER BY name = 'UTC' DESC, name
            """
        ).rows.map { try $0.string(0) }
        let zones = TimeZones(names: Set(names), options: PrerenderedOptions(names))
        cache.withLock { $0 = zones }
        return zones
    }
}

extension TimeZones {
    /// The trimmed zone and an error message when it is not in the list.
    public static func validate(_ raw: String?, _ db: Connection) throws -> (String, String?) {
        let value = (raw ?? "UTC").trimmed
        return try load(db).names.contains(value) ? (value, nil) : (value, "Choose a time zone from the list.")
    }
}
