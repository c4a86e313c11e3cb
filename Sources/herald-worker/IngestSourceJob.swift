// Fetching a web page a user added as a source (an ingest_source job): the source is read with
// the workspace set, the page fetched with no transaction open through GuardedFetch (public
// addresses only, redirects checked hop by hop, a size cap and a timeout), reduced to readable text
// (HTML) or taken as it is (plain text) or out of a PDF, and stored with the job's completion in
// one transaction. What the page says is only stored, never acted on. A server that is slow or
// failing is tried again with backoff until the attempts run out; anything else fails the source
// with the reason, shown on its page.
import HeraldDatabase
import HeraldPlatforms
import HeraldQueue
import HeraldSupport

struct IngestSourceJob {
    let services: WorkerServices
    let db: Connection
    var worker: String { services.settings.workerID }

    /// The longest text a source holds (sources_content_length).
    static let maxContent = 1_000_000

    /// What a fetch came to: the page's title and text, a refusal for good, or a failure worth another try.
    enum Outcome {
        case text(title: String?, content: String)
        case failed(String)
        case transient(String)
    }

    func run(_ job: Job) throws -> String {
        let workspace = job.workspaceID
        guard let source = job.int("source") else {
            try db.transaction(workspace: workspace) { db in _ = try Jobs.kill(db, job, worker: worker, error: "the job names no source") }
            return "no source"
        }
        let url = try db.transaction(workspace: workspace) { db -> String? in
            guard let row = try db.queryRow("SELECT status, url FROM sources WHERE workspace_id = $1 AND id = $2", [.int(workspace), .int(source)])
            else {
                _ = try Jobs.complete(db, job, worker: worker, note: "the source is gone")
                return nil
            }
            guard try row.string(0) == "pending", let url = row.optionalString(1) else {
                _ = try Jobs.complete(db, job, worker: worker, note: "the source is \(try row.string(0)) already")
                return nil
            }
            return url
        }
        guard let url else { return "nothing to fetch" }
        switch fetch(url) {
        case .text(let title, let content):
            return try db.transaction(workspace: workspace) { db in
                let keepTitle = job.payload["titled"] == "1"
                let stored = try db.query(
                    """
                    UPDATE sources SET status = 'ready', content = $3, title = CASE WHEN $4 THEN title ELSE coalesce($5, title) END,
                           last_error = NULL, fetched_at = now(), updated_at = now()
                    WHERE workspace_id = $1 AND id = $2 AND status = 'pending'
                    """, [.int(workspace), .int(source), .text(content), .bool(keepTitle), .text(title.map { String($0.prefix(200)) })]
                ).affectedRows
                _ = try Jobs.complete(db, job, worker: worker, note: stored == 1 ? nil : "the source changed meanwhile")
                return "ready (\(content.count) characters)"
            }
        case .failed(let reason):
            return try fail(job, source, reason)
        case .transient(let reason):
            if job.attempts >= job.maxAttempts { return try fail(job, source, reason) }
            return try db.transaction(workspace: workspace) { db in try services.retryLater(db, job, wait: nil, reason: reason).note }
        }
    }

    /// The source cannot be fetched: failed with the reason, the job done.
    func fail(_ job: Job, _ source: Int, _ reason: String) throws -> String {
        try db.transaction(workspace: job.workspaceID) { db in
            try db.query(
                "UPDATE sources SET status = 'failed', last_error = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2 AND status = 'pending'",
                [.int(job.workspaceID), .int(source), .text(String(reason.prefix(2000)))])
            _ = try Jobs.complete(db, job, worker: worker, note: reason)
            return "failed: \(reason)"
        }
    }

    /// Fetches the page and takes its text out, by its media type (SourceText).
    func fetch(_ url: String) -> Outcome {
        let page: GuardedResponse
        do {
            page = try services.guarded.get(url)
        } catch {
            return error.isTransient ? .transient(error.message) : .failed(error.message)
        }
        switch page.status {
        case 200...299: break
        case 408, 425, 429, 500...599: return .transient("The server answered \(page.status); Herald tries again later.")
        case 401, 403: return .failed("The page answered \(page.status): it is not public. Herald reads only pages anyone can open.")
        case 404, 410: return .failed("The page answered \(page.status): there is nothing at this address.")
        default: return .failed("The page answered \(page.status) instead of the page.")
        }
        let found: (title: String?, text: String)
        do {
            found = try SourceText.from(page, pdfTimeoutSeconds: 20)
        } catch {
            if case .unsupported(let type) = error { return .failed("Herald reads web pages, plain text and PDFs, not \(type.prefix(100)).") }
            return error.refusal == .unavailable ? .transient(error.message) : .failed(error.message)
        }
        let text = found.text.replacing("\u{0}", with: "").trimmed
        guard !text.isEmpty else { return .failed(SourceTextError.emptyPage.message) }
        let title = found.title.map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        return .text(title: title, content: String(text.prefix(IngestSourceJob.maxContent)))
    }
}
