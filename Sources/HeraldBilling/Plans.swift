// Plans and subscriptions: which plan a workspace is on (free without a subscription or after its
// trial), what it used this period, and the plan changes an admin makes (and a payment webhook will).
public import HeraldDatabase

/// A plan on offer (table `plans`). Nil limits are unlimited.
public struct Plan: Sendable, Equatable {
    public let id: Int
    public let code: String
    public let name: String
    public let priceCents: Int
    public let currency: String
    public let billingInterval: String
    public let monthlyCredits: Int
    public let maxMembers: Int?
    public let maxSocialAccounts: Int?
    public let maxScheduledPosts: Int?
    public let isActive: Bool

    public func limit(_ limit: PlanLimit) -> Int? {
        switch limit {
        case .members: return maxMembers
        case .channels: return maxSocialAccounts
        case .scheduledPosts: return maxScheduledPosts
        }
    }

    /// "Free", "$15 / month", "€90 / year".
    public var priceLabel: String {
        guard priceCents > 0 else { return "Free" }
        let symbol = ["USD": "$", "EUR": "€", "GBP": "£"][currency] ?? currency + " "
        let cents = priceCents % 100
        let amount = "\(priceCents / 100)" + (cents == 0 ? "" : "." + (cents < 10 ? "0" : "") + String(cents))
        return "\(symbol)\(amount) / \(billingInterval)"
    }
}

public enum SubscriptionStatus: String, Sendable {
    case trial, active
    case pastDue = "past_due"
    case canceled

    public var label: String {
        switch self {
        case .trial: return "Trial"
        case .active: return "Active"
        case .pastDue: return "Payment overdue"
        case .canceled: return "Canceled"
        }
    }
}

/// A workspace's current (not canceled) subscription. Times are ISO 8601 in the session's time zone.
public struct Subscription: Sendable, Equatable {
    public let id: Int
    public let plan: Plan
    public let status: SubscriptionStatus
    public let trialEndsAt: String?
    /// Whole days until the trial ends, rounded up; 0 once it has ended; nil when not a trial.
    public let trialDaysLeft: Int?
    public let periodStart: String
    public let periodEnd: String
    public let cancelAtPeriodEnd: Bool

    public var trialEnded: Bool { status == .trial && trialDaysLeft == 0 }
}

/// A workspace's plan as it applies now.
public struct WorkspacePlan: Sendable {
    /// The plan whose limits and monthly credits apply: the subscribed one, or free when there is no
    /// subscription or its trial has ended.
    public let plan: Plan
    public let subscription: Subscription?
    /// This billing period, [start, end), ISO 8601 in the session's time zone: the subscription's
    /// period while now is inside it, otherwise the calendar month in UTC.
    public let periodStart: String
    public let periodEnd: String
}

/// What a workspace uses now and spent this period, for the billing page and the limits.
public struct PlanUsage: Sendable, Equatable {
    public let members: Int
    /// Open invitations that have not expired: each holds a seat.
    public let openInvitations: Int
    /// Connected channels (social accounts not revoked).
    public let channels: Int
    /// Posts waiting in the queue (scheduled or publishing).
    public let scheduledPosts: Int
    /// Credits spent this period, net of refunds.
    public let creditsSpent: Int
    public let balance: Int

    public func used(_ limit: PlanLimit) -> Int {
        switch limit {
        case .members: return members + openInvitations
        case .channels: return channels
        case .scheduledPosts: return scheduledPosts
        }
    }
}

/// A plan operation that changed nothing; `description` is the message for people.
public struct PlanError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum Plans {
    /// The plan of workspaces without a subscription, and of those whose trial has ended.
    public static let defaultCode = "free"

    static let planColumns =
        "id, code, name, price_cents, currency, billing_interval, monthly_credits, max_members, max_social_accounts, max_scheduled_posts, is_active"

    /// The plans on offer (active ones unless `includeInactive`), cheapest first.
    public static func all(_ db: Connection, includeInactive: Bool = false) throws -> [Plan] {
        try db.query("SELECT \(planColumns) FROM plans WHERE is_active OR $1 ORDER BY price_cents, id", [.bool(includeInactive)])
            .rows.map { try decodePlan($0, at: 0) }
    }

    public static func named(_ db: Connection, _ code: String) throws -> Plan? {
        try db.queryRow("SELECT \(planColumns) FROM plans WHERE code = $1", [.text(code)]).map { try decodePlan($0, at: 0) }
    }

    /// The plan that applies to the workspace now, its subscription and this period. In a transaction
    /// with the tenant set to `workspace` (or in one of its own).
    public static func current(_ db: Connection, workspace: Int) throws -> WorkspacePlan {
        try Credits.tenant(db, workspace) { db in
            let iso = "'YYYY-MM-DD\"T\"HH24:MI:SSOF'"
            let prefixed = { (alias: String) in planColumns.split(separator: ",").map { "\(alias).\($0.trimmed)" }.joined(separator: ", ") }
            guard
                let row = try db.queryRow(
                    """
                    SELECT s.id, s.status, s.cancel_at_period_end, to_char(s.trial_ends_at, \(iso)),
                           CASE WHEN s.status = 'trial' THEN greatest(0, ceil(extract(epoch FROM s.trial_ends_at - now()) / 86400))::int END,
                           to_char(s.current_period_start, \(iso)), to_char(s.current_period_end, \(iso)),
                           coalesce(now() >= s.current_period_start AND now() < s.current_period_end, false),
                           to_char(cal.month AT TIME ZONE 'UTC', \(iso)), to_char((cal.month + interval '1 month') AT TIME ZONE 'UTC', \(iso)),
                           \(prefixed("p")), \(prefixed("f"))
                    FROM (SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AS month) cal
                    LEFT JOIN subscriptions s ON s.workspace_id = $1 AND s.status <> 'canceled'
                    LEFT JOIN plans p ON p.id = s.plan_id
                    LEFT JOIN plans f ON f.code = $2
                    """, [.int(workspace), .text(defaultCode)])
            else { throw PlanError("no plan row") }
            guard row.optionalString(21) != nil else {
                throw PlanError("the \(defaultCode) plan is missing from the plans table: run `heraldctl migrate up`")
            }
            let free = try decodePlan(row, at: 21)
            var subscription: Subscription?
            if let id = try row.optionalInt(0) {
                subscription = Subscription(
                    id: id, plan: try decodePlan(row, at: 10), status: SubscriptionStatus(rawValue: try row.string(1)) ?? .active,
                    trialEndsAt: row.optionalString(3), trialDaysLeft: try row.optionalInt(4), periodStart: try row.string(5),
                    periodEnd: try row.string(6), cancelAtPeriodEnd: try row.bool(2))
            }
            let inPeriod = try row.bool(7)
            let plan = subscription.flatMap { $0.trialEnded ? nil : $0.plan } ?? free
            return WorkspacePlan(
                plan: plan, subscription: subscription,
                periodStart: inPeriod ? try row.string(5) : try row.string(8),
                periodEnd: inPeriod ? try row.string(6) : try row.string(9))
        }
    }

    /// Members, open invitations, channels, queued posts, and credits spent in [periodStart, periodEnd).
    public static func usage(_ db: Connection, workspace: Int, periodStart: String, periodEnd: String) throws -> PlanUsage {
        try Credits.tenant(db, workspace) { db in
            let row = try db.queryRow(
                """
                SELECT (SELECT count(*) FROM memberships WHERE workspace_id = $1),
                       (SELECT count(*) FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
                            AND expires_at > now()),
                       (SELECT count(*) FROM social_accounts WHERE workspace_id = $1 AND status <> 'revoked'),
                       (SELECT count(*) FROM posts WHERE workspace_id = $1 AND status IN ('scheduled', 'publishing')),
                       (SELECT greatest(0, coalesce(-sum(amount), 0)) FROM credit_entries
                        WHERE workspace_id = $1 AND kind IN ('spend', 'refund') AND created_at >= $2::timestamptz AND created_at < $3::timestamptz),
                       coalesce((SELECT balance FROM credit_accounts WHERE workspace_id = $1), 0)
                """, [.int(workspace), .text(periodStart), .text(periodEnd)])!
            return PlanUsage(
                members: try row.int(0), openInvitations: try row.int(1), channels: try row.int(2),
                scheduledPosts: try row.int(3), creditsSpent: try row.int(4), balance: try row.int(5))
        }
    }

    /// Puts the workspace on plan `code` from now: the current subscription is canceled (kept as
    /// history) and a new one starts for one billing interval, as a trial of `trialDays` days when
    /// given. Changing to the plan it is already on, actively and without a trial, changes nothing.
    /// The operation `heraldctl plans set` runs and a payment provider's webhook will call; in a
    /// transaction with the tenant set to `workspace` (or in one of its own).
    @discardableResult
    public static func change(_ db: Connection, workspace: Int, to code: String, trialDays: Int? = nil) throws -> WorkspacePlan {
        if let trialDays, !(1...365).contains(trialDays) { throw PlanError("a trial lasts 1 to 365 days, not \(trialDays)") }
        return try Credits.tenant(db, workspace) { db in
            try lock(db, workspace)
            guard let plan = try named(db, code), plan.isActive else {
                let codes = try all(db).map(\.code).joined(separator: ", ")
                throw PlanError("there is no plan \"\(code)\" on offer; the plans are: \(codes)")
            }
            let before = try current(db, workspace: workspace)
            if let subscription = before.subscription, subscription.plan.id == plan.id, subscription.status == .active, trialDays == nil {
                return before
            }
            if let subscription = before.subscription {
                try db.query(
                    """
                    UPDATE subscriptions SET status = 'canceled', canceled_at = now(), updated_at = now()
                    WHERE workspace_id = $1 AND id = $2
                    """, [.int(workspace), .int(subscription.id)])
            }
            try db.query(
                """
                INSERT INTO subscriptions (workspace_id, plan_id, status, trial_ends_at, current_period_start, current_period_end)
                VALUES ($1, $2, CASE WHEN $3::int IS NULL THEN 'active' ELSE 'trial' END, now() + make_interval(days => $3::int),
                        now(), now() + CASE $4 WHEN 'year' THEN interval '1 year' ELSE interval '1 month' END)
                """, [.int(workspace), .int(plan.id), .int(trialDays), .text(plan.billingInterval)])
            return try current(db, workspace: workspace)
        }
    }

    /// Moves the end of the workspace's trial `days` later (counted from now if it has already ended).
    @discardableResult
    public static func extendTrial(_ db: Connection, workspace: Int, days: Int) throws -> WorkspacePlan {
        guard (1...365).contains(days) else { throw PlanError("a trial is extended by 1 to 365 days, not \(days)") }
        return try Credits.tenant(db, workspace) { db in
            try lock(db, workspace)
            guard let subscription = try current(db, workspace: workspace).subscription, subscription.status == .trial else {
                throw PlanError("this workspace is not on a trial; start one with `heraldctl plans set SLUG PLAN --trial-days N`")
            }
            try db.query(
                """
                UPDATE subscriptions SET trial_ends_at = greatest(trial_ends_at, now()) + make_interval(days => $3), updated_at = now()
                WHERE workspace_id = $1 AND id = $2
                """, [.int(workspace), .int(subscription.id), .int(days)])
            return try current(db, workspace: workspace)
        }
    }

    /// Plan changes of one workspace happen one at a time (until the transaction ends).
    static func lock(_ db: Connection, _ workspace: Int) throws {
        try db.query("SELECT pg_advisory_xact_lock(hashtextextended('herald.subscription', $1))", [.int(workspace)])
    }

    static func decodePlan(_ row: Row, at i: Int) throws -> Plan {
        Plan(
            id: try row.int(i), code: try row.string(i + 1), name: try row.string(i + 2), priceCents: try row.int(i + 3),
            currency: try row.string(i + 4), billingInterval: try row.string(i + 5), monthlyCredits: try row.int(i + 6),
            maxMembers: try row.optionalInt(i + 7), maxSocialAccounts: try row.optionalInt(i + 8),
            maxScheduledPosts: try row.optionalInt(i + 9), isActive: try row.bool(i + 10))
    }
}
