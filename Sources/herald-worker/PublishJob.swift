// Sending one post target, and reconciling one whose outcome was unknown. The order is what makes
// "exactly once" hold: the key is stored and the target marked as being sent (committed) before
// the call; the outcome and the job's completion are recorded in one transaction after it. A
// worker that dies between the two leaves a target "publishing" under an expired lease, which the
// rescuer turns into a reconcile, never into a blind second send.
import HeraldBilling
import HeraldContent
import HeraldCrypto
import HeraldDatabase
import HeraldIdentity
import HeraldPlatforms
import HeraldQueue
import HeraldSupport

struct PublishJob {
    let services: WorkerServices
    let db: Connection
    var worker: String { services.settings.workerID }

    /// What to do once the target is locked and checked.
    enum Plan {
        case send(PublishRequest, TargetRow)
        case finished(String)

        /// What the job came to when it ended without a send.
        var result: String {
            if case .finished(let result) = self { return result }
            return "sending"
        }
    }

    // MARK: Publish

    func publish(_ job: Job) throws -> String {
        guard let targetID = job.int("target") else { return try drop(job, "the job names no target") }
        try refreshTokenIfNeeded(job, targetID)
        let plan = try lockAndPrepare(job, targetID) { target in
            if let version = job.int("version"), version != target.postVersion {
                return "the post changed after it was scheduled (version \(version) → \(target.postVersion))"
            }
            guard ["scheduled", "publishing", "partially_published", "failed"].contains(target.postStatus) else {
                return "the post is \(target.postStatus), not scheduled"
            }
            return target.status == "pending" ? nil : "the target is \(target.status)"
        }
        guard case .send(let request, let target) = plan else { return plan.result }
        let outcome = services.publishers.publisher(for: request.platform)!.publish(request)
        return try record(job, target, request, outcome)
    }

    /// Locks the target (and its post) and prepares the send, or ends the job when the target is
    /// gone or `refusal` says why this job no longer applies to it.
    func lockAndPrepare(_ job: Job, _ targetID: Int, refusal: (TargetRow) -> String?) throws -> Plan {
        try db.transaction(workspace: job.workspaceID) { db in
            guard let target = try PublishStore.lockTarget(db, workspace: job.workspaceID, target: targetID) else {
                _ = try Jobs.complete(db, job, worker: worker, note: "the target no longer exists")
                return .finished("target gone")
            }
            if let why = refusal(target) {
                _ = try Jobs.complete(db, job, worker: worker, note: why)
                return .finished(why)
            }
            return try prepare(job, target, db)
        }
    }

    /// Checks the account, waits out a rate limit, opens the token, stores the key and marks the send started.
    func prepare(_ job: Job, _ target: TargetRow, _ db: Connection) throws -> Plan {
        let workspace = job.workspaceID
        guard let account = try SocialAccounts.find(db, workspace: workspace, id: target.accountID) else {
            try fail(job, target, "The channel was removed.", db)
            return .finished("account gone")
        }
        guard let platform = account.platform, services.publishers.publisher(for: platform) != nil else {
            try fail(job, target, "Herald cannot publish to \(account.platformName) yet.", db)
            return .finished("unsupported platform")
        }
        guard account.status == "active", let sealed = account.access else {
            try fail(job, target, "Reconnect this account: \(account.lastError ?? "its connection is no longer active").", db)
            return .finished("needs reconnect")
        }
        let wait = try PublishStore.rateLimitWait(db, workspace: workspace, account: account.id)
        if wait > 0 {
            let at = try db.queryRow("SELECT (now() + make_interval(secs => $1))::text", [.int(wait)])!.string(0)
            _ = try Jobs.retry(db, job, worker: worker, at: at, error: "waiting for \(platform.label)'s rate limit to reset")
            return .finished("rate limited for \(wait) s")
        }
        let token: String
        do {
            guard let text = try services.vault.open(sealed, for: SocialAccounts.accessField(account.id)).string() else {
                throw VaultError.malformed(SocialAccounts.accessField(account.id))
            }
            token = text
        } catch {
            try fail(job, target, "Herald cannot open this account's token (\(error)); an administrator must check the keyring.", db)
            return .finished("keyring")
        }
        if job.kind == JobKind.publish {
            do {
                try PublishCharges.charge(db, workspace: workspace, platform: platform, text: target.text, target: target.targetID, job: job.id)
            } catch let error as CreditError {
                try fail(job, target, "Not published: \(error.description).", db)
                return .finished("not enough credits")
            }
        }
        let key = target.requestKey ?? newRequestKey(platform, target)
        try PublishStore.startSend(db, workspace: workspace, target: target, requestKey: key)
        let request = PublishRequest(
            platform: platform, accountID: account.externalID, handle: account.handle, serverURL: account.instanceURL,
            accessToken: token, text: target.text, title: target.title, requestKey: key,
            secondsSinceFirstSend: target.secondsSinceFirstSend ?? 0)
        return .send(request, target)
    }

    /// Chosen once per target, before its first send: Bluesky wants a record key (TID), the others
    /// get a key unique to the target that Mastodon honours as Idempotency-Key.
    func newRequestKey(_ platform: Platform, _ target: TargetRow) -> String {
        platform == .bluesky ? BlueskyPublisher.newRecordKey() : "herald-\(target.targetID)-\(Sodium.randomToken().prefix(16))"
    }

    // MARK: Outcomes

    /// Records what the platform answered, with the job's completion, in one transaction.
    func record(_ job: Job, _ target: TargetRow, _ request: PublishRequest, _ outcome: PublishOutcome) throws -> String {
        let workspace = job.workspaceID
        return try db.transaction(workspace: workspace) { db in
            // One outcome of a post at a time: its status is computed from every target, so the
            // last of several targets finishing together must see the others' committed outcomes.
            try PublishStore.lockPost(db, workspace: workspace, post: target.postID)
            let result: String
            switch outcome {
            case .published(let externalID, let url):
                try PublishStore.published(db, workspace: workspace, target: target.targetID, externalID: externalID, url: url)
                try finish(Jobs.complete(db, job, worker: worker))
                result = "published \(externalID)"
            case .transient(let reason, let wait):
                if let wait, wait > 0 {
                    try PublishStore.rateLimited(db, workspace: workspace, account: target.accountID, seconds: wait)
                }
                if job.attempts >= job.maxAttempts {
                    try fail(job, target, "\(reason) (gave up after \(job.attempts) attempts)", db, dead: true)
                    result = "failed after \(job.attempts) attempts"
                } else {
                    let delay = RetryPolicy.delaySeconds(
                        attempt: job.attempts, platformWaitSeconds: wait, baseSeconds: services.settings.retryBaseSeconds)
                    let at = try PublishStore.pending(db, workspace: workspace, target: target.targetID, delaySeconds: delay, reason: reason)
                    try finish(Jobs.retry(db, job, worker: worker, at: at, error: reason))
                    result = "retry in \(delay) s"
                }
            case .permanent(let reason):
                try fail(job, target, reason, db)
                result = "failed"
            case .reconnect(let reason):
                try SocialAccounts.markNeedsReconnect(db, workspace: workspace, id: target.accountID, reason: reason)
                try fail(job, target, "Reconnect this account: \(reason)", db)
                result = "needs reconnect"
            case .unknown(let reason):
                try PublishStore.unconfirmed(
                    db, workspace: workspace, target: target.targetID,
                    reason: "Not confirmed yet: \(reason). Herald is asking \(request.platform.label) whether it went out.")
                try enqueueReconcile(db, workspace: workspace, target: target)
                try finish(Jobs.complete(db, job, worker: worker, note: reason))
                result = "unconfirmed"
            }
            try PublishStore.refreshPostStatus(db, workspace: workspace, post: target.postID)
            return result
        }
    }

    /// The target failed for good: the reason is kept, the author is told, the job ends.
    func fail(_ job: Job, _ target: TargetRow, _ reason: String, _ db: Connection, dead: Bool = false) throws {
        try PublishStore.failed(db, workspace: job.workspaceID, target: target.targetID, reason: reason)
        try PublishCharges.refund(db, workspace: job.workspaceID, target: target.targetID)
        if dead {
            try finish(Jobs.kill(db, job, worker: worker, error: reason))
        } else {
            try finish(Jobs.complete(db, job, worker: worker, note: reason))
        }
        try PublishStore.refreshPostStatus(db, workspace: job.workspaceID, post: target.postID)
        if let author = target.authorID, let person = try PublishStore.author(db, user: author) {
            let title = target.title ?? String(target.text.prefix(60))
            try Mailer.send(
                db, to: person.email, subject: "A post could not be published: \(String(title.prefix(80)))",
                body: """
                    Hello \(person.name),

                    Herald could not publish "\(title)" to one of its channels:

                    \(reason)

                    The post's page shows every channel's state:
                    \(services.config.baseURL)/w/\(try workspaceSlug(db, job.workspaceID))/posts/\(target.postID)
                    """, config: services.config)
        }
    }

    func workspaceSlug(_ db: Connection, _ workspace: Int) throws -> String {
        try db.queryRow("SELECT slug FROM workspaces WHERE id = $1", [.int(workspace)])?.string(0) ?? "-"
    }

    /// A job this worker no longer holds (its lease expired and another took it over) must not
    /// record anything: roll back, the other one decides.
    func finish(_ stillOurs: Bool) throws {
        guard stillOurs else { throw LeaseLost() }
    }

    func enqueueReconcile(_ db: Connection, workspace: Int, target: TargetRow) throws {
        try Jobs.enqueue(
            db, workspace: workspace, kind: JobKind.reconcile,
            payload: ["post": String(target.postID), "target": String(target.targetID), "account": String(target.accountID)],
            runAt: try db.queryRow("SELECT (now() + make_interval(secs => $1))::text", [.int(services.settings.reconcileDelaySeconds)])!.string(0),
            key: "reconcile:\(target.targetID):\(target.attempts + 1)", serialKey: "account:\(target.accountID)", maxAttempts: 10)
    }

    func drop(_ job: Job, _ reason: String) throws -> String {
        try db.transaction(workspace: job.workspaceID) { db in _ = try Jobs.kill(db, job, worker: worker, error: reason) }
        return reason
    }

    // MARK: Reconcile

    /// Asks the platform about an unconfirmed target: adopt the post if it is live, send it now if
    /// the platform certainly has none, ask again later if it cannot tell.
    func reconcile(_ job: Job) throws -> String {
        guard let targetID = job.int("target") else { return try drop(job, "the job names no target") }
        try refreshTokenIfNeeded(job, targetID)
        let plan = try lockAndPrepare(job, targetID) { target in
            target.status == "unconfirmed" ? nil : "the target is \(target.status)"
        }
        guard case .send(let request, let target) = plan else { return plan.result }
        let publisher = services.publishers.publisher(for: request.platform)!
        switch publisher.reconcile(request) {
        case .found(let externalID, let url):
            return try record(job, target, request, .published(externalID: externalID, url: url)) + " (adopted)"
        case .notFound:
            return try record(job, target, request, publisher.publish(request)) + " (sent after reconcile)"
        case .reconnect(let reason):
            return try record(job, target, request, .reconnect(reason: reason))
        case .undecided(let reason, let wait):
            return try db.transaction(workspace: job.workspaceID) { db in
                if job.attempts >= job.maxAttempts {
                    try PublishStore.unconfirmed(
                        db, workspace: job.workspaceID, target: target.targetID,
                        reason: "Herald could not confirm with \(request.platform.label) whether this went out (\(reason)). "
                            + "Check the account: mark it live with its address, or press Retry to have Herald check again.")
                    try finish(Jobs.kill(db, job, worker: worker, error: reason))
                    try PublishStore.refreshPostStatus(db, workspace: job.workspaceID, post: target.postID)
                    return "still unconfirmed"
                }
                let delay = RetryPolicy.delaySeconds(
                    attempt: job.attempts, platformWaitSeconds: wait, baseSeconds: services.settings.retryBaseSeconds)
                try PublishStore.unconfirmed(db, workspace: job.workspaceID, target: target.targetID, reason: "Not confirmed yet: \(reason)")
                let at = try db.queryRow("SELECT (now() + make_interval(secs => $1))::text", [.int(delay)])!.string(0)
                try finish(Jobs.retry(db, job, worker: worker, at: at, error: reason))
                return "undecided, again in \(delay) s"
            }
        }
    }

    // MARK: Tokens

    /// Renews the account's token just before a send when it expires within two minutes.
    func refreshTokenIfNeeded(_ job: Job, _ targetID: Int) throws {
        let expiring = try db.transaction(workspace: job.workspaceID) { db in
            try db.queryRow(
                """
                SELECT a.id FROM post_targets t JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
                WHERE t.workspace_id = $1 AND t.id = $2 AND a.status = 'active'
                  AND a.token_expires_at < now() + interval '2 minutes' AND a.refresh_token_ciphertext IS NOT NULL
                """, [.int(job.workspaceID), .int(targetID)]
            ).map { try $0.int(0) }
        }
        guard let account = expiring else { return }
        let outcome = try services.refresher.refresh(db, workspace: job.workspaceID, account: account)
        Log.info("token refreshed before sending", ["account": String(account), "outcome": String(describing: outcome)])
    }
}

/// This worker's lease on a job ran out and another worker took it over.
struct LeaseLost: Error, CustomStringConvertible {
    var description: String { "the job's lease expired and another worker took it over" }
}
