// The SQL of a workspace's sources: the list, one source with its text, adding a web page (pending,
// with its ingest_source job), pasted text or a PDF's text (ready at once), and deleting one.
import HeraldDatabase
import HeraldQueue

/// The kinds of source, as stored (`sources.kind`).
enum SourceKind: String {
    case url, text
    case pdfText = "pdf_text"

    var label: String {
        switch self {
        case .url: return "Web page"
        case .text: return "Pasted text"
        case .pdfText: return "PDF"
        }
    }
}

/// A row of the sources list; dates in the viewer's zone, empty when not set.
struct SourceSummary {
    let id: Int
    let kind: SourceKind
    let title: String
    let url: String?
    let status: String
    let lastError: String?
    let fetchedAt: String
    let createdAt: String
    /// Characters of text, 0 before a page is fetched.
    let characters: Int
}

/// One source with its text.
struct SourceDetail {
    let summary: SourceSummary
    let content: String?
    /// The active personas that learn from it.
    let personas: [PersonaChoice]
}

enum SourceStore {
    /// The longest text a source holds (sources_content_length).
    static let maxContent = 1_000_000

    static let columns = """
        s.id, s.kind, s.title, s.url, s.status, s.last_error, coalesce(to_char(s.fetched_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), ''),
        to_char(s.created_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), coalesce(char_length(s.content), 0)
        """

    static func summary(_ r: Row) throws -> SourceSummary {
        SourceSummary(
            id: try r.int(0), kind: SourceKind(rawValue: try r.string(1)) ?? .text, title: try r.string(2), url: r.optionalString(3),
            status: try r.string(4), lastError: r.optionalString(5), fetchedAt: try r.string(6), createdAt: try r.string(7),
            characters: try r.int(8))
    }

    /// The workspace's sources, newest first.
    static func list(_ workspace: Int, timeZone: String, _ db: Connection) throws -> [SourceSummary] {
        try db.query(
            "SELECT \(columns) FROM sources s WHERE s.workspace_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT 500",
            [.int(workspace), .text(timeZone)]
        ).rows.map(summary)
    }

    /// The source with its text and the personas that learn from it; nil when the workspace has no such source.
    static func find(_ workspace: Int, id: Int, timeZone: String, _ db: Connection) throws -> SourceDetail? {
        guard
            let row = try db.queryRow(
                "SELECT \(columns), s.content FROM sources s WHERE s.workspace_id = $1 AND s.id = $3", [.int(workspace), .text(timeZone), .int(id)])
        else { return nil }
        let personas = try db.query(
            """
            SELECT p.id, p.name FROM persona_sources ps JOIN personas p ON p.workspace_id = ps.workspace_id AND p.id = ps.persona_id
            WHERE ps.workspace_id = $1 AND ps.source_id = $2 AND ps.status = 'confirmed' ORDER BY lower(p.name)
            """, [.int(workspace), .int(id)]
        ).rows.map { PersonaChoice(id: try $0.int(0), name: try $0.string(1)) }
        return SourceDetail(summary: try summary(row), content: row.optionalString(9), personas: personas)
    }

    /// A web page to fetch: stored pending with its ingest_source job (keyed by the source) in the
    /// caller's transaction. Without a title of the user's, the address stands in until the page's own.
    static func addURL(_ workspace: Int, url: String, title: String, _ db: Connection) throws -> Int {
        let id = try db.queryRow(
            "INSERT INTO sources (workspace_id, kind, title, url) VALUES ($1, 'url', $2, $3) RETURNING id",
            [.int(workspace), .text(title.isEmpty ? String(url.prefix(200)) : title), .text(url)])!.int(0)
        try Jobs.enqueue(
            db, workspace: workspace, kind: "ingest_source", payload: ["source": String(id), "titled": title.isEmpty ? "0" : "1"],
            key: "source:\(id)", maxAttempts: 4)
        return id
    }

    /// Pasted text or a PDF's text: ready at once.
    static func addText(_ workspace: Int, kind: SourceKind, title: String, content: String, _ db: Connection) throws -> Int {
        try db.queryRow(
            """
            INSERT INTO sources (workspace_id, kind, title, content, status, fetched_at) VALUES ($1, $2, $3, $4, 'ready', now()) RETURNING id
            """, [.int(workspace), .text(kind.rawValue), .text(title), .text(content)])!.int(0)
    }

    /// Deletes the source (its persona links go with it) and its fetch if that has not started.
    /// Nil when there is no such source in the workspace; otherwise its title.
    static func delete(_ workspace: Int, id: Int, _ db: Connection) throws -> String? {
        guard
            let title = try db.queryRow(
                "DELETE FROM sources WHERE workspace_id = $1 AND id = $2 RETURNING title", [.int(workspace), .int(id)]
            )?.string(0)
        else { return nil }
        try db.query(
            """
            UPDATE jobs SET status = 'canceled', finished_at = now()
            WHERE workspace_id = $1 AND kind = 'ingest_source' AND idempotency_key = $2 AND status = 'queued'
            """, [.int(workspace), .text("source:\(id)")])
        return title
    }
}
