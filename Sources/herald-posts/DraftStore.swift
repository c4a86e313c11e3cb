// The SQL of AI drafts on a campaign: the personas to choose from, the campaign's candidates, a
// request accepted (candidates, their jobs and their spends in one transaction), and a person's
// review (approval makes a post draft with targets).
import HeraldBilling
import HeraldContent
import HeraldDatabase
import HeraldQueue

struct PersonaChoice {
    let id: Int
    let name: String
}

struct CandidateRecord {
    let id: Int
    let kind: DraftKind
    let platform: Platform?
    let personaName: String?
    let brief: String
    let status: CandidateStatus
    let title: String?
    let body: String?
    let findings: [String]
    let lastError: String?
    let credits: Int
    let postID: Int?
    let createdAt: String
}

/// One draft to write: its kind, platform and persona.
struct DraftRequest: Equatable {
    let kind: DraftKind
    let platform: Platform?
    let persona: Int?
}

enum DraftStore {
    static func personas(_ workspace: Int, _ db: Connection) throws -> [PersonaChoice] {
        try db.query(
            "SELECT id, name FROM personas WHERE workspace_id = $1 AND status = 'active' ORDER BY lower(name)", [.int(workspace)]
        ).rows.map { PersonaChoice(id: try $0.int(0), name: try $0.string(1)) }
    }

    static let candidateColumns = """
        c.id, c.kind, c.platform, p.name, c.brief, c.status, c.title, c.body,
        (SELECT coalesce(string_agg(f, chr(31)), '') FROM jsonb_array_elements_text(c.findings) f), c.last_error,
        c.credits, c.post_id, to_char(c.created_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI')
        """

    static func candidate(_ row: Row) throws -> CandidateRecord {
        CandidateRecord(
            id: try row.int(0), kind: DraftKind(rawValue: try row.string(1)) ?? .post, platform: row.optionalString(2).flatMap(Platform.init),
            personaName: row.optionalString(3), brief: try row.string(4), status: CandidateStatus(rawValue: try row.string(5)) ?? .failed,
            title: row.optionalString(6), body: row.optionalString(7), findings: try row.string(8).split(separator: "\u{1F}").map(String.init),
            lastError: row.optionalString(9), credits: try row.int(10), postID: try row.optionalInt(11), createdAt: try row.string(12))
    }

    /// The campaign's candidates, newest first.
    static func candidates(_ workspace: Int, campaign: Int, timeZone: String, _ db: Connection) throws -> [CandidateRecord] {
        try db.query(
            """
            SELECT \(candidateColumns)
            FROM content_candidates c LEFT JOIN personas p ON p.workspace_id = c.workspace_id AND p.id = c.persona_id
            WHERE c.workspace_id = $1 AND c.campaign_id = $2 ORDER BY c.created_at DESC, c.id DESC LIMIT 200
            """, [.int(workspace), .int(campaign), .text(timeZone)]
        ).rows.map(candidate)
    }

    /// Accepts a request: checks the balance against the whole price first ("not enough credits:
    /// you have N, this needs M", nothing changed), then makes each candidate, its job and its spend
    /// (keyed by the job: a retried job never pays again). The account row is locked for the check,
    /// so concurrent requests are served one after the other.
    static func accept(
        _ workspace: Int, campaign: Int, brief: String, drafts: [DraftRequest], requestedBy: Int, _ db: Connection
    ) throws -> [Int] {
        var prices: [String: Int] = [:]
        for action in Set(drafts.map(\.kind.priceAction)) {
            guard let price = try db.queryRow("SELECT credits FROM credit_prices WHERE action = $1 AND is_active", [.text(action)]) else {
                throw CreditError.unknownAction(action)
            }
            prices[action] = try price.int(0)
        }
        let total = drafts.reduce(0) { $0 + (prices[$1.kind.priceAction] ?? 0) }
        let balance =
            try Credits.balanceForRequest(db, workspace: workspace)
        guard balance >= total else { throw CreditError.insufficient(balance: balance, needed: total) }
        var ids: [Int] = []
        for draft in drafts {
            let price = prices[draft.kind.priceAction] ?? 0
            let id = try db.queryRow(
                """
                INSERT INTO content_candidates (workspace_id, campaign_id, persona_id, kind, platform, brief, credits, requested_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
                """,
                [
                    .int(workspace), .int(campaign), .int(draft.persona), .text(draft.kind.rawValue), .text(draft.platform?.rawValue),
                    .text(brief), .int(price), .int(requestedBy),
                ])!.int(0)
            guard
                let job = try Jobs.enqueue(
                    db, workspace: workspace, kind: "generate_post", payload: ["candidate": String(id)], key: "candidate:\(id)", maxAttempts: 4)
            else { throw CreditError.invalid("the draft \(id) was queued already") }
            _ = try Credits.spend(
                db, workspace: workspace, action: draft.kind.priceAction, key: "generate:job:\(job)", actor: requestedBy,
                reference: "candidate:\(id)", note: "AI draft: \(draft.kind.label)")
            try db.query("UPDATE content_candidates SET job_id = $3 WHERE workspace_id = $1 AND id = $2", [.int(workspace), .int(id), .int(job)])
            ids.append(id)
        }
        return ids
    }

    /// The candidate, locked until the transaction ends.
    static func lock(_ workspace: Int, id: Int, _ db: Connection) throws -> (
        status: CandidateStatus, campaign: Int, persona: Int?, kind: DraftKind, platform: Platform?, title: String?, body: String?
    )? {
        try db.queryRow(
            """
            SELECT status, campaign_id, persona_id, kind, platform, title, body FROM content_candidates
            WHERE workspace_id = $1 AND id = $2 FOR UPDATE
            """, [.int(workspace), .int(id)]
        ).map { r in
            (
                CandidateStatus(rawValue: try r.string(0)) ?? .failed, try r.int(1), try r.optionalInt(2),
                DraftKind(rawValue: try r.string(3)) ?? .post,
                r.optionalString(4).flatMap(Platform.init), r.optionalString(5), r.optionalString(6)
            )
        }
    }

    /// Approval: a post draft in the campaign (its author the person approving), with a target on each
    /// active channel of the draft's platform, and the candidate approved naming it.
    static func approve(
        _ workspace: Int, id: Int, reviewer: Int, campaign: Int, persona: Int?, platform: Platform?, title: String?, body: String,
        _ db: Connection
    ) throws -> Int {
        let post = try db.queryRow(
            """
            INSERT INTO posts (workspace_id, campaign_id, persona_id, author_id, title, body) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, [.int(workspace), .int(campaign), .int(persona), .int(reviewer), .text(title), .text(body)])!.int(0)
        try db.query(
            "INSERT INTO post_revisions (workspace_id, post_id, version, title, body, editor_id) VALUES ($1, $2, 1, $3, $4, $5)",
            [.int(workspace), .int(post), .text(title), .text(body), .int(reviewer)])
        if let platform {
            try db.query(
                """
                INSERT INTO post_targets (workspace_id, post_id, social_account_id)
                SELECT $1, $2, id FROM social_accounts WHERE workspace_id = $1 AND platform = $3 AND status = 'active'
                """, [.int(workspace), .int(post), .text(platform.rawValue)])
        }
        try db.query(
            """
            UPDATE content_candidates SET status = 'approved', post_id = $3, reviewed_by = $4, reviewed_at = now()
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(id), .int(post), .int(reviewer)])
        return post
    }

    static func reject(_ workspace: Int, id: Int, reviewer: Int, _ db: Connection) throws {
        try db.query(
            "UPDATE content_candidates SET status = 'rejected', reviewed_by = $3, reviewed_at = now() WHERE workspace_id = $1 AND id = $2",
            [.int(workspace), .int(id), .int(reviewer)])
    }
}
