// Collecting analytics: threads that claim due post targets and accounts (claim_metric_fetches,
// claim_follower_fetches: the next time moves a lease ahead, so a fetch is never done twice at
// once and never lost to a dead worker), ask the platform, and record what it said with every
// rollup in one transaction (record_post_metrics). Once a day, one of them creates the coming
// months' partitions and drops those past retention.
import Glibc
import HeraldContent
import HeraldCrypto
import HeraldDatabase
import HeraldPlatforms
import HeraldSupport

struct MetricsCollector {
    let services: WorkerServices
    let state: WorkerState

    var settings: WorkerSettings { services.settings }

    /// A collector thread: claim a batch, fetch each, sleep when nothing was due.
    func loop(_ index: Int) {
        var connection: Connection?
        var lastMaintenance: UInt64 = 0
        while !state.stopping.load(ordering: .acquiring) {
            var didWork = false
            do {
                let db = try connection ?? Connection(services.config.databaseURL)
                connection = db
                if index == 0 && (lastMaintenance == 0 || Clock.monotonicNanos() - lastMaintenance > 3_600_000_000_000) {
                    lastMaintenance = Clock.monotonicNanos()
                    try maintainPartitions(db)
                }
                didWork = try collectDuePosts(db) + collectDueFollowers(db) > 0
            } catch {
                Log.error("metrics collector error", ["thread": String(index), "error": String(describing: error)])
                connection = nil
            }
            if !didWork { pause(milliseconds: settings.metricsPollMilliseconds) }
        }
    }

    func pause(milliseconds: Int) {
        var waited = 0
        while waited < milliseconds && !state.stopping.load(ordering: .acquiring) {
            usleep(50_000)
            waited += 50
        }
    }

    /// The lease of a claimed batch: long enough for every fetch in it to time out.
    var leaseSeconds: Int { settings.metricsBatch * settings.publishTimeoutSeconds + 60 }

    /// Creates the next three months' partitions (and this one) and drops raw ones past retention.
    func maintainPartitions(_ db: Connection) throws {
        let created = try db.queryRow("SELECT ensure_post_metrics_partitions(3)")!.int(0)
        let dropped = try db.queryRow("SELECT drop_old_post_metrics_partitions($1)", [.int(settings.metricsRetentionMonths)])!.int(0)
        if created > 0 || dropped > 0 {
            Log.info("metrics partitions", ["created": String(created), "dropped": String(dropped)])
        }
    }

    // MARK: Posts

    func collectDuePosts(_ db: Connection) throws -> Int {
        let due = try db.query(
            "SELECT workspace_id, post_target_id FROM claim_metric_fetches($1, $2)", [.int(settings.metricsBatch), .int(leaseSeconds)]
        ).rows.map { (workspace: try $0.int(0), target: try $0.int(1)) }
        for item in due where !state.stopping.load(ordering: .acquiring) {
            let result = try collectPost(db, workspace: item.workspace, target: item.target)
            Log.info("metrics", ["workspace": String(item.workspace), "target": String(item.target), "result": result])
        }
        return due.count
    }

    /// What a fetch needs, read with the workspace set.
    enum Preparation {
        case fetch(MetricsRequest, any PlatformMetricsReader, account: Int, age: Int)
        case done(String)
    }

    func collectPost(_ db: Connection, workspace: Int, target: Int) throws -> String {
        let preparation = try db.transaction(workspace: workspace) { db -> Preparation in
            guard
                let row = try db.queryRow(
                    """
                    SELECT status, external_post_id, social_account_id, extract(epoch FROM now() - published_at)::bigint
                    FROM post_targets WHERE workspace_id = $1 AND id = $2
                    """, [.int(workspace), .int(target)])
            else { return .done("target gone") }
            guard try row.string(0) == "published", let externalID = row.optionalString(1), let age = try row.optionalInt(3) else {
                try schedule(db, workspace, target, next: nil, note: "Not published.", fetched: false)
                return .done("not published")
            }
            let accountID = try row.int(2)
            guard let account = try SocialAccounts.find(db, workspace: workspace, id: accountID), let platform = account.platform else {
                try schedule(db, workspace, target, next: nil, note: "The channel was removed.", fetched: false)
                return .done("account gone")
            }
            guard account.status == "active", let sealed = account.access else {
                try schedule(db, workspace, target, next: 6 * 3600, note: "Waiting for this channel to be reconnected.", fetched: false)
                return .done("needs reconnect")
            }
            let wait = try PublishStore.rateLimitWait(db, workspace: workspace, account: accountID)
            if wait > 0 {
                try schedule(db, workspace, target, next: wait, note: nil, fetched: false)
                return .done("rate limited for \(wait) s")
            }
            guard let token = try? services.vault.open(sealed, for: SocialAccounts.accessField(accountID)).string() else {
                try schedule(db, workspace, target, next: 3600, note: "Herald cannot open this channel's token.", fetched: false)
                return .done("keyring")
            }
            let request = MetricsRequest(
                platform: platform, accountID: account.externalID, handle: account.handle, serverURL: account.instanceURL,
                accessToken: token, externalPostID: externalID)
            return .fetch(request, services.publishers.metricsReader(for: platform), account: accountID, age: age)
        }
        guard case .fetch(let request, let reader, let account, let age) = preparation else {
            if case .done(let why) = preparation { return why }
            return "skipped"
        }
        let started = Clock.monotonicNanos()
        let outcome = reader.postMetrics(request)
        let millis = Int((Clock.monotonicNanos() - started) / 1_000_000)
        let label = request.platform.label
        return try db.transaction(workspace: workspace) { db in
            try usage(db, workspace, request.platform, "post_metrics", millis)
            switch outcome {
            case .counts(let counts):
                let recorded = try db.queryRow(
                    "SELECT record_post_metrics($1, $2, now(), $3, $4, $5, $6, $7, $8, $9, $10)",
                    [
                        .int(workspace), .int(target), .int(counts.views.map(Int.init)), .int(counts.likes.map(Int.init)),
                        .int(counts.comments.map(Int.init)), .int(counts.shares.map(Int.init)), .int(counts.clicks.map(Int.init)),
                        .int(counts.quotes.map(Int.init)), .int(counts.saves.map(Int.init)), .int(counts.score.map(Int.init)),
                    ])!.bool(0)
                let next = settings.metricsSchedule.delay(afterAge: age)
                try schedule(
                    db, workspace, target, next: next,
                    note: next == nil ? "Collection ended: the post is older than the schedule covers." : nil, fetched: recorded)
                return recorded ? "recorded" : "already recorded"
            case .gone(let reason):
                try schedule(db, workspace, target, next: nil, note: "No longer on \(label): \(reason)", fetched: false)
                return "gone"
            case .unavailable(let reason):
                try schedule(db, workspace, target, next: nil, note: "Not available from \(label): \(reason)", fetched: false)
                return "unavailable"
            case .transient(let reason, let wait):
                if let wait, wait > 0 { try PublishStore.rateLimited(db, workspace: workspace, account: account, seconds: wait) }
                try schedule(db, workspace, target, next: retryDelay(age: age, wait: wait), note: nil, fetched: false)
                return "postponed: \(reason)"
            case .reconnect(let reason):
                try schedule(db, workspace, target, next: 6 * 3600, note: "Waiting for this channel to be reconnected: \(reason)", fetched: false)
                return "needs reconnect"
            }
        }
    }

    /// After a failure: the platform's own wait, else the schedule's step capped at an hour, at
    /// least the retry base. The fetch is postponed, never dropped.
    func retryDelay(age: Int, wait: Int?) -> Int {
        if let wait, wait > 0 { return wait }
        let step = settings.metricsSchedule.delay(afterAge: age) ?? 3600
        return max(settings.retryBaseSeconds, min(step, 3600))
    }

    /// Sets the target's next fetch (`next` seconds from now, nil: none) and its note.
    func schedule(_ db: Connection, _ workspace: Int, _ target: Int, next: Int?, note: String?, fetched: Bool) throws {
        try db.query(
            """
            UPDATE post_targets
            SET metrics_next_at = now() + make_interval(secs => $3), metrics_note = $4,
                metrics_fetches = metrics_fetches + CASE WHEN $5 THEN 1 ELSE 0 END
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(target), .int(next), .text(note.map { String($0.prefix(500)) }), .bool(fetched)])
    }

    // MARK: Followers

    func collectDueFollowers(_ db: Connection) throws -> Int {
        let due = try db.query(
            "SELECT workspace_id, social_account_id FROM claim_follower_fetches($1, $2)", [.int(settings.metricsBatch), .int(leaseSeconds)]
        ).rows.map { (workspace: try $0.int(0), account: try $0.int(1)) }
        for item in due where !state.stopping.load(ordering: .acquiring) {
            let result = try collectFollowers(db, workspace: item.workspace, account: item.account)
            Log.info("followers", ["workspace": String(item.workspace), "account": String(item.account), "result": result])
        }
        return due.count
    }

    func collectFollowers(_ db: Connection, workspace: Int, account accountID: Int) throws -> String {
        let interval = settings.followersIntervalSeconds
        let prepared = try db.transaction(workspace: workspace) { db -> (MetricsRequest, any PlatformMetricsReader)? in
            guard let account = try SocialAccounts.find(db, workspace: workspace, id: accountID), let platform = account.platform,
                account.status == "active", let sealed = account.access
            else { return nil }
            let wait = try PublishStore.rateLimitWait(db, workspace: workspace, account: accountID)
            if wait > 0 {
                try scheduleFollowers(db, workspace, accountID, next: wait, note: nil)
                return nil
            }
            guard let token = try? services.vault.open(sealed, for: SocialAccounts.accessField(accountID)).string() else {
                try scheduleFollowers(db, workspace, accountID, next: 3600, note: "Herald cannot open this channel's token.")
                return nil
            }
            let request = MetricsRequest(
                platform: platform, accountID: account.externalID, handle: account.handle, serverURL: account.instanceURL,
                accessToken: token, externalPostID: "")
            return (request, services.publishers.metricsReader(for: platform))
        }
        guard let (request, reader) = prepared else { return "skipped" }
        let started = Clock.monotonicNanos()
        let outcome = reader.followers(request)
        let millis = Int((Clock.monotonicNanos() - started) / 1_000_000)
        return try db.transaction(workspace: workspace) { db in
            try usage(db, workspace, request.platform, "followers", millis)
            switch outcome {
            case .count(let count):
                try db.query(
                    """
                    INSERT INTO account_followers_daily (workspace_id, social_account_id, day, followers, captured_at)
                    VALUES ($1, $2, (now() AT TIME ZONE 'UTC')::date, $3, now())
                    ON CONFLICT (workspace_id, social_account_id, day) DO UPDATE
                    SET followers = EXCLUDED.followers, captured_at = EXCLUDED.captured_at
                    """, [.int(workspace), .int(accountID), .int(Int(count))])
                try scheduleFollowers(db, workspace, accountID, next: interval, note: nil)
                return "recorded \(count)"
            case .unavailable(let reason):
                try scheduleFollowers(db, workspace, accountID, next: 7 * 86_400, note: "Not available from \(request.platform.label): \(reason)")
                return "unavailable"
            case .transient(let reason, let wait):
                if let wait, wait > 0 { try PublishStore.rateLimited(db, workspace: workspace, account: accountID, seconds: wait) }
                try scheduleFollowers(db, workspace, accountID, next: wait ?? max(settings.retryBaseSeconds, min(interval, 3600)), note: nil)
                return "postponed: \(reason)"
            case .reconnect(let reason):
                try scheduleFollowers(db, workspace, accountID, next: 6 * 3600, note: "Waiting for this channel to be reconnected: \(reason)")
                return "needs reconnect"
            }
        }
    }

    func scheduleFollowers(_ db: Connection, _ workspace: Int, _ account: Int, next: Int, note: String?) throws {
        try db.query(
            "UPDATE social_accounts SET followers_next_at = now() + make_interval(secs => $3), followers_note = $4 WHERE workspace_id = $1 AND id = $2",
            [.int(workspace), .int(account), .int(next), .text(note.map { String($0.prefix(500)) })])
    }

    // MARK: Shared

    /// One row per platform call, for the admin's view of errors and cost.
    func usage(_ db: Connection, _ workspace: Int, _ platform: Platform, _ operation: String, _ millis: Int) throws {
        try db.query(
            "INSERT INTO api_usage (workspace_id, service, operation, duration_ms) VALUES ($1, $2, $3, $4)",
            [.int(workspace), .text(platform.rawValue), .text(operation), .int(max(0, millis))])
    }
}
