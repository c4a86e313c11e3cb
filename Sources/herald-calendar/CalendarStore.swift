// The calendar's queries on posts: every post with a scheduled_at, whatever its status, placed by
// its local date and hour in the viewer's zone. Each one range-scans posts_workspace_scheduled_idx
// (workspace_id, scheduled_at) between the instants where the local days start and end, which
// `dayBounds` works out exactly, also where a zone skips or repeats midnight.
import HeraldDatabase

/// A post as the calendar shows it.
struct CalendarPost {
    let id: Int
    let status: String
    /// `HH:MM` in the viewer's zone.
    let time: String
    let title: String?
    /// The first 200 characters of the body.
    let bodyStart: String
    /// The zone it was planned in, and the wall-clock time there (`HH:MM`).
    let zone: String
    let zoneTime: String
    /// The channels it goes to (platform names), if it has targets.
    let platforms: String?

    /// The columns of `CalendarStore.postColumns`, starting at `offset`.
    init(_ row: Row, at offset: Int) throws {
        id = try row.int(offset)
        status = try row.string(offset + 1)
        time = try row.string(offset + 2)
        title = row.optionalString(offset + 3)
        bodyStart = try row.string(offset + 4)
        zone = try row.string(offset + 5)
        zoneTime = try row.string(offset + 6)
        platforms = row.optionalString(offset + 7)
    }

    /// The title, or the body's first words (up to 60 characters, cut between words). Works on
    /// the UTF-8 bytes (ASCII white space separates words): it runs for every post on a page.
    var label: String {
        if let title, title.utf8.contains(where: { $0 > 32 }) { return title }
        var out: [UInt8] = []
        out.reserveCapacity(80)
        var characters = 0
        var lastWordEnd = 0
        var pendingSpace = false
        for byte in bodyStart.utf8 {
            if byte <= 32 {
                if !out.isEmpty && !pendingSpace {
                    lastWordEnd = out.count
                    pendingSpace = true
                }
                continue
            }
            let startsCharacter = byte & 0xC0 != 0x80
            if startsCharacter && characters >= 60 {
                return String(decoding: out[..<(lastWordEnd > 0 ? lastWordEnd : out.count)], as: UTF8.self) + "…"
            }
            if pendingSpace {
                out.append(32)
                characters += 1
                pendingSpace = false
            }
            out.append(byte)
            if startsCharacter { characters += 1 }
        }
        return out.isEmpty ? "(no text yet)" : String(decoding: out, as: UTF8.self)
    }
}

/// Posts of one day, or one hour of one day: how many, and the first few.
struct CalendarCell {
    var count = 0
    var posts: [CalendarPost] = []
    var more: Int { count - posts.count }
}

enum CalendarStore {
    /// Every query binds $1 workspace, $2 first local date, $3 last local date, $4 zone, $5 a limit.
    ///
    /// `bounds`: for each local day from $2 to $3, the instant it starts (`starts`) and the instant
    /// the next one starts (`ends`), plus one more row whose `starts` ends the range. `date AT TIME
    /// ZONE` alone is not enough: where midnight happens twice (Atlantic/Azores falls back from 01:00
    /// to 00:00, Antarctica/Casey by three hours) it picks the last, so the earliest instant up to
    /// three hours before it (in 15-minute steps) that shows the same midnight wins; where midnight
    /// is skipped it gives the first instant of the day already. That search runs only when the
    /// clock three hours earlier does not read three hours less (a change of offset in between):
    /// otherwise no earlier instant can show the same midnight. `CalendarBoundsTests` checks both
    /// against each other for every zone PostgreSQL knows.
    static let dayBounds = """
        WITH days AS (
            SELECT d::date AS day,
                   CASE WHEN (s - interval '3 hours') AT TIME ZONE $4 = d - interval '3 hours' THEN s
                        ELSE coalesce((SELECT min(c) FROM generate_series(s - interval '3 hours', s, interval '15 minutes') AS c
                                       WHERE c AT TIME ZONE $4 = d), s)
                   END AS starts
            FROM generate_series($2::date::timestamp, ($3::date + 1)::timestamp, interval '1 day') AS d,
                 LATERAL (SELECT d AT TIME ZONE $4 AS s) AS x
        ), bounds AS (
            SELECT day, starts, lead(starts) OVER (ORDER BY day) AS ends FROM days
        )
        """

    /// Turns JIT compilation off for the rest of the transaction. The planner's row estimates for
    /// these parameterised ranges grow with the table, and past jit_above_cost it spends ~90 ms
    /// compiling a query that runs in ~10 ms.
    /// `genericPlans`: plan the statements once per connection (the month's query: its plan is the
    /// same for every workspace and month, and planning it anew took a tenth of its time).
    static func withoutJIT(_ db: Connection, genericPlans: Bool = false) throws {
        try db.query(
            "SELECT set_config('jit', 'off', true), set_config('plan_cache_mode', $1, true)",
            [
                .text(genericPlans ? "force_generic_plan" : "auto")
            ])
    }

    /// The post columns every query selects from `p`.
    static let postColumns = """
        p.id, p.status, to_char(p.scheduled_at AT TIME ZONE $4, 'HH24:MI'), p.title, left(p.body, 200), p.scheduled_zone,
        to_char(p.scheduled_at AT TIME ZONE p.scheduled_zone, 'HH24:MI'),
        (SELECT string_agg(DISTINCT a.platform, ', ') FROM post_targets t
         JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
         WHERE t.workspace_id = p.workspace_id AND t.post_id = p.id)
        """

    /// Per local day from `first` to `last`: the number of posts and the first `perDay` of them.
    /// Per day the count adds up the day's 15-minute slots of `post_slot_counts` (kept by triggers,
    /// migration 0022; the posts themselves are counted for a day that is not whole slots), and an
    /// index scan reads the first few rows. Those are
    /// ordered by time alone, so the scan stops after `perDay` rows; among posts at the same minute
    /// the index's order decides which are listed (a tie-break by id would read every tied row,
    /// 100 a minute in the demo data, and halve the page's speed).
    static func month(workspace: Int, zone: String, first: String, last: String, perDay: Int, _ db: Connection) throws -> [String: CalendarCell] {
        let rows = try db.query(
            """
            \(dayBounds)
            SELECT to_char(b.day::timestamp, 'YYYY-MM-DD'), c.n, \(postColumns)
            FROM bounds b
            CROSS JOIN LATERAL (
                SELECT CASE
                    WHEN b.starts = date_bin('15 minutes', b.starts, timestamptz '2000-01-01 00:00+00')
                     AND b.ends = date_bin('15 minutes', b.ends, timestamptz '2000-01-01 00:00+00')
                    THEN (SELECT coalesce(sum(s.posts), 0)::bigint FROM post_slot_counts s
                          WHERE s.workspace_id = $1 AND s.slot >= b.starts AND s.slot < b.ends)
                    ELSE (SELECT count(*) FROM posts WHERE workspace_id = $1 AND scheduled_at >= b.starts AND scheduled_at < b.ends)
                END AS n
            ) c
            CROSS JOIN LATERAL (
                SELECT id, workspace_id, status, title, body, scheduled_at, scheduled_zone FROM posts
                WHERE workspace_id = $1 AND scheduled_at >= b.starts AND scheduled_at < b.ends
                ORDER BY scheduled_at
                LIMIT $5
            ) p
            WHERE b.ends IS NOT NULL
            ORDER BY b.day, p.scheduled_at, p.id
            """, [.int(workspace), .text(first), .text(last), .text(zone), .int(perDay)]
        ).rows
        var cells: [String: CalendarCell] = [:]
        for row in rows {
            let day = try row.string(0)
            cells[day, default: CalendarCell()].count = try row.int(1)
            cells[day, default: CalendarCell()].posts.append(try CalendarPost(row, at: 2))
        }
        return cells
    }

    /// Per local day and hour from `first` to `last`: the number of posts and the first `perHour`.
    /// Keyed `YYYY-MM-DD HH`. One index range scan over the whole week.
    static func hours(workspace: Int, zone: String, first: String, last: String, perHour: Int, _ db: Connection) throws -> [String: CalendarCell] {
        let rows = try db.query(
            """
            \(dayBounds)
            SELECT to_char(p.local, 'YYYY-MM-DD HH24'), p.n, \(postColumns)
            FROM (
                SELECT *, count(*) OVER (PARTITION BY date_trunc('hour', local)) AS n,
                       row_number() OVER (PARTITION BY date_trunc('hour', local) ORDER BY scheduled_at, id) AS rank
                FROM (
                    SELECT id, workspace_id, status, title, body, scheduled_at, scheduled_zone, scheduled_at AT TIME ZONE $4 AS local
                    FROM posts
                    WHERE workspace_id = $1 AND scheduled_at >= (SELECT min(starts) FROM bounds) AND scheduled_at < (SELECT max(starts) FROM bounds)
                ) AS inside
            ) p
            WHERE p.rank <= $5
            ORDER BY p.scheduled_at, p.id
            """, [.int(workspace), .text(first), .text(last), .text(zone), .int(perHour)]
        ).rows
        var cells: [String: CalendarCell] = [:]
        for row in rows {
            let key = try row.string(0)
            cells[key, default: CalendarCell()].count = try row.int(1)
            cells[key, default: CalendarCell()].posts.append(try CalendarPost(row, at: 2))
        }
        return cells
    }

    /// The posts of one local day in time order, at most `limit`, and how many there are in all.
    static func day(workspace: Int, zone: String, date: String, limit: Int, _ db: Connection) throws -> CalendarCell {
        let rows = try db.query(
            """
            \(dayBounds)
            SELECT count(*) OVER (), \(postColumns)
            FROM posts p
            WHERE p.workspace_id = $1 AND p.scheduled_at >= (SELECT min(starts) FROM bounds) AND p.scheduled_at < (SELECT max(starts) FROM bounds)
            ORDER BY p.scheduled_at, p.id
            LIMIT $5
            """, [.int(workspace), .text(date), .text(date), .text(zone), .int(limit)]
        ).rows
        var cell = CalendarCell()
        for row in rows {
            cell.count = try row.int(0)
            cell.posts.append(try CalendarPost(row, at: 1))
        }
        return cell
    }
}
