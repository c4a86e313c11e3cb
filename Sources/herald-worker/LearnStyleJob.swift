// Learning a persona's style (a learn_persona_style job): the persona's voice notes and the text of
// its confirmed, ready sources (this workspace's only) are read with the workspace set; the model
// is asked for a style profile with no transaction open, the sources fenced as material; the answer
// is stored as the persona's profile ({"profile", "learned_at", "edited_by_person": false}) with the
// exchange, the token usage and the job's completion in one transaction. The learning was paid when
// it was asked for (keyed by this job, so a retry never pays again); one that fails is refunded once,
// and only its own spend (the spend's reference names the job).
import HeraldBilling
import HeraldContent
import HeraldDatabase
import HeraldPlatforms
import HeraldQueue
import HeraldSupport

struct LearnStyleJob {
    let services: WorkerServices
    let db: Connection
    var worker: String { services.settings.workerID }

    /// The longest profile stored; a longer answer fails the learning.
    static let maxProfile = 5000

    func run(_ job: Job) throws -> String {
        let workspace = job.workspaceID
        guard let persona = job.int("persona") else {
            try db.transaction(workspace: workspace) { db in _ = try Jobs.kill(db, job, worker: worker, error: "the job names no persona") }
            return "no persona"
        }
        let messages = try db.transaction(workspace: workspace) { db -> [(role: String, content: String)]? in
            guard
                let row = try db.queryRow(
                    "SELECT name, coalesce(description, '') FROM personas WHERE workspace_id = $1 AND id = $2", [.int(workspace), .int(persona)])
            else { return nil }
            let sources = try db.query(
                """
                SELECT s.title, left(s.content, $3) FROM persona_sources ps
                JOIN sources s ON s.workspace_id = ps.workspace_id AND s.id = ps.source_id
                WHERE ps.workspace_id = $1 AND ps.persona_id = $2 AND ps.status = 'confirmed' AND s.status = 'ready'
                ORDER BY s.id LIMIT 20
                """, [.int(workspace), .int(persona), .int(DraftPrompt.maxMaterial)]
            ).rows
            // An equal share of what a prompt carries for each source, so every one of them is heard.
            let share = DraftPrompt.maxMaterial / max(1, sources.count)
            var material = ""
            for source in sources {
                material += "# " + (try source.string(0)) + "\n" + String((source.optionalString(1) ?? "").prefix(share)) + "\n\n"
            }
            if material.isEmpty { return [] }
            return DraftPrompt.styleMessages(persona: try row.string(0), notes: try row.string(1), material: material)
        }
        guard let messages else { return try fail(job, persona, "The persona no longer exists.", nil) }
        guard !messages.isEmpty else { return try fail(job, persona, "The persona has no ready linked sources to learn from.", nil) }
        guard let chat = services.chat else {
            return try fail(job, persona, "No language model is configured (HERALD_AI_BASE_URL), so the style could not be learned.", nil)
        }
        let exchange = AIExchange.ask(chat, purpose: "learn_style", subject: persona, messages: messages, maxTokens: 700, temperature: 0.3)
        switch exchange.outcome {
        case .answer(let text, let promptTokens, let completionTokens, _, _):
            let profile = text.trimmed
            guard !profile.isEmpty else { return try fail(job, persona, "The model answered with no text.", exchange) }
            guard profile.count <= LearnStyleJob.maxProfile else {
                return try fail(
                    job, persona, "The model's profile is \(profile.count) characters, larger than the 5,000 a profile holds.",
                    exchange.withoutAnswer())
            }
            return try db.transaction(workspace: workspace) { db in
                try exchange.record(db, workspace: workspace)
                try db.query(
                    """
                    UPDATE personas SET updated_at = now(), style_profile = jsonb_build_object('profile', $3::text,
                        'learned_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'edited_by_person', false)
                    WHERE workspace_id = $1 AND id = $2
                    """, [.int(workspace), .int(persona), .text(profile)])
                _ = try Jobs.complete(db, job, worker: worker, note: "learned")
                return "learned (\(promptTokens)+\(completionTokens) tokens)"
            }
        case .transient(let reason, let wait):
            if job.attempts >= job.maxAttempts { return try fail(job, persona, "The model could not answer: \(reason)", exchange) }
            return try db.transaction(workspace: workspace) { db in
                try exchange.record(db, workspace: workspace, error: reason)
                return try services.retryLater(db, job, wait: wait, reason: reason).note
            }
        case .permanent(let reason):
            return try fail(job, persona, "The model refused: \(reason)", exchange)
        }
    }

    /// The style cannot be learned: the exchange (if there was one) kept, this job's spend refunded
    /// once, the job done with the reason (the persona's page shows it).
    func fail(_ job: Job, _ persona: Int, _ reason: String, _ exchange: AIExchange?) throws -> String {
        try db.transaction(workspace: job.workspaceID) { db in
            try exchange?.record(db, workspace: job.workspaceID, error: reason)
            try Credits.refundAll(db, workspace: job.workspaceID, reference: "persona:\(persona):job:\(job.id)", reason: "learning the style failed")
            _ = try Jobs.complete(db, job, worker: worker, note: reason)
            return "failed: \(reason)"
        }
    }
}
