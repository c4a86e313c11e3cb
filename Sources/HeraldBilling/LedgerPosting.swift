// How a ledger operation reaches credit_entries: validated, one INSERT (under a savepoint inside a
// caller's transaction, or in a transaction of its own), and a refused INSERT turned into the answer.
import HeraldDatabase

extension Credits {
    /// What an operation asks the ledger for. `amount` is signed; nil for a spend by action.
    struct Request {
        let workspace: Int
        let kind: CreditKind
        let amount: Int?
        let action: String?
        let key: String
        let actor: Int?
        let reference: String?
        let note: String?

        var summary: String { amount.map { Credits.describe(kind, $0) } ?? "a spend for \(action ?? "?")" }
    }

    static let columns = """
        id, workspace_id, amount, kind, balance_after, idempotency_key, actor_id, reference, note, \
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        """

    /// Inside a transaction (the tenant must be `workspace`): under a savepoint, so a refusal leaves the
    /// caller's transaction usable. Outside one: in a transaction of its own.
    static func post(_ db: Connection, _ request: Request) throws -> CreditPosting {
        try validate(request)
        if db.isInTransaction {
            try db.query("SAVEPOINT credit_entry")
            do {
                let posting = try insert(db, request)
                try db.query("RELEASE SAVEPOINT credit_entry")
                return posting
            } catch {
                try db.query("ROLLBACK TO SAVEPOINT credit_entry")
                try db.query("RELEASE SAVEPOINT credit_entry")
                guard let failure = error as? DatabaseError else { throw error }
                return try explain(failure, db, request)
            }
        }
        do {
            return try db.transaction(workspace: request.workspace) { db in try insert(db, request) }
        } catch let failure as DatabaseError where !failure.isConnectionFailure {
            return try db.transaction(workspace: request.workspace) { db in try explain(failure, db, request) }
        }
    }

    /// The one statement that records an entry; the trigger fills balance_after.
    static func insert(_ db: Connection, _ request: Request) throws -> CreditPosting {
        let result: QueryResult
        if let amount = request.amount {
            result = try db.query(
                """
                INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key, actor_id, reference, note)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                RETURNING \(columns)
                """,
                [
                    .int(request.workspace), .int(amount), .text(request.kind.rawValue), .text(request.key), .int(request.actor),
                    .text(request.reference), .text(request.note),
                ])
        } else {
            result = try db.query(
                spendByActionSQL,
                [
                    .int(request.workspace), .text(request.key), .int(request.actor),
                    .text(request.reference), .text(request.note), .text(request.action ?? ""),
                ])
        }
        guard result.count == 1 else { throw CreditError.unknownAction(request.action ?? "") }
        return CreditPosting(entry: try decode(result[0]), replayed: false)
    }

    /// Turns a refused INSERT into the answer: the first entry for a repeated key, "not enough
    /// credits" for a short balance, a lazily opened account for the first credit of a workspace.
    static func explain(_ failure: DatabaseError, _ db: Connection, _ request: Request) throws -> CreditPosting {
        switch (failure.sqlState, failure.constraint) {
        case ("23505", "credit_entries_workspace_idempotency_key"):
            guard let existing = try entry(db, workspace: request.workspace, key: request.key) else { throw failure }
            guard matches(existing, request) else {
                throw CreditError.keyReused(key: request.key, existing: existing, requested: request.summary)
            }
            return CreditPosting(entry: existing, replayed: true)
        case ("23514", "credit_accounts_balance_nonnegative"):
            throw CreditError.insufficient(balance: try balance(db, workspace: request.workspace), needed: try needed(db, request))
        case ("23503", "credit_entries_account_fkey"):
            // No account yet: nothing to debit; anything else opens it (balance 0) and goes in.
            if (request.amount ?? -1) < 0 { throw CreditError.insufficient(balance: 0, needed: try needed(db, request)) }
            try db.query(
                "INSERT INTO credit_accounts (workspace_id) VALUES ($1) ON CONFLICT (workspace_id) DO NOTHING",
                [.int(request.workspace)])
            return try insert(db, request)
        default:
            throw failure
        }
    }

    /// A repeated key is the same operation when kind and amount agree (for a spend by action: the
    /// kind and the reference it records, since the price is the action's, not the caller's).
    static func matches(_ existing: CreditEntry, _ request: Request) -> Bool {
        guard existing.kind == request.kind else { return false }
        if let amount = request.amount { return existing.amount == amount }
        return existing.reference == (request.reference ?? request.action)
    }

    static func needed(_ db: Connection, _ request: Request) throws -> Int {
        if let amount = request.amount { return -amount }
        guard
            let price = try db.queryRow(
                "SELECT credits FROM credit_prices WHERE action = $1 AND is_active",
                [.text(request.action ?? "")])?.int(0)
        else {
            throw CreditError.unknownAction(request.action ?? "")
        }
        return price
    }

    static func validate(_ request: Request) throws {
        let keyLength = request.key.unicodeScalars.count
        guard (1...200).contains(keyLength) else { throw CreditError.invalid("an idempotency key has 1 to 200 characters, not \(keyLength)") }
        if let reference = request.reference, reference.unicodeScalars.count > 200 {
            throw CreditError.invalid("a reference has at most 200 characters")
        }
        if let note = request.note, note.unicodeScalars.count > 1000 { throw CreditError.invalid("a note has at most 1000 characters") }
        if request.amount == nil && (request.action ?? "").isEmpty { throw CreditError.unknownAction("") }
    }

    static func requireReason(_ reason: String) throws -> String {
        let trimmed = reason.trimmed
        guard !trimmed.isEmpty else { throw CreditError.invalid("give a reason: it is recorded with the entry") }
        guard trimmed.unicodeScalars.count <= 1000 else { throw CreditError.invalid("a reason has at most 1000 characters") }
        return trimmed
    }

    static func decode(_ row: Row) throws -> CreditEntry {
        CreditEntry(
            id: try row.int(0), workspaceID: try row.int(1), amount: try row.int(2),
            kind: CreditKind(rawValue: try row.string(3)) ?? .adjustment, balanceAfter: try row.int(4),
            idempotencyKey: try row.string(5), actorID: try row.optionalInt(6), reference: row.optionalString(7),
            note: row.optionalString(8), createdAt: try row.string(9))
    }

    /// Runs `body` in the caller's transaction (whose tenant must be `workspace`) or in one of its own.
    static func tenant<T>(_ db: Connection, _ workspace: Int, _ body: (Connection) throws -> T) throws -> T {
        db.isInTransaction ? try body(db) : try db.transaction(workspace: workspace, body)
    }
}
