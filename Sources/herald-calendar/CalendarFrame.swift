// Which days a calendar page shows, which of them is today in the viewer's time zone, and where
// the previous/next arrows lead. The date arithmetic is PostgreSQL's.
import HeraldDatabase
import HeraldFastCGI

/// One day on a calendar page.
struct CalendarDay {
    /// `YYYY-MM-DD`.
    let date: String
    /// 1 = Monday … 7 = Sunday.
    let weekday: Int
    let isToday: Bool
    /// False for the days of the neighbouring months that fill the month grid's first and last week.
    let inMonth: Bool
    let year: Int
    let month: Int
    let dayOfMonth: Int

    init(date: String, weekday: Int, isToday: Bool, inMonth: Bool) {
        self.date = date
        self.weekday = weekday
        self.isToday = isToday
        self.inMonth = inMonth
        let digits = Array(date.utf8)
        year = digits.count == 10 ? QueryDate.number(digits[0..<4]) ?? 0 : 0
        month = digits.count == 10 ? QueryDate.number(digits[5..<7]) ?? 0 : 0
        dayOfMonth = digits.count == 10 ? QueryDate.number(digits[8..<10]) ?? 0 : 0
    }
}

/// The days of one page, in order, with today and the neighbouring pages (`YYYY-MM` for a month
/// page, `YYYY-MM-DD` for a week or day page).
struct CalendarFrame {
    let days: [CalendarDay]
    let today: String
    let previous: String
    let next: String

    var first: CalendarDay { days[0] }
    var last: CalendarDay { days[days.count - 1] }

    /// Monday before or on the 1st to Sunday after or on the last day of the month: 4 to 6 whole weeks.
    static func month(year: Int?, month: Int?, zone: String, _ db: Connection) throws -> CalendarFrame {
        try load(
            db,
            """
            WITH f AS (
                SELECT coalesce(make_date($2, $3, 1), date_trunc('month', now() AT TIME ZONE $1)::date) AS first,
                       (now() AT TIME ZONE $1)::date AS today
            ), g AS (
                SELECT first, today, ((first + interval '1 month')::date - 1) AS last FROM f
            )
            SELECT to_char(d, 'YYYY-MM-DD'), extract(isodow FROM d)::int, d::date = today, date_trunc('month', d)::date = first,
                   to_char(today::timestamp, 'YYYY-MM-DD'), to_char(first - interval '1 month', 'YYYY-MM'), to_char(first + interval '1 month', 'YYYY-MM')
            FROM g, generate_series((first - (extract(isodow FROM first)::int - 1))::timestamp,
                                    (last + (7 - extract(isodow FROM last)::int))::timestamp, interval '1 day') AS d
            ORDER BY d
            """, [.text(zone), .int(year), .int(month)])
    }

    /// The Monday-to-Sunday week holding `containing` (default: today).
    static func week(containing: String?, zone: String, _ db: Connection) throws -> CalendarFrame {
        try load(
            db,
            """
            WITH f AS (
                SELECT coalesce($2::date, (now() AT TIME ZONE $1)::date) AS pick, (now() AT TIME ZONE $1)::date AS today
            ), g AS (
                SELECT pick - (extract(isodow FROM pick)::int - 1) AS start, today FROM f
            )
            SELECT to_char((start + i)::timestamp, 'YYYY-MM-DD'), i + 1, start + i = today, true,
                   to_char(today::timestamp, 'YYYY-MM-DD'), to_char((start - 7)::timestamp, 'YYYY-MM-DD'), to_char((start + 7)::timestamp, 'YYYY-MM-DD')
            FROM g, generate_series(0, 6) AS i
            ORDER BY i
            """, [.text(zone), .text(containing)])
    }

    /// One day (default: today).
    static func day(_ date: String?, zone: String, _ db: Connection) throws -> CalendarFrame {
        try load(
            db,
            """
            WITH f AS (
                SELECT coalesce($2::date, (now() AT TIME ZONE $1)::date) AS day, (now() AT TIME ZONE $1)::date AS today
            )
            SELECT to_char(day::timestamp, 'YYYY-MM-DD'), extract(isodow FROM day)::int, day = today, true,
                   to_char(today::timestamp, 'YYYY-MM-DD'), to_char((day - 1)::timestamp, 'YYYY-MM-DD'), to_char((day + 1)::timestamp, 'YYYY-MM-DD')
            FROM f
            """, [.text(zone), .text(date)])
    }

    /// Columns: date, ISO weekday, is today, in the month, today, previous, next.
    private static func load(_ db: Connection, _ sql: String, _ params: [SQLValue]) throws -> CalendarFrame {
        let rows = try db.query(sql, params).rows
        guard let top = rows.first else { throw HTTPError.notFound }
        let days = try rows.map { row in
            CalendarDay(date: try row.string(0), weekday: try row.int(1), isToday: try row.bool(2), inMonth: try row.bool(3))
        }
        return CalendarFrame(days: days, today: try top.string(4), previous: try top.string(5), next: try top.string(6))
    }
}
