// CalendarStore.dayBounds skips its search for a repeated midnight when the clock three hours before
// local midnight reads three hours less: the shortcut must give the same instant as the search, for
// every zone PostgreSQL knows (two years of days), and for the zones whose midnights move the most
// (every day from 1970 to 2035).
import Testing

@testable import herald_calendar

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CalendarBoundsTests {
    /// The days (zone, day) where CalendarStore.dayBounds and the plain search disagree.
    func disagreements(zones: String, from first: String, to last: String) throws -> [String] {
        let db = try TestEnvironment.connectApp()
        let bounds = CalendarStore.dayBounds.replacingOccurrences(of: "$4", with: "z.name")
            .replacingOccurrences(of: "$2", with: "'\(first)'").replacingOccurrences(of: "$3", with: "'\(last)'")
        // dayBounds as a function of the zone: its `days` CTE, run per zone with the search alone beside it.
        let daysOnly = bounds.components(separatedBy: "), bounds AS (")[0].replacingOccurrences(of: "WITH days AS (", with: "")
        let rows = try db.query(
            """
            SELECT z.name || ' ' || x.day
            FROM (\(zones)) AS z(name)
            CROSS JOIN LATERAL (\(daysOnly)) AS x
            CROSS JOIN LATERAL (SELECT (x.day::timestamp AT TIME ZONE z.name) AS s) AS y
            WHERE x.starts IS DISTINCT FROM coalesce(
                (SELECT min(c) FROM generate_series(y.s - interval '3 hours', y.s, interval '15 minutes') AS c
                 WHERE c AT TIME ZONE z.name = x.day::timestamp), y.s)
            LIMIT 10
            """
        ).rows
        return try rows.map { try $0.string(0) }
    }

    @Test func theShortcutAgreesWithTheSearchInEveryZone() throws {
        #expect(try disagreements(zones: "SELECT name FROM pg_timezone_names", from: "2025-01-01", to: "2026-12-31") == [])
    }

    @Test func theShortcutAgreesWhereMidnightMovesMost() throws {
        let zones = """
            VALUES ('Atlantic/Azores'), ('Antarctica/Casey'), ('America/Havana'), ('America/Santiago'), ('Africa/Cairo'),
                   ('Asia/Beirut'), ('Asia/Gaza'), ('America/Asuncion'), ('Asia/Amman'), ('Asia/Damascus'), ('Asia/Tehran'),
                   ('Pacific/Chatham'), ('Australia/Lord_Howe'), ('Antarctica/Troll'), ('America/Sao_Paulo'), ('Pacific/Apia')
            """
        #expect(try disagreements(zones: zones, from: "1970-01-01", to: "2035-12-31") == [])
    }
}
