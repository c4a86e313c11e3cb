// heraldctl credits: grant, adjust, spend, refund, the monthly grant, and a workspace's ledger —
// the same core operations (HeraldCore/Billing/Credits.swift) a payment webhook will call; every
// change is written to the audit trail in the transaction that makes it.
import ArgumentParser
import HeraldBilling
import HeraldCrypto
import HeraldDatabase
import HeraldIdentity

struct CreditsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credits",
        abstract: "Grant, adjust, spend and refund a workspace's credits; grant every plan's monthly credits.",
        discussion: "Every operation has an idempotency key: run with the same --key again and the first result is returned, nothing more.",
        subcommands: [Show.self, Grant.self, Adjust.self, Spend.self, Refund.self, MonthlyGrant.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A workspace's balance and newest ledger entries.")
        @Argument(help: "The workspace's slug.") var slug: String
        @Option(help: "How many entries.") var limit: Int = 20

        func run() throws {
            let db = try Setup.ownerConnection(try Setup.config())
            let workspace = try AdminWorkspace.find(db, slug: slug)
            try db.transaction(workspace: workspace.id) { db in
                print("\(workspace.name) (\(slug)): \(try Credits.balance(db, workspace: workspace.id)) credits")
                for row in try db.query(
                    """
                    SELECT id, to_char(created_at, 'YYYY-MM-DD HH24:MI'), kind, amount, balance_after, coalesce(reference, ''), coalesce(note, '')
                    FROM credit_entries WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2
                    """, [.int(workspace.id), .int(limit)]
                ).rows {
                    print(
                        "\(String(try row.int(0)).padding(8)) \(try row.string(1))  \(try row.string(2).padding(10)) "
                            + "\(String(try row.int(3)).padding(8)) → \(String(try row.int(4)).padding(8)) \(try row.string(5)) \(try row.string(6))")
                }
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add credits to a workspace.")
        @Argument(help: "The workspace's slug.") var slug: String
        @Argument(help: "How many credits.") var amount: Int
        @Option(help: "Why (recorded with the entry and in the audit trail).") var reason: String
        @Option(help: "Idempotency key; the same key again returns the first grant. Default: a fresh one.") var key: String?

        func run() throws {
            let note = try required(reason)
            let posting = try AdminWorkspace.post(slug, audit: "credits.granted", ["reason": reason]) { db, workspace in
                try Credits.grant(db, workspace: workspace, amount: amount, key: AdminWorkspace.key(key), note: note)
            }
            report(posting, "granted \(amount) credits to \(slug)")
        }
    }

    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a workspace's balance up or down, with a reason.",
            discussion: "For example: heraldctl credits adjust acme -25 --reason \"double charge on 3 March\"")
        @Argument(help: "The workspace's slug.") var slug: String
        // Captures "-25" too, which would otherwise read as an unknown option.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Credits to add (+N or N) or take away (-N).", valueName: "±amount"))
        var amount: [String] = []
        @Option(help: "Why (required; recorded with the entry and in the audit trail).") var reason: String
        @Option(help: "Idempotency key; the same key again returns the first adjustment. Default: a fresh one.") var key: String?

        func validate() throws {
            guard amount.count == 1, let value = Int(amount[0]), value != 0 else {
                throw ValidationError("give one amount, a whole number other than 0, like 50 or -25")
            }
        }

        func run() throws {
            let value = Int(amount[0])!
            let posting = try AdminWorkspace.post(slug, audit: "credits.adjusted", ["reason": reason]) { db, workspace in
                try Credits.adjust(db, workspace: workspace, amount: value, key: AdminWorkspace.key(key), reason: reason)
            }
            report(posting, "adjusted \(slug) by \(value) credits")
        }
    }

    struct Spend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Spend credits on a priced action (to try the ledger).")
        @Argument(help: "The workspace's slug.") var slug: String
        @Argument(help: "The action, as in the credit_prices table (e.g. generate_post).") var action: String
        @Option(help: "Idempotency key; the same key again is charged once. Default: a fresh one.") var key: String?

        func run() throws {
            let posting = try AdminWorkspace.post(slug, audit: "credits.spent", ["action": action]) { db, workspace in
                try Credits.spend(db, workspace: workspace, action: action, key: AdminWorkspace.key(key))
            }
            report(posting, "spent \(-posting.entry.amount) credits of \(slug) on \(action)")
        }
    }

    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give back a spend as a new entry referencing it (at most once per spend).")
        @Argument(help: "The workspace's slug.") var slug: String
        @Argument(help: "The spend's entry number.") var entry: Int
        @Option(help: "Why (required).") var reason: String
        @Option(help: "Give back only this many credits (default: all of the spend).") var credits: Int?

        func run() throws {
            let posting = try AdminWorkspace.post(slug, audit: "credits.refunded", ["reason": reason]) { db, workspace in
                try Credits.refund(db, workspace: workspace, entry: entry, credits: credits, reason: reason)
            }
            report(posting, "refunded \(posting.entry.amount) credits of entry \(entry) to \(slug)")
        }
    }

    struct MonthlyGrant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "monthly-grant",
            abstract: "Grant every workspace its plan's monthly credits for a period, once (key monthly:YYYY-MM).",
            discussion: "Safe to run again, and to interrupt: workspaces already granted for the period are skipped.")
        @Option(help: "The period, YYYY-MM (default: this month in UTC).") var period: String?

        func validate() throws {
            if let period, !Credits.isPeriod(period) { throw ValidationError("--period is written YYYY-MM, like 2025-03") }
        }

        func run() throws {
            let db = try Setup.ownerConnection(try Setup.config())
            let period = try self.period ?? db.queryRow("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')")!.string(0)
            var granted = 0
            var credits = 0
            var already = 0
            var none = 0
            for workspace in try KeyUsage.workspaceIDs(db) {
                let posting = try db.transaction(workspace: workspace) { db in
                    let posting = try Credits.grantMonthly(db, workspace: workspace, period: period)
                    if let posting, !posting.replayed {
                        try AdminWorkspace.audit(db, workspace, "credits.monthly_granted", posting, ["period": period])
                    }
                    return posting
                }
                switch posting {
                case nil: none += 1
                case let p? where p.replayed: already += 1
                case let p?:
                    granted += 1
                    credits += p.entry.amount
                }
            }
            print(
                "monthly credits for \(period): granted \(credits) credits to \(granted) workspaces; "
                    + "\(already) already had theirs; \(none) on a plan without monthly credits")
        }
    }
}

/// Looking up a workspace by slug and auditing admin changes, for the credits and plans commands.
enum AdminWorkspace {
    /// The owner role sees every workspace with app.cross_tenant on (policy cross_tenant_read).
    static func find(_ db: Connection, slug: String) throws -> (id: Int, name: String) {
        let row = try db.transaction { db in
            try db.query("SELECT set_config('app.cross_tenant', 'on', true)")
            return try db.queryRow("SELECT id, name FROM workspaces WHERE slug = $1", [.text(slug)])
        }
        guard let row else { throw ValidationError("no workspace with the slug \"\(slug)\"") }
        return (try row.int(0), try row.string(1))
    }

    /// One ledger operation on the workspace `slug`, in a tenant transaction, audited unless its
    /// idempotency key had already done it.
    static func post(
        _ slug: String, audit action: String, _ details: [String: String],
        _ operation: (Connection, Int) throws -> CreditPosting
    ) throws -> CreditPosting {
        let db = try Setup.ownerConnection(try Setup.config())
        let workspace = try find(db, slug: slug)
        return try db.transaction(workspace: workspace.id) { db in
            let posting = try operation(db, workspace.id)
            if !posting.replayed { try audit(db, workspace.id, action, posting, details) }
            return posting
        }
    }

    /// The idempotency key given with --key, or a fresh one.
    static func key(_ given: String?) -> String { given ?? "admin:" + Sodium.randomToken() }

    /// A workspace audit event by heraldctl (no user: the OS user is recorded).
    static func audit(
        _ db: Connection, _ workspace: Int, _ action: String, targetType: String, targetID: Int?,
        _ details: [String: String]
    ) throws {
        var details = details
        details["by"] = "heraldctl"
        details["os_user"] = KeyUsage.osUser()
        try Audit.record(db, workspace: workspace, actor: nil, action: action, targetType: targetType, targetID: targetID, details: details)
    }

    /// The audit event of a ledger entry an admin made.
    static func audit(_ db: Connection, _ workspace: Int, _ action: String, _ posting: CreditPosting, _ details: [String: String]) throws {
        var details = details
        details["amount"] = String(posting.entry.amount)
        details["balance_after"] = String(posting.entry.balanceAfter)
        try audit(db, workspace, action, targetType: "credit_entry", targetID: posting.entry.id, details)
    }
}

/// A reason option that must say something.
func required(_ reason: String) throws -> String {
    let trimmed = reason.trimmed
    guard !trimmed.isEmpty else { throw ValidationError("--reason must not be empty") }
    return trimmed
}

/// "granted 100 credits to acme: entry 12, balance 150", or that the key had already done it.
func report(_ posting: CreditPosting, _ what: String) {
    if posting.replayed {
        print(
            "already recorded with this key: entry \(posting.entry.id) (\(posting.entry.kind.rawValue) of \(posting.entry.amount)), "
                + "balance after it \(posting.entry.balanceAfter); nothing changed")
    } else {
        print("\(what): entry \(posting.entry.id), balance \(posting.entry.balanceAfter)")
    }
}
