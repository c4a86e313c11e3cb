// Queries for the pages of herald-credits: the ledger by page and in full, the price list. Every
// tenant query still says `workspace_id = $1` although row-level security enforces it too.
import HeraldBilling
import HeraldDatabase
import HeraldSupport

/// One ledger entry as the pages show it.
struct LedgerLine {
    let id: Int
    /// In the viewer's time zone: `YYYY-MM-DD HH:MM` on the page, ISO 8601 with offset in the CSV.
    let date: String
    let kind: CreditKind
    let amount: Int
    let balanceAfter: Int
    let reference: String?
    let note: String?
    /// The member who caused it; nil for Herald itself (admin commands, monthly grants).
    let who: String?
    let key: String
}

struct Price {
    let action: String
    let credits: Int
    let description: String
}

enum LedgerStore {
    static let pageSize = 50

    /// Dates of this transaction's queries come out in the viewer's zone (validated when it was saved).
    static func useTimeZone(_ zone: String, _ db: Connection) throws {
        try db.query("SELECT set_config('TimeZone', $1, true)", [.text(zone)])
    }

    static func count(_ workspace: Int, _ db: Connection) throws -> Int {
        try db.queryRow("SELECT count(*) FROM credit_entries WHERE workspace_id = $1", [.int(workspace)])!.int(0)
    }

    /// Page `page` (from 1), newest first.
    static func page(_ workspace: Int, page: Int, _ db: Connection) throws -> [LedgerLine] {
        try db.query(
            """
            SELECT e.id, to_char(e.created_at, 'YYYY-MM-DD HH24:MI'), e.kind, e.amount, e.balance_after, e.reference, e.note,
                   u.name, e.idempotency_key
            FROM credit_entries e LEFT JOIN users u ON u.id = e.actor_id
            WHERE e.workspace_id = $1
            ORDER BY e.created_at DESC, e.id DESC
            LIMIT $2 OFFSET $3
            """, [.int(workspace), .int(pageSize), .int((page - 1) * pageSize)]
        ).rows.map(decode)
    }

    /// Up to `limit` entries after (`created`, `id`), oldest first, for the export; `created` is the
    /// exact time of the last entry of the previous batch (ISO 8601 with microseconds and offset).
    static func batch(_ workspace: Int, after: (created: String, id: Int)?, limit: Int, _ db: Connection) throws -> [(
        line: LedgerLine, created: String
    )] {
        try db.query(
            """
            SELECT e.id, to_char(e.created_at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), e.kind, e.amount, e.balance_after, e.reference, e.note,
                   u.name, e.idempotency_key, to_char(e.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.USOF')
            FROM credit_entries e LEFT JOIN users u ON u.id = e.actor_id
            WHERE e.workspace_id = $1 AND ($2::timestamptz IS NULL OR (e.created_at, e.id) > ($2::timestamptz, $3))
            ORDER BY e.created_at, e.id
            LIMIT $4
            """, [.int(workspace), .text(after?.created), .int(after?.id ?? 0), .int(limit)]
        ).rows.map { row in
            (try decode(row), try row.string(9))
        }
    }

    static func prices(_ db: Connection) throws -> [Price] {
        try db.query("SELECT action, credits, description FROM credit_prices WHERE is_active ORDER BY credits, action").rows.map { row in
            Price(action: try row.string(0), credits: try row.int(1), description: try row.string(2))
        }
    }

    /// Today in the session's time zone, for the export's file name.
    static func today(_ db: Connection) throws -> String {
        try db.queryRow("SELECT to_char(now(), 'YYYY-MM-DD')")!.string(0)
    }

    static func decode(_ row: Row) throws -> LedgerLine {
        LedgerLine(
            id: try row.int(0), date: try row.string(1), kind: CreditKind(rawValue: try row.string(2)) ?? .adjustment,
            amount: try row.int(3), balanceAfter: try row.int(4), reference: row.optionalString(5), note: row.optionalString(6),
            who: row.optionalString(7), key: try row.string(8))
    }
}

/// A signed amount for the ledger: "+100", "−3".
func signed(_ value: Int) -> String { value > 0 ? "+" + grouped(value) : grouped(value) }
