// The jobs table as a queue: enqueue once per idempotency key, claim with FOR UPDATE SKIP LOCKED
// under a lease, renew the lease while the work runs, and finish a job as done, retried later,
// dead or canceled. What a job does is its handler's business (herald-worker).
public import HeraldDatabase
import HeraldSupport

/// One claimed job.
public struct Job: Sendable, Equatable {
    public let id: Int
    public let workspaceID: Int
    public let kind: String
    /// The payload's fields (flat JSON object of strings and numbers, as text).
    public let payload: [String: String]
    /// Attempts so far, this one included.
    public let attempts: Int
    public let maxAttempts: Int
    public let idempotencyKey: String?

    public func int(_ field: String) -> Int? { payload[field].flatMap { Int($0) } }
}

public enum Jobs {
    /// Runs `body` in a transaction that sees every workspace's jobs (policy worker_queue:
    /// `app.cross_tenant` on, no tenant set), set for this transaction only, so a reconnected or
    /// pooled connection never carries it over.
    @discardableResult
    public static func acrossWorkspaces<T>(_ db: Connection, _ body: (Connection) throws -> T) throws -> T {
        try db.transaction { db in
            try db.query("SELECT set_config('app.cross_tenant', 'on', true)")
            return try body(db)
        }
    }

    /// Adds a job unless one with the same key exists in the workspace; returns the new job's id,
    /// or nil when the key was taken (the work is queued already, or was done). Runs in the caller's
    /// transaction (tenant set), so the job exists exactly when the change that asked for it commits.
    @discardableResult
    public static func enqueue(
        _ db: Connection, workspace: Int, kind: String, payload: [String: String], runAt: String? = nil, key: String,
        serialKey: String? = nil, maxAttempts: Int = 8, priority: Int = 0
    ) throws -> Int? {
        try db.queryRow(
            """
            INSERT INTO jobs (workspace_id, kind, payload, run_at, idempotency_key, serial_key, max_attempts, priority)
            VALUES ($1, $2, $3::jsonb, coalesce($4::timestamptz, now()), $5, $6, $7, $8)
            ON CONFLICT ON CONSTRAINT jobs_workspace_idempotency_key DO NOTHING
            RETURNING id
            """,
            [.int(workspace), .text(kind), .text(jsonObject(payload)), .text(runAt), .text(key), .text(serialKey), .int(maxAttempts), .int(priority)]
        ).map { try $0.int(0) }
    }

    /// Cancels a post's jobs that have not started (queued), in the caller's transaction. Returns how many.
    @discardableResult
    public static func cancelQueued(_ db: Connection, workspace: Int, post: Int, kinds: [String]) throws -> Int {
        try db.query(
            """
            UPDATE jobs SET status = 'canceled', finished_at = now(), locked_by = NULL, locked_until = NULL
            WHERE workspace_id = $1 AND (payload ->> 'post')::bigint = $2 AND status = 'queued' AND kind = ANY($3::text[])
            """, [.int(workspace), .int(post), .text(pgArray(kinds))]
        ).affectedRows
    }

    /// Claims the most urgent due job, or nil when none is due, in a transaction of its own across
    /// workspaces: SKIP LOCKED lets workers claim side by side, and the unique index on
    /// running serial keys refuses a second job of the same account (then this answers nil and the
    /// caller tries again later).
    public static func claimOne(_ db: Connection, worker: String, leaseSeconds: Int, kinds: [String]) throws -> Job? {
        do {
            return try acrossWorkspaces(db) { db in
                try db.queryRow(
                    """
                    UPDATE jobs SET status = 'running', locked_by = $1, locked_until = now() + make_interval(secs => $2),
                           attempts = attempts + 1
                    WHERE id = (
                        SELECT j.id FROM jobs j
                        WHERE j.status = 'queued' AND j.run_at <= now() AND j.kind = ANY($3::text[])
                          AND j.attempts < j.max_attempts
                          AND (j.serial_key IS NULL
                               OR NOT EXISTS (SELECT 1 FROM jobs r WHERE r.serial_key = j.serial_key AND r.status = 'running'))
                        ORDER BY j.priority DESC, j.run_at, j.id
                        LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id, workspace_id, kind, \(payloadLines), attempts, max_attempts, idempotency_key
                    """, [.text(worker), .int(leaseSeconds), .text(pgArray(kinds))]
                ).map(job)
            }
        } catch let error as DatabaseError where error.isUniqueViolation {
            return nil
        }
    }

    /// Extends the leases of this worker's running jobs; returns the ids it still holds.
    @discardableResult
    public static func renew(_ db: Connection, worker: String, ids: [Int], leaseSeconds: Int) throws -> [Int] {
        guard !ids.isEmpty else { return [] }
        return try acrossWorkspaces(db) { db in
            try db.query(
                """
                UPDATE jobs SET locked_until = now() + make_interval(secs => $3)
                WHERE locked_by = $1 AND status = 'running' AND id = ANY($2::bigint[]) RETURNING id
                """, [.text(worker), .text(pgArray(ids.map(String.init))), .int(leaseSeconds)]
            ).rows.map { try $0.int(0) }
        }
    }

    /// Running jobs whose lease ran out (their worker died or lost its connection), oldest first.
    public static func expired(_ db: Connection, limit: Int = 100) throws -> [Job] {
        try acrossWorkspaces(db) { db in
            try db.query(
                """
                SELECT id, workspace_id, kind, \(payloadLines), attempts, max_attempts, idempotency_key FROM jobs
                WHERE status = 'running' AND locked_until < now() ORDER BY locked_until LIMIT $1
                """, [.int(limit)]
            ).rows.map(job)
        }
    }

    /// Marks the job done (in the transaction that records its result). False when this worker no
    /// longer holds it (its lease expired and someone else took it over).
    @discardableResult
    public static func complete(_ db: Connection, _ job: Job, worker: String, note: String? = nil) throws -> Bool {
        try finish(db, job, worker: worker, status: "done", error: note)
    }

    /// Gives up: dead, with the reason (an administrator can retry it).
    @discardableResult
    public static func kill(_ db: Connection, _ job: Job, worker: String, error: String) throws -> Bool {
        try finish(db, job, worker: worker, status: "dead", error: error)
    }

    /// Back to the queue, due at `runAt`, with the reason of this attempt.
    @discardableResult
    /// A job whose attempts are used up goes dead instead (a job no handler can finish must not be
    /// claimed forever, ahead of every other).
    public static func retry(_ db: Connection, _ job: Job, worker: String, at runAt: String, error: String) throws -> Bool {
        try db.query(
            """
            UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END, run_at = $3::timestamptz,
                   locked_by = NULL, locked_until = NULL, last_error = left($4, 2000)
            WHERE id = $1 AND locked_by = $2 AND status = 'running'
            """, [.int(job.id), .text(worker), .text(runAt), .text(error)]
        ).affectedRows == 1
    }

    /// Lets a claimed job go without counting the attempt (the worker is stopping before it started).
    public static func release(_ db: Connection, _ job: Job, worker: String) throws {
        try db.query(
            """
            UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL, locked_until = NULL
            WHERE id = $1 AND locked_by = $2 AND status = 'running'
            """, [.int(job.id), .text(worker)])
    }

    /// Takes over a job whose lease expired: it is this caller's now, under a new lease.
    public static func takeOver(_ db: Connection, _ job: Job, worker: String, leaseSeconds: Int) throws -> Bool {
        try acrossWorkspaces(db) { db in
            try db.query(
                """
                UPDATE jobs SET locked_by = $2, locked_until = now() + make_interval(secs => $3)
                WHERE id = $1 AND status = 'running' AND locked_until < now()
                """, [.int(job.id), .text(worker), .int(leaseSeconds)]
            ).affectedRows == 1
        }
    }

    static func finish(_ db: Connection, _ job: Job, worker: String, status: String, error: String?) throws -> Bool {
        try db.query(
            """
            UPDATE jobs SET status = $3, finished_at = now(), locked_by = NULL, locked_until = NULL,
                   last_error = coalesce(left($4, 2000), last_error)
            WHERE id = $1 AND locked_by = $2 AND status = 'running'
            """, [.int(job.id), .text(worker), .text(status), .text(error)]
        ).affectedRows == 1
    }

    static func job(_ row: Row) throws -> Job {
        Job(
            id: try row.int(0), workspaceID: try row.int(1), kind: try row.string(2), payload: fields(row.optionalString(3) ?? ""),
            attempts: try row.int(4), maxAttempts: try row.int(5), idempotencyKey: row.optionalString(6))
    }

    /// The payload as `key=value` lines (payload values are ids and keys Herald wrote: no newlines).
    static let payloadLines = "(SELECT string_agg(key || '=' || replace(value, E'\\n', ' '), E'\\n' ORDER BY key) FROM jsonb_each_text(payload))"

    static func fields(_ lines: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in lines.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return fields
    }

    /// `{"a":"1","b":"x"}` from string fields (values stay strings; numbers are read with `int`).
    static func jsonObject(_ fields: [String: String]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",") + "}"
    }

    /// A PostgreSQL array literal of text values, for `= ANY($1::text[])`.
    static func pgArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingScalars("\\", with: "\\\\").replacingScalars("\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
    }
}
