// Writing one AI draft (a generate_post job): the candidate, its persona's voice and confirmed
// sources and the workspace's brand rules are read with the workspace set; the model is called
// with no transaction open; the answer (or the failure) is recorded with the exchange, the token
// usage and the job's completion in one transaction. The draft was paid when the request was
// accepted (keyed by this job, so a retry never pays again); a draft that cannot be written is
// refunded once (the refund's key is the spend's).
import HeraldBilling
import HeraldContent
import HeraldDatabase
import HeraldPlatforms
import HeraldQueue
import HeraldSupport

struct GenerateJob {
    let services: WorkerServices
    let db: Connection
    var worker: String { services.settings.workerID }

    struct Loaded {
        let kind: DraftKind
        let platform: Platform?
        let messages: [(role: String, content: String)]
        let rules: [BrandRule]
    }

    func run(_ job: Job) throws -> String {
        let workspace = job.workspaceID
        guard let candidate = job.int("candidate") else {
            try db.transaction(workspace: workspace) { db in _ = try Jobs.kill(db, job, worker: worker, error: "the job names no candidate") }
            return "no candidate"
        }
        let loaded = try db.transaction(workspace: workspace) { db -> Loaded? in
            guard
                let row = try db.queryRow(
                    """
                    SELECT c.status, c.kind, c.platform, c.brief, p.name, coalesce(p.description, ''), coalesce(p.style_profile ->> 'profile', ''),
                           c.persona_id
                    FROM content_candidates c LEFT JOIN personas p ON p.workspace_id = c.workspace_id AND p.id = c.persona_id
                    WHERE c.workspace_id = $1 AND c.id = $2
                    """, [.int(workspace), .int(candidate)])
            else {
                _ = try Jobs.complete(db, job, worker: worker, note: "the candidate is gone")
                return nil
            }
            guard try row.string(0) == CandidateStatus.generating.rawValue else {
                _ = try Jobs.complete(db, job, worker: worker, note: "the candidate is \(try row.string(0)) already")
                return nil
            }
            let kind = DraftKind(rawValue: try row.string(1)) ?? .post
            let platform = row.optionalString(2).flatMap(Platform.init)
            let voice = row.optionalString(4).map {
                DraftVoice(name: $0, notes: (try? row.string(5)) ?? "", styleProfile: (try? row.string(6)) ?? "")
            }
            // The persona's confirmed, ready sources of this workspace only, each no longer than a
            // prompt carries (a source holds up to a million characters).
            var material = ""
            if let persona = try row.optionalInt(7) {
                for source in try db.query(
                    """
                    SELECT s.title, left(s.content, $3) FROM persona_sources ps
                    JOIN sources s ON s.workspace_id = ps.workspace_id AND s.id = ps.source_id
                    WHERE ps.workspace_id = $1 AND ps.persona_id = $2 AND ps.status = 'confirmed' AND s.status = 'ready'
                    ORDER BY s.id LIMIT 10
                    """, [.int(workspace), .int(persona), .int(DraftPrompt.maxMaterial)]
                ).rows {
                    material += "# " + (try source.string(0)) + "\n" + (source.optionalString(1) ?? "") + "\n\n"
                }
            }
            let rules = try db.query(
                "SELECT id, kind, rule_text, severity = 'block' FROM brand_rules WHERE workspace_id = $1 AND is_active ORDER BY id", [.int(workspace)]
            ).rows.compactMap { r -> BrandRule? in
                guard let kind = BrandRule.Kind(rawValue: try r.string(1)) else { return nil }
                return BrandRule(id: try r.int(0), kind: kind, text: try r.string(2), blocks: try r.bool(3))
            }
            return Loaded(
                kind: kind, platform: platform,
                messages: DraftPrompt.messages(kind: kind, platform: platform, brief: try row.string(3), voice: voice, material: material),
                rules: rules)
        }
        guard let loaded else { return "nothing to write" }
        guard let chat = services.chat else {
            return try fail(job, candidate, "No language model is configured (HERALD_AI_BASE_URL), so the draft could not be written.", nil)
        }
        let exchange = AIExchange.ask(
            chat, purpose: "generate", subject: candidate, messages: loaded.messages, maxTokens: loaded.kind == .blogOutline ? 900 : 600,
            temperature: 0.7)
        switch exchange.outcome {
        case .answer(let text, let promptTokens, let completionTokens, _, _):
            let (title, body) = DraftPrompt.parse(text, kind: loaded.kind)
            guard !body.isEmpty else { return try fail(job, candidate, "The model answered with no text.", exchange) }
            guard body.count <= 40_000 else {
                return try fail(
                    job, candidate, "The model's answer is \(body.count) characters; a draft holds at most 40,000.", exchange.withoutAnswer())
            }
            let findings = DraftPrompt.findings(kind: loaded.kind, platform: loaded.platform, title: title, body: body, rules: loaded.rules)
            return try db.transaction(workspace: job.workspaceID) { db in
                try exchange.record(db, workspace: job.workspaceID)
                try db.query(
                    """
                    UPDATE content_candidates SET status = 'pending_review', title = $3, body = $4, findings = $5::jsonb
                    WHERE workspace_id = $1 AND id = $2 AND status = 'generating'
                    """,
                    [
                        .int(job.workspaceID), .int(candidate), .text(title), .text(body),
                        .text("[" + findings.map(jsonString).joined(separator: ",") + "]"),
                    ])
                _ = try Jobs.complete(db, job, worker: worker, note: "written")
                return "written (\(promptTokens)+\(completionTokens) tokens)"
            }
        case .transient(let reason, let wait):
            if job.attempts >= job.maxAttempts { return try fail(job, candidate, "The model could not answer: \(reason)", exchange) }
            return try db.transaction(workspace: job.workspaceID) { db in
                try exchange.record(db, workspace: job.workspaceID, error: reason)
                return try services.retryLater(db, job, wait: wait, reason: reason).note
            }
        case .permanent(let reason):
            return try fail(job, candidate, "The model refused: \(reason)", exchange)
        }
    }

    /// The draft cannot be written: the exchange (if there was one) kept, the candidate failed with
    /// the reason, its spend refunded once, the job done.
    func fail(_ job: Job, _ candidate: Int, _ reason: String, _ exchange: AIExchange?) throws -> String {
        try db.transaction(workspace: job.workspaceID) { db in
            try exchange?.record(db, workspace: job.workspaceID, error: reason)
            let updated = try db.query(
                "UPDATE content_candidates SET status = 'failed', last_error = $3 WHERE workspace_id = $1 AND id = $2 AND status = 'generating'",
                [.int(job.workspaceID), .int(candidate), .text(String(reason.prefix(2000)))]
            ).affectedRows
            if updated > 0 {
                try Credits.refundAll(db, workspace: job.workspaceID, reference: "candidate:\(candidate)", reason: "the AI draft failed")
            }
            _ = try Jobs.complete(db, job, worker: worker, note: reason)
            return "failed: \(reason)"
        }
    }
}
