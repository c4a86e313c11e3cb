// The credit ledger's operations — grant, purchase, spend, refund, adjustment — each one INSERT into
// credit_entries whose trigger (migrations/0006_billing.sql) locks the account, moves the balance and
// records balance_after in the same statement; every operation is idempotent by its key.
public import HeraldDatabase

/// The kinds of ledger entry (`credit_entries.kind`).
public enum CreditKind: String, Sendable, CaseIterable {
    case grant, purchase, spend, refund, adjustment

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// One ledger entry as stored.
public struct CreditEntry: Sendable, Equatable {
    public let id: Int
    public let workspaceID: Int
    /// Signed: negative for spends and downward adjustments.
    public let amount: Int
    public let kind: CreditKind
    public let balanceAfter: Int
    public let idempotencyKey: String
    public let actorID: Int?
    public let reference: String?
    public let note: String?
    /// When it was recorded: ISO 8601 in UTC, to the microsecond.
    public let createdAt: String
}

/// What a ledger operation answers: the entry, and whether an earlier call with the same key made it
/// (`replayed`: nothing changed now, and the entry is the first call's).
public struct CreditPosting: Sendable, Equatable {
    public let entry: CreditEntry
    public let replayed: Bool
}

public enum Credits {
    /// The most one entry may move, which keeps balances far from overflow.
    public static let maxAmount = 1_000_000_000

    /// Adds credits (`kind` grant or purchase). A payment webhook calls this with kind purchase.
    public static func grant(
        _ db: Connection, workspace: Int, amount: Int, key: String, kind: CreditKind = .grant,
        actor: Int? = nil, reference: String? = nil, note: String? = nil
    ) throws -> CreditPosting {
        guard kind == .grant || kind == .purchase else { throw CreditError.invalid("a grant is of kind grant or purchase, not \(kind.rawValue)") }
        guard (1...maxAmount).contains(amount) else { throw CreditError.invalid("a grant adds 1 to \(maxAmount) credits, not \(amount)") }
        return try post(
            db,
            Request(
                workspace: workspace, kind: kind, amount: amount, action: nil, key: key, actor: actor,
                reference: reference, note: note))
    }

    /// Debits the price of `action` (table credit_prices), read in the same statement. Fails with
    /// `CreditError.insufficient` ("not enough credits: you have N, this needs M") and changes nothing
    /// when the balance is short. The entry's reference is `reference`, or the action.
    public static func spend(
        _ db: Connection, workspace: Int, action: String, key: String, actor: Int? = nil,
        reference: String? = nil, note: String? = nil
    ) throws -> CreditPosting {
        try post(
            db,
            Request(
                workspace: workspace, kind: .spend, amount: nil, action: action, key: key, actor: actor,
                reference: reference, note: note))
    }

    /// Debits `credits` (a positive number); otherwise as `spend(action:)`.
    public static func spend(
        _ db: Connection, workspace: Int, credits: Int, key: String, actor: Int? = nil,
        reference: String? = nil, note: String? = nil
    ) throws -> CreditPosting {
        guard (1...maxAmount).contains(credits) else { throw CreditError.invalid("a spend takes 1 to \(maxAmount) credits, not \(credits)") }
        return try post(
            db,
            Request(
                workspace: workspace, kind: .spend, amount: -credits, action: nil, key: key, actor: actor,
                reference: reference, note: note))
    }

    /// Gives back a spend, in full or `credits` of it, as a new entry referencing it (`entry:{id}`);
    /// the key is `refund:{id}`, so a spend is refunded at most once.
    public static func refund(
        _ db: Connection, workspace: Int, entry id: Int, credits: Int? = nil, actor: Int? = nil,
        reason: String
    ) throws -> CreditPosting {
        let reason = try requireReason(reason)
        return try tenant(db, workspace) { db in
            guard let original = try entry(db, workspace: workspace, id: id) else {
                throw CreditError.notRefundable(entryID: id, reason: "there is no such entry in this workspace")
            }
            guard original.kind == .spend else {
                throw CreditError.notRefundable(entryID: id, reason: "it is a \(original.kind.rawValue); only spends are refunded")
            }
            let amount = credits ?? -original.amount
            guard (1...(-original.amount)).contains(amount) else {
                throw CreditError.invalid("a refund of entry \(id) gives back 1 to \(-original.amount) credits, not \(amount)")
            }
            return try post(
                db,
                Request(
                    workspace: workspace, kind: .refund, amount: amount, action: nil, key: "refund:\(id)",
                    actor: actor, reference: "entry:\(id)", note: reason))
        }
    }

    /// Gives back every spend whose reference is `reference` and that has no refund yet: each once,
    /// since a refund's key is its spend's (a failed publish, a failed AI draft).
    public static func refundAll(_ db: Connection, workspace: Int, reference: String, reason: String) throws {
        let spends = try db.query(
            """
            SELECT e.id FROM credit_entries e
            WHERE e.workspace_id = $1 AND e.kind = 'spend' AND e.reference = $2
              AND NOT EXISTS (SELECT 1 FROM credit_entries r
                              WHERE r.workspace_id = e.workspace_id AND r.kind = 'refund' AND r.reference = 'entry:' || e.id)
            """, [.int(workspace), .text(reference)]
        ).rows.map { try $0.int(0) }
        for entry in spends { _ = try refund(db, workspace: workspace, entry: entry, reason: reason) }
    }

    /// A correction either way, with the reason recorded as the entry's note. A downward one fails
    /// like a spend when the balance is short.
    public static func adjust(
        _ db: Connection, workspace: Int, amount: Int, key: String, actor: Int? = nil,
        reason: String
    ) throws -> CreditPosting {
        let reason = try requireReason(reason)
        guard amount != 0, abs(amount) <= maxAmount else {
            throw CreditError.invalid("an adjustment moves 1 to \(maxAmount) credits either way, not \(amount)")
        }
        return try post(
            db,
            Request(
                workspace: workspace, kind: .adjustment, amount: amount, action: nil, key: key, actor: actor,
                reference: nil, note: reason))
    }

    /// The plan's monthly credits for `period` (`YYYY-MM`), at most once per period (key `monthly:{period}`):
    /// a second run, even after a plan change, returns the first grant. Nil when the plan includes none.
    public static func grantMonthly(_ db: Connection, workspace: Int, period: String) throws -> CreditPosting? {
        guard isPeriod(period) else { throw CreditError.invalid("a period is written YYYY-MM, like 2025-03, not \"\(period)\"") }
        return try tenant(db, workspace) { db in
            let plan = try Plans.current(db, workspace: workspace).plan
            guard plan.monthlyCredits > 0 else { return nil }
            do {
                return try grant(
                    db, workspace: workspace, amount: plan.monthlyCredits, key: "monthly:\(period)",
                    reference: "plan:\(plan.code)", note: "Monthly credits of the \(plan.name) plan for \(period)")
            } catch CreditError.keyReused(_, let existing, _) where existing.kind == .grant {
                return CreditPosting(entry: existing, replayed: true)
            }
        }
    }

    /// The workspace's balance (0 before its first entry).
    /// The balance, for a check that must hold until the caller's transaction ends: callers that
    /// check a whole request against the balance before spending take this lock first, so two such
    /// requests are served one after the other (spends themselves never go below 0 either way).
    public static func balanceForRequest(_ db: Connection, workspace: Int) throws -> Int {
        try db.query("SELECT pg_advisory_xact_lock(hashtextextended('herald.credits.request', $1))", [.int(workspace)])
        return try balance(db, workspace: workspace)
    }

    public static func balance(_ db: Connection, workspace: Int) throws -> Int {
        try tenant(db, workspace) { db in
            try db.queryRow("SELECT balance FROM credit_accounts WHERE workspace_id = $1", [.int(workspace)])?.int(0) ?? 0
        }
    }

    public static func entry(_ db: Connection, workspace: Int, id: Int) throws -> CreditEntry? {
        try tenant(db, workspace) { db in
            try db.queryRow("SELECT \(columns) FROM credit_entries WHERE workspace_id = $1 AND id = $2", [.int(workspace), .int(id)])
                .map(decode)
        }
    }

    public static func entry(_ db: Connection, workspace: Int, key: String) throws -> CreditEntry? {
        try tenant(db, workspace) { db in
            try db.queryRow(
                "SELECT \(columns) FROM credit_entries WHERE workspace_id = $1 AND idempotency_key = $2",
                [.int(workspace), .text(key)]
            ).map(decode)
        }
    }

    /// Whether `text` is a period like `2025-03`.
    public static func isPeriod(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
            bytes.enumerated().allSatisfy({ $0.offset == 4 || (48...57).contains($0.element) }),
            let month = Int(text.suffix(2)), (1...12).contains(month)
        else { return false }
        return true
    }

    /// "a spend of 3 credits", "an adjustment of -5 credits".
    static func describe(_ kind: CreditKind, _ amount: Int) -> String {
        let article = kind == .adjustment ? "an" : "a"
        return "\(article) \(kind.rawValue) of \(kind == .adjustment ? amount : abs(amount)) credits"
    }

    /// A spend by action: the price is read in the statement that debits it. bench/credits-spend.pgbench
    /// runs this statement (scripts/bench.sh checks that the two agree).
    static let spendByActionSQL = """
        INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key, actor_id, reference, note)
        SELECT $1, -p.credits, 'spend', $2, $3, coalesce($4, p.action), $5
        FROM credit_prices p WHERE p.action = $6 AND p.is_active
        RETURNING \(columns)
        """
}
