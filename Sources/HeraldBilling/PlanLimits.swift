// The plan's limits, checked at the moment something would exceed one: inviting a member, connecting
// a channel, scheduling a post. A refusal names the limit and the plan that lifts it.
public import HeraldDatabase
public import HeraldSupport

/// What a plan limits.
public enum PlanLimit: String, Sendable, CaseIterable {
    case members, channels, scheduledPosts

    /// "members", "connected channels", "scheduled posts".
    public var noun: String {
        switch self {
        case .members: return "members"
        case .channels: return "connected channels"
        case .scheduledPosts: return "scheduled posts"
        }
    }

    /// How it is counted, for messages and the billing page.
    public var counting: String {
        switch self {
        case .members: return "open invitations count too"
        case .channels: return "disconnected ones do not count"
        case .scheduledPosts: return "posts waiting to be published"
        }
    }
}

/// The plan stands in the way: a conflict (409), since the request itself is fine (402 is reserved,
/// and no payment is asked for here). Nothing is changed.
public struct PlanLimitError: UserFacingError, Sendable {
    public let limit: PlanLimit
    /// "The Free plan allows 5 members (…), and this workspace has 5. The Starter plan allows 10: …"
    public let message: String
    public var refusal: RefusalKind { .conflict }
    public var title: String { "Plan limit reached" }
}

public enum PlanLimits {
    /// Throws `PlanLimitError` when adding `adding` more would take the workspace past its plan's
    /// `limit`. Call it in the transaction that then adds the thing: it holds a lock per workspace and
    /// limit until that transaction ends, so two requests at the limit cannot both pass.
    /// `exceptInvitationTo` leaves out the open invitation a re-invitation to that address replaces.
    public static func check(
        _ db: Connection, workspace: Int, _ limit: PlanLimit, adding: Int = 1,
        exceptInvitationTo email: String? = nil
    ) throws {
        try Credits.tenant(db, workspace) { db in
            try db.query("SELECT pg_advisory_xact_lock(hashtextextended($1, $2))", [.text("herald.limit.\(limit.rawValue)"), .int(workspace)])
            let current = try Plans.current(db, workspace: workspace)
            guard let allowed = current.plan.limit(limit) else { return }
            let used = try count(db, workspace: workspace, limit, exceptInvitationTo: email)
            guard used + adding > allowed else { return }
            throw PlanLimitError(limit: limit, message: try message(db, current, limit, used: used, allowed: allowed, wanted: used + adding))
        }
    }

    /// How much of `limit` the workspace uses now.
    public static func count(_ db: Connection, workspace: Int, _ limit: PlanLimit, exceptInvitationTo email: String? = nil) throws -> Int {
        try Credits.tenant(db, workspace) { db in
            switch limit {
            case .members:
                return try db.queryRow(
                    """
                    SELECT (SELECT count(*) FROM memberships WHERE workspace_id = $1)
                         + (SELECT count(*) FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
                                AND expires_at > now() AND ($2::citext IS NULL OR email <> $2::citext))
                    """, [.int(workspace), .text(email)])!.int(0)
            case .channels:
                return try db.queryRow(
                    "SELECT count(*) FROM social_accounts WHERE workspace_id = $1 AND status <> 'revoked'",
                    [.int(workspace)])!.int(0)
            case .scheduledPosts:
                return try db.queryRow(
                    "SELECT count(*) FROM posts WHERE workspace_id = $1 AND status IN ('scheduled', 'publishing')",
                    [.int(workspace)])!.int(0)
            }
        }
    }

    /// "The Free plan allows 5 members (open invitations count too), and this workspace has 5. The
    /// Starter plan allows 10: the owner can change the plan on the billing page."
    static func message(_ db: Connection, _ current: WorkspacePlan, _ limit: PlanLimit, used: Int, allowed: Int, wanted: Int) throws -> String {
        var text = ""
        if let subscription = current.subscription, subscription.trialEnded {
            text = "The trial of the \(subscription.plan.name) plan has ended, so the \(current.plan.name) plan applies. "
        }
        text += "The \(current.plan.name) plan allows \(allowed) \(limit.noun) (\(limit.counting)), and this workspace has \(used). "
        let lifting = try Plans.all(db).first { plan in
            plan.code != current.plan.code && (plan.limit(limit).map { $0 >= wanted } ?? true)
        }
        if let lifting {
            let offer = lifting.limit(limit).map { "allows \($0)" } ?? "has no limit on \(limit.noun)"
            text += "The \(lifting.name) plan \(offer): the owner can change the plan on the billing page."
        } else {
            text += "No plan allows more; ask your Herald administrator."
        }
        return text
    }
}
