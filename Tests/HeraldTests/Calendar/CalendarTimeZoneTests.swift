// Scheduling across daylight-saving changes, calendar and iCal side: for each zone, 02:30 on next
// year's spring-forward day and 01:30 (and 02:30) on its fall-back day, found by PostgreSQL, are
// resolved the way the scheduling page does (LocalTime.resolve). A skipped time is refused with its
// message; a repeated one takes its first occurrence (documented). The stored instant, the week
// view's cell for a viewer in that zone and the feed's DTSTART must all agree with an oracle that
// tries every minute of the day.
import Foundation
import Testing

@testable import HeraldContent
@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CalendarTimeZoneTests {
    static let zones = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "UTC"]

    /// Next year's days whose length is not 24 hours: the shorter one springs forward, the longer
    /// one falls back. A zone without daylight saving time gets two ordinary days.
    static func transitionDays(_ zone: String, _ db: Connection) throws -> (spring: String, fall: String, hasDST: Bool) {
        let rows = try db.query(
            """
            WITH d AS (
                SELECT day::date AS day, ((day::date + 1)::timestamp AT TIME ZONE $1) - (day::date::timestamp AT TIME ZONE $1) AS length
                FROM generate_series(make_date(extract(year FROM now())::int + 1, 1, 1), make_date(extract(year FROM now())::int + 1, 12, 31),
                                     interval '1 day') AS day
            )
            SELECT to_char(day, 'YYYY-MM-DD'), length < interval '24 hours' FROM d WHERE length <> interval '24 hours' ORDER BY day
            """, [.text(zone)]
        ).rows
        let spring = try rows.first { try $0.bool(1) }.map { try $0.string(0) }
        let fall = try rows.first { try !$0.bool(1) }.map { try $0.string(0) }
        if let spring, let fall { return (spring, fall, true) }
        let year = try db.queryRow("SELECT extract(year FROM now())::int + 1")!.int(0)
        return ("\(year)-03-08", "\(year)-11-01", false)
    }

    /// Every instant (to the minute) within a day and a half of the date whose wall clock in `zone`
    /// reads `date time`, in UTC ISO 8601, earliest first.
    static func oracle(date: String, time: String, zone: String, _ db: Connection) throws -> [String] {
        try db.query(
            """
            SELECT to_char(i AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM generate_series(($1::date - 1)::timestamp AT TIME ZONE 'UTC', ($1::date + 2)::timestamp AT TIME ZONE 'UTC', interval '1 minute') AS i
            WHERE i AT TIME ZONE $3 = $1::date + $2::time
            ORDER BY i
            """, [.text(date), .text(time), .text(zone)]
        ).rows.map { try $0.string(0) }
    }

    @Test(arguments: zones)
    func storedInstantCalendarCellAndICalTimeAgree(_ zone: String) throws {
        let db = try TestEnvironment.connectApp()
        let (spring, fall, hasDST) = try Self.transitionDays(zone, db)
        let owner = try CalendarFixtures.user("Planner", zone: zone)
        let workspace = try Fixtures.workspace(owner: owner)
        let browser = try Fixtures.browser(for: owner)
        var placed: [(post: Int, date: String, time: String, instant: String)] = []

        for (date, time) in [(spring, "02:30"), (fall, "01:30"), (fall, "02:30")] {
            let candidates = try Self.oracle(date: date, time: time, zone: zone, db)
            do {
                let resolved = try LocalTime.resolve(date: date, time: time, zone: zone, db)
                #expect(!candidates.isEmpty, "\(zone) \(date) \(time) resolved although the clocks skip it")
                #expect(resolved.instant == candidates.first, "\(zone) \(date) \(time): \(resolved.instant), oracle \(candidates)")
                #expect(resolved.wasAmbiguous == (candidates.count == 2), "\(zone) \(date) \(time) ambiguity, oracle \(candidates)")
                let id = try CalendarFixtures.post(in: workspace, at: resolved.instant, zone: zone, title: "\(date) \(time) \(zone)")
                placed.append((id, date, time, resolved.instant))
            } catch let error as LocalTimeError {
                #expect(candidates.isEmpty, "\(zone) \(date) \(time) refused although it exists: \(candidates)")
                #expect(error == .nonexistent(date: date, time: time, zone: zone))
                #expect(error.message.contains("\(time) does not exist on \(date) in \(zone)"), "\(error.message)")
            }
        }
        if hasDST {
            #expect(placed.count == 2, "\(zone): spring-forward 02:30 is refused, both fall-back times are placed")
            #expect(
                try placed.contains { p in try Self.oracle(date: p.date, time: p.time, zone: zone, db).count == 2 },
                "\(zone): one of the fall-back times is ambiguous")
        } else {
            #expect(placed.count == 3, "\(zone): no daylight saving time, every time exists")
        }

        let feedPath = try CalendarFixtures.makeFeed(browser, slug: workspace.slug)
        let calendar = try ParsedCalendar.parse(try CalendarFixtures.fetch(feedPath).body)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        for p in placed {
            let stored = try admin.queryRow(
                """
                SELECT to_char(scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), scheduled_zone FROM posts WHERE id = $1
                """, [.int(p.post)])!
            #expect(try stored.string(0) == p.instant && stored.string(1) == zone, "stored instant and zone")
            let week = try browser.get("/w/\(workspace.slug)/calendar/week?start=\(p.date)")
            let cell = CalendarFixtures.cell(of: p.post, in: week, slug: workspace.slug)
            #expect(cell?.day == p.date && cell?.hour == String(p.time.prefix(2)), "\(zone) \(p.date) \(p.time): cell \(String(describing: cell))")
            #expect(CalendarFixtures.item(of: p.post, in: week, slug: workspace.slug)?.contains("<time>\(p.time)</time>") == true)
            let month = try browser.get("/w/\(workspace.slug)/calendar?month=\(p.date.prefix(7))")
            #expect(CalendarFixtures.cell(of: p.post, in: month, slug: workspace.slug)?.day == p.date)
            #expect(calendar.event(uid: "post-\(p.post)@127.0.0.1")?.dtstart == p.instant, "\(zone) \(p.date) \(p.time): iCal DTSTART")
        }
    }

    @Test func anAmbiguousTimeTakesItsFirstOccurrence() throws {
        // New York, first Sunday of November: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        let db = try TestEnvironment.connectApp()
        let (_, fall, _) = try Self.transitionDays("America/New_York", db)
        let resolved = try LocalTime.resolve(date: fall, time: "01:30", zone: "America/New_York", db)
        #expect(resolved.wasAmbiguous)
        #expect(resolved.instant == "\(fall)T05:30:00Z")
    }
}
