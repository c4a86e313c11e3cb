// The SQL of personas: the list, one persona with its style profile, saving its name and voice
// notes (the database's verdict on a duplicate name as a form error), its links to sources, the
// profile edited by hand, and a request to learn the style (the credit check, the job and its spend
// in the caller's transaction).
import HeraldBilling
import HeraldDatabase
import HeraldQueue

/// A row of the personas list.
struct PersonaSummary {
    let id: Int
    let name: String
    let archived: Bool
    let sources: Int
    let hasProfile: Bool
}

/// One persona; `learnedAt` in the viewer's zone, empty when the profile was never learned.
struct PersonaRecord {
    let id: Int
    let name: String
    let notes: String
    let archived: Bool
    let profile: String
    let learnedAt: String
    let editedByPerson: Bool
}

/// A source as a persona's page lists it.
struct PersonaSource {
    let id: Int
    let title: String
    let kind: SourceKind
    let status: String
}

/// The persona's latest request to learn its style: the job's status and note, and whether its spend was refunded.
struct LearnState {
    let status: String
    let note: String?
    let refunded: Bool
    let requestedAt: String
}

enum PersonaStore {
    static func list(_ workspace: Int, _ db: Connection) throws -> [PersonaSummary] {
        try db.query(
            """
            SELECT p.id, p.name, p.status = 'archived', p.style_profile ? 'profile',
                   (SELECT count(*) FROM persona_sources ps WHERE ps.workspace_id = p.workspace_id AND ps.persona_id = p.id AND ps.status = 'confirmed')
            FROM personas p WHERE p.workspace_id = $1 ORDER BY p.status = 'archived', lower(p.name)
            """, [.int(workspace)]
        ).rows.map { r in
            PersonaSummary(id: try r.int(0), name: try r.string(1), archived: try r.bool(2), sources: try r.int(4), hasProfile: try r.bool(3))
        }
    }

    static func find(_ workspace: Int, id: Int, timeZone: String, _ db: Connection) throws -> PersonaRecord? {
        try db.queryRow(
            """
            SELECT name, coalesce(description, ''), status = 'archived', coalesce(style_profile ->> 'profile', ''),
                   coalesce(to_char((style_profile ->> 'learned_at')::timestamptz AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), ''),
                   coalesce((style_profile ->> 'edited_by_person')::boolean, false)
            FROM personas WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(id), .text(timeZone)]
        ).map { r in
            PersonaRecord(
                id: id, name: try r.string(0), notes: try r.string(1), archived: try r.bool(2), profile: try r.string(3), learnedAt: try r.string(4),
                editedByPerson: try r.bool(5))
        }
    }

    /// Creates (`id` nil) or saves a persona's name and notes. Answers the id, or nil with the field's
    /// error; the id is nil with no error when there is no such persona.
    static func save(_ workspace: Int, id: Int?, name: String, notes: String, _ db: Connection) throws -> (Int?, String?) {
        do {
            return try db.savepoint {
                let params: [SQLValue] = [.int(workspace), .text(name), .text(notes.isEmpty ? nil : notes)]
                if let id {
                    let changed = try db.query(
                        "UPDATE personas SET name = $2, description = $3, updated_at = now() WHERE workspace_id = $1 AND id = $4", params + [.int(id)]
                    ).affectedRows
                    return (changed == 1 ? id : nil, nil)
                }
                let created = try db.queryRow("INSERT INTO personas (workspace_id, name, description) VALUES ($1, $2, $3) RETURNING id", params)
                return (try created?.int(0), nil)
            }
        } catch let error as DatabaseError where error.constraint == "personas_workspace_name_key" {
            return (nil, "There is a persona named “\(name)” already.")
        }
    }

    /// False when there is no such persona.
    static func setArchived(_ workspace: Int, id: Int, _ archived: Bool, _ db: Connection) throws -> Bool {
        try db.query(
            "UPDATE personas SET status = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2",
            [.int(workspace), .int(id), .text(archived ? "archived" : "active")]
        ).affectedRows == 1
    }

    /// The profile written by a person (empty: no profile). When it was learned stays recorded.
    static func saveProfile(_ workspace: Int, id: Int, profile: String, _ db: Connection) throws -> Bool {
        try db.query(
            """
            UPDATE personas SET updated_at = now(), style_profile = CASE WHEN $3 = '' THEN '{}'::jsonb
                ELSE jsonb_strip_nulls(jsonb_build_object('profile', $3::text, 'learned_at', style_profile -> 'learned_at', 'edited_by_person', true)) END
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(id), .text(profile)]
        ).affectedRows == 1
    }

    /// The persona's confirmed sources, and the workspace's other sources it could learn from.
    static func sources(_ workspace: Int, persona: Int, _ db: Connection) throws -> (linked: [PersonaSource], others: [PersonaSource]) {
        let rows = try db.query(
            """
            SELECT s.id, s.title, s.kind, s.status, EXISTS (SELECT 1 FROM persona_sources ps WHERE ps.workspace_id = s.workspace_id
                   AND ps.persona_id = $2 AND ps.source_id = s.id AND ps.status = 'confirmed')
            FROM sources s WHERE s.workspace_id = $1 ORDER BY lower(s.title), s.id LIMIT 1000
            """, [.int(workspace), .int(persona)]
        ).rows.map { r in
            (
                PersonaSource(
                    id: try r.int(0), title: try r.string(1), kind: SourceKind(rawValue: try r.string(2)) ?? .text, status: try r.string(3)),
                try r.bool(4)
            )
        }
        return (rows.filter { $0.1 }.map { $0.0 }, rows.filter { !$0.1 }.map { $0.0 })
    }

    /// Whether the workspace has this source (a link names only its own).
    static func hasSource(_ workspace: Int, id: Int, _ db: Connection) throws -> Bool {
        try db.queryRow("SELECT 1 FROM sources WHERE workspace_id = $1 AND id = $2", [.int(workspace), .int(id)]) != nil
    }

    /// A person links a source: the link is confirmed (whatever a suggestion said before).
    static func link(_ workspace: Int, persona: Int, source: Int, _ db: Connection) throws {
        try db.query(
            """
            INSERT INTO persona_sources (workspace_id, persona_id, source_id, status) VALUES ($1, $2, $3, 'confirmed')
            ON CONFLICT ON CONSTRAINT persona_sources_pkey DO UPDATE SET status = 'confirmed'
            """, [.int(workspace), .int(persona), .int(source)])
    }

    /// False when the source was not linked.
    static func unlink(_ workspace: Int, persona: Int, source: Int, _ db: Connection) throws -> Bool {
        try db.query(
            "DELETE FROM persona_sources WHERE workspace_id = $1 AND persona_id = $2 AND source_id = $3",
            [.int(workspace), .int(persona), .int(source)]
        ).affectedRows == 1
    }

    /// The persona's confirmed sources that have text.
    static func readySources(_ workspace: Int, persona: Int, _ db: Connection) throws -> Int {
        try db.queryRow(
            """
            SELECT count(*) FROM persona_sources ps JOIN sources s ON s.workspace_id = ps.workspace_id AND s.id = ps.source_id
            WHERE ps.workspace_id = $1 AND ps.persona_id = $2 AND ps.status = 'confirmed' AND s.status = 'ready'
            """, [.int(workspace), .int(persona)])!.int(0)
    }

    /// The latest learn_persona_style job of the persona, if any.
    static func lastLearning(_ workspace: Int, persona: Int, timeZone: String, _ db: Connection) throws -> LearnState? {
        try db.queryRow(
            """
            SELECT j.status, j.last_error, to_char(j.created_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'),
                   EXISTS (SELECT 1 FROM credit_entries s JOIN credit_entries r
                               ON r.workspace_id = s.workspace_id AND r.kind = 'refund' AND r.reference = 'entry:' || s.id
                           WHERE s.workspace_id = j.workspace_id AND s.kind = 'spend' AND s.reference = 'persona:' || $2 || ':job:' || j.id)
            FROM jobs j WHERE j.workspace_id = $1 AND j.kind = 'learn_persona_style' AND j.payload ->> 'persona' = $2
            ORDER BY j.id DESC LIMIT 1
            """, [.int(workspace), .text(String(persona)), .text(timeZone)]
        ).map { r in LearnState(status: try r.string(0), note: r.optionalString(1), refunded: try r.bool(3), requestedAt: try r.string(2)) }
    }

    /// The price of learning a style and the workspace's balance, for the form.
    static func learnPrice(_ workspace: Int, _ db: Connection) throws -> (price: Int?, balance: Int) {
        (try learnStylePrice(db), try Credits.balance(db, workspace: workspace))
    }

    /// The active price of learning a style; nil when there is none.
    static func learnStylePrice(_ db: Connection) throws -> Int? {
        try db.queryRow("SELECT credits FROM credit_prices WHERE action = 'learn_style' AND is_active")?.int(0)
    }

    /// Accepts a request to learn the style: the job (keyed by the form's nonce, so a form sent twice
    /// queues one) and its spend (keyed by the job; its reference names the job, so a failed learning
    /// refunds only its own). The workspace's credit requests are served one after the other
    /// (Credits.balanceForRequest), so the balance checked is the one spent from. Nil when this form
    /// was sent already.
    static func requestLearning(_ workspace: Int, persona: Int, name: String, nonce: String, actor: Int, _ db: Connection) throws -> Int? {
        let balance = try Credits.balanceForRequest(db, workspace: workspace)
        let key = "learn:\(persona):\(nonce)"
        if try db.queryRow("SELECT 1 FROM jobs WHERE workspace_id = $1 AND idempotency_key = $2", [.int(workspace), .text(key)]) != nil {
            return nil
        }
        guard let price = try learnStylePrice(db) else {
            throw CreditError.unknownAction("learn_style")
        }
        guard balance >= price else { throw CreditError.insufficient(balance: balance, needed: price) }
        guard
            let job = try Jobs.enqueue(
                db, workspace: workspace, kind: "learn_persona_style", payload: ["persona": String(persona)], key: key, maxAttempts: 4)
        else { return nil }
        _ = try Credits.spend(
            db, workspace: workspace, action: "learn_style", key: "learn:job:\(job)", actor: actor, reference: "persona:\(persona):job:\(job)",
            note: "Learn the style of the persona \(name)")
        return job
    }
}
