// What the AI jobs share: one call to the language model (made with no transaction open, timed) and
// how the workspace's audit keeps it (the exchange in ai_exchanges, its tokens in api_usage), and
// sending a job that failed for now back to the queue with a backoff.
import HeraldDatabase
import HeraldPlatforms
import HeraldQueue
import HeraldSupport

/// One call to the model: what was asked, what came of it, and how long it took.
struct AIExchange {
    /// ai_exchanges.purpose: generate, learn_style or weekly_summary.
    let purpose: String
    let subject: Int?
    let messages: [(role: String, content: String)]
    let model: String
    let outcome: ChatOutcome
    let millis: Int
    /// The answer the audit keeps: the model's text, unless the job left it out (`withoutAnswer`).
    private(set) var response: String?

    /// Asks the model; call it with no transaction open.
    static func ask(
        _ chat: ChatClient, purpose: String, subject: Int?, messages: [(role: String, content: String)], maxTokens: Int, temperature: Double
    ) -> AIExchange {
        let started = Clock.monotonicNanos()
        let outcome = chat.complete(messages: messages, maxTokens: maxTokens, temperature: temperature)
        let millis = Int((Clock.monotonicNanos() - started) / 1_000_000)
        var response: String?
        if case .answer(let text, _, _, _, _) = outcome { response = text }
        return AIExchange(
            purpose: purpose, subject: subject, messages: messages, model: chat.config.model, outcome: outcome, millis: millis,
            response: response)
    }

    /// The same exchange with its answer left out of the audit (the reason it was not used is kept
    /// instead); its token usage stays.
    func withoutAnswer() -> AIExchange {
        var copy = self
        copy.response = nil
        return copy
    }

    /// Keeps the exchange for the workspace's audit and its tokens in api_usage. Without an answer
    /// the exchange records why: `error`, or else the outcome's own reason.
    func record(_ db: Connection, workspace: Int, error: String? = nil) throws {
        var promptTokens: Int?
        var completionTokens: Int?
        var reason = "no answer"
        switch outcome {
        case .answer(_, let prompt, let completion, _, _):
            promptTokens = prompt
            completionTokens = completion
        case .transient(let why, _), .permanent(let why):
            reason = why
        }
        let request = "[" + messages.map { "{\"role\":\(jsonString($0.role)),\"content\":\(jsonString($0.content))}" }.joined(separator: ",") + "]"
        try db.query(
            """
            INSERT INTO ai_exchanges (workspace_id, purpose, subject_id, model, request, response, error, prompt_tokens, completion_tokens)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)
            """,
            [
                .int(workspace), .text(purpose), .int(subject), .text(String(model.prefix(200))), .text(request),
                .text(response.map { String($0.prefix(1_000_000)) }), .text(response == nil ? String((error ?? reason).prefix(2000)) : nil),
                .int(promptTokens), .int(completionTokens),
            ])
        try db.query(
            "INSERT INTO api_usage (workspace_id, service, operation, duration_ms, units) VALUES ($1, 'llm', $2, $3, $4)",
            [.int(workspace), .text(purpose), .int(max(0, millis)), .int((promptTokens ?? 0) + (completionTokens ?? 0))])
    }
}

extension WorkerServices {
    /// Sends a job that failed for now back to the queue after RetryPolicy's delay (at least `wait`
    /// when the service named one), with the reason. `held` is false when this worker no longer
    /// holds the job.
    func retryLater(_ db: Connection, _ job: Job, wait: Int?, reason: String) throws -> (note: String, held: Bool) {
        let delay = RetryPolicy.delaySeconds(attempt: job.attempts, platformWaitSeconds: wait, baseSeconds: settings.retryBaseSeconds)
        let at = try db.queryRow("SELECT (now() + make_interval(secs => $1))::text", [.int(delay)])!.string(0)
        let held = try Jobs.retry(db, job, worker: settings.workerID, at: at, error: reason)
        return ("retry in \(delay) s: \(reason)", held)
    }
}
