// post_slot_counts (migration 0022): the triggers keep the scheduled posts per 15-minute slot equal to
// the posts themselves through inserts, moves, unscheduling and deletes of many rows at once, and the
// calendar month's day counts built on them equal a direct count, also in a zone whose offset is not
// whole quarter hours (where the month counts the posts themselves).
import Foundation
import Testing

@testable import HeraldDatabase
@testable import herald_calendar

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CalendarSlotCountsTests {
    /// Rows of the kept counts not in the posts' own aggregate, and the other way round.
    func mismatches(_ workspace: Int, _ db: Connection) throws -> Int {
        try db.queryRow(
            """
            WITH kept AS (SELECT slot, posts FROM post_slot_counts WHERE workspace_id = $1 AND posts > 0),
            actual AS (SELECT date_bin('15 minutes', scheduled_at, timestamptz '2000-01-01 00:00+00') AS slot, count(*) AS posts
                       FROM posts WHERE workspace_id = $1 AND scheduled_at IS NOT NULL GROUP BY 1)
            SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual) a)
                 + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept) b)
            """, [.int(workspace)])?.int(0) ?? -1
    }

    @Test func theTriggersKeepTheSlotsEqualToThePosts() throws {
        let owner = try Fixtures.user("Owner")
        let w = try Fixtures.workspace(owner: owner)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        // 400 posts over 10 days, a fifth without a date; then moves, unscheduling, dating and deletes.
        try admin.query(
            """
            INSERT INTO posts (workspace_id, author_id, body, status, scheduled_at, scheduled_zone)
            SELECT $1, $2, 'Post ' || n, 'draft',
                   CASE WHEN n % 5 <> 0 THEN timestamptz '2026-03-25 00:00+00' + (n * 37) * interval '1 minute' END,
                   CASE WHEN n % 5 <> 0 THEN 'UTC' END
            FROM generate_series(1, 400) n
            """, [.int(w.id), .int(owner.id)])
        #expect(try mismatches(w.id, admin) == 0)
        try admin.query(
            "UPDATE posts SET scheduled_at = scheduled_at + interval '7 minutes' WHERE workspace_id = $1 AND id % 3 = 0 AND scheduled_at IS NOT NULL",
            [.int(w.id)])
        try admin.query(
            "UPDATE posts SET scheduled_at = NULL, scheduled_zone = NULL WHERE workspace_id = $1 AND id % 7 = 0", [.int(w.id)])
        try admin.query(
            """
            UPDATE posts SET scheduled_at = timestamptz '2026-03-29 01:30+00', scheduled_zone = 'Europe/Berlin'
            WHERE workspace_id = $1 AND scheduled_at IS NULL AND id % 2 = 0
            """, [.int(w.id)])
        try admin.query("DELETE FROM posts WHERE workspace_id = $1 AND id % 11 = 0", [.int(w.id)])
        #expect(try mismatches(w.id, admin) == 0)
        #expect(try admin.queryRow("SELECT count(*) FROM post_slot_counts WHERE workspace_id = $1 AND posts < 0", [.int(w.id)])?.int(0) == 0)

        // The month's day counts equal a direct count of each local day, in Berlin across the change
        // to summer time and in Kathmandu (+05:45).
        for zone in ["Europe/Berlin", "Asia/Kathmandu", "America/St_Johns"] {
            let cells = try admin.transaction(workspace: w.id) { db in
                try CalendarStore.month(workspace: w.id, zone: zone, first: "2026-03-23", last: "2026-04-05", perDay: 4, db)
            }
            let direct = try admin.query(
                """
                SELECT to_char((scheduled_at AT TIME ZONE $2)::date, 'YYYY-MM-DD'), count(*) FROM posts
                WHERE workspace_id = $1 AND (scheduled_at AT TIME ZONE $2)::date BETWEEN '2026-03-23' AND '2026-04-05' GROUP BY 1
                """, [.int(w.id), .text(zone)]
            ).rows.reduce(into: [String: Int]()) { $0[try $1.string(0)] = try $1.int(1) }
            #expect(cells.mapValues(\.count).filter { $0.value > 0 } == direct, "\(zone)")
        }
    }

    @Test func aDayThatIsNotWholeQuarterHoursIsCountedFromThePosts() throws {
        // Liberia kept -00:44:30 until May 1972: its local days start off the quarter hours.
        let owner = try Fixtures.user("Owner")
        let w = try Fixtures.workspace(owner: owner)
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query(
            """
            INSERT INTO posts (workspace_id, author_id, body, status, scheduled_at, scheduled_zone)
            SELECT $1, $2, 'Old post ' || n, 'draft', timestamptz '1970-03-10 00:00:00+00' + n * interval '10 minutes', 'Africa/Monrovia'
            FROM generate_series(0, 20) n
            """, [.int(w.id), .int(owner.id)])
        let cells = try admin.transaction(workspace: w.id) { db in
            try CalendarStore.month(workspace: w.id, zone: "Africa/Monrovia", first: "1970-03-09", last: "1970-03-10", perDay: 4, db)
        }
        // 00:00 to 00:44:20 UTC are still 9 March in Monrovia (5 posts), the rest 10 March (16).
        #expect(cells["1970-03-09"]?.count == 5)
        #expect(cells["1970-03-10"]?.count == 16)
    }
}
