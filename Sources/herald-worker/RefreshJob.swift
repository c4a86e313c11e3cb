// Renewing tokens ahead of expiry: the maintenance thread queues a refresh_social_token job for
// every active account whose token expires soon (one per expiry, by key), and a sender runs it.
import HeraldDatabase
import HeraldPlatforms
import HeraldQueue

struct RefreshJob {
    let services: WorkerServices
    let db: Connection

    func run(_ job: Job) throws -> String {
        guard let account = job.int("account") else {
            try db.transaction(workspace: job.workspaceID) { db in
                _ = try Jobs.kill(db, job, worker: services.settings.workerID, error: "the job names no account")
            }
            return "no account"
        }
        let outcome = try services.refresher.refresh(db, workspace: job.workspaceID, account: account)
        try db.transaction(workspace: job.workspaceID) { db in
            _ = try Jobs.complete(db, job, worker: services.settings.workerID, note: String(describing: outcome))
        }
        return String(describing: outcome)
    }

    /// Queues a refresh for each active account expiring within `aheadSeconds` (across workspaces:
    /// Jobs.acrossWorkspaces). The key names the expiry, so each is queued once.
    static func enqueueExpiring(_ db: Connection, aheadSeconds: Int) throws {
        try Jobs.acrossWorkspaces(db) { db in
            try db.query(
                """
                INSERT INTO jobs (workspace_id, kind, payload, idempotency_key, serial_key, max_attempts)
                SELECT a.workspace_id, 'refresh_social_token', jsonb_build_object('account', a.id::text),
                       'refresh:' || a.id || ':' || extract(epoch FROM a.token_expires_at)::bigint, 'account:' || a.id, 3
                FROM social_accounts a
                WHERE a.status = 'active' AND a.refresh_token_ciphertext IS NOT NULL
                  AND a.token_expires_at < now() + make_interval(secs => $1)
                ON CONFLICT ON CONSTRAINT jobs_workspace_idempotency_key DO NOTHING
                """, [.int(aheadSeconds)])
        }
    }
}
