// Wall-clock times in IANA zones, resolved with PostgreSQL's time zone database: a local date and
// time entered in a zone becomes one instant, or a clear message when the clock skips it (spring
// forward) — and when it shows it twice (fall back), the first occurrence is taken.
public import HeraldDatabase

public enum LocalTimeError: Error, Sendable, Equatable {
    case badDate
    case badTime
    /// The clocks skip this time in the zone (e.g. 02:30 on a spring-forward day).
    case nonexistent(date: String, time: String, zone: String)

    public var message: String {
        switch self {
        case .badDate: return "Enter a date like 2026-03-08."
        case .badTime: return "Enter a time like 09:30 (24-hour clock)."
        case .nonexistent(let date, let time, let zone):
            return
                "\(time) does not exist on \(date) in \(zone): the clocks skip it (daylight saving time starts). Pick a time outside the skipped hour."
        }
    }
}

/// An instant resolved from a local time, with what the resolution had to decide.
public struct ResolvedTime: Sendable, Equatable {
    /// The instant in UTC, ISO 8601 (`2026-03-08T07:30:00Z`), ready to bind as timestamptz.
    public let instant: String
    /// The local time occurs twice (clocks fall back) and the first, earlier occurrence was taken.
    public let wasAmbiguous: Bool
}

public enum LocalTime {
    /// `YYYY-MM-DD`, checked for shape (the calendar check is PostgreSQL's).
    public static func isDate(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        return b.enumerated().allSatisfy { i, c in i == 4 || i == 7 || (c >= 48 && c <= 57) }
    }

    /// `HH:MM` on a 24-hour clock.
    public static func isTime(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 5, b[2] == UInt8(ascii: ":"), b.enumerated().allSatisfy({ i, c in i == 2 || (c >= 48 && c <= 57) }) else { return false }
        let hour = Int(b[0] - 48) * 10 + Int(b[1] - 48)
        let minute = Int(b[3] - 48) * 10 + Int(b[4] - 48)
        return hour < 24 && minute < 60
    }

    /// The instant a wall-clock `date` `time` in `zone` names. Skipped times are an error; a time
    /// shown twice resolves to its first occurrence (the one still on daylight saving time).
    public static func resolve(date: String, time: String, zone: String, _ db: Connection) throws -> ResolvedTime {
        guard isDate(date) else { throw LocalTimeError.badDate }
        guard isTime(time) else { throw LocalTimeError.badTime }
        let row: Row
        do {
            guard
                let found = try db.savepoint({
                    try db.queryRow(
                        """
                        WITH l AS (SELECT ($1::date + $2::time) AS lt),
                        i AS (SELECT lt, lt AT TIME ZONE $3 AS t FROM l)
                        SELECT (t AT TIME ZONE $3) = lt,
                               -- Other instants within two hours that show the same wall-clock time.
                               (SELECT min(c) FROM unnest(ARRAY[t - interval '2 hours', t - interval '1 hour', t - interval '30 minutes',
                                                                t, t + interval '30 minutes', t + interval '1 hour', t + interval '2 hours']) AS c
                                WHERE (c AT TIME ZONE $3) = lt),
                               (SELECT count(*) FROM unnest(ARRAY[t - interval '2 hours', t - interval '1 hour', t - interval '30 minutes',
                                                                  t, t + interval '30 minutes', t + interval '1 hour', t + interval '2 hours']) AS c
                                WHERE (c AT TIME ZONE $3) = lt) > 1
                        FROM i
                        """, [.text(date), .text(time), .text(zone)])
                })
            else { throw LocalTimeError.badDate }
            row = found
        } catch let error as DatabaseError where error.sqlState?.hasPrefix("22") == true {
            throw LocalTimeError.badDate  // e.g. 2026-02-30
        }
        guard try row.bool(0), let first = row.optionalString(1) else {
            throw LocalTimeError.nonexistent(date: date, time: time, zone: zone)
        }
        return ResolvedTime(instant: try isoUTC(first, db), wasAmbiguous: try row.bool(2))
    }

    /// A timestamptz as PostgreSQL printed it, in ISO 8601 UTC.
    static func isoUTC(_ value: String, _ db: Connection) throws -> String {
        try db.queryRow("SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", [.text(value)])!.string(0)
    }
}
