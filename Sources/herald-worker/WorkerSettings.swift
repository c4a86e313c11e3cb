// The worker's own settings, read once at start beside the shared Config (README: Configuration).
import Glibc
import HeraldSupport

struct WorkerSettings: Sendable {
    /// Names this worker in `jobs.locked_by`: host and pid unless HERALD_WORKER_ID says otherwise.
    let workerID: String
    /// Jobs run at once (threads); one job per social account at a time whatever this is.
    let concurrency: Int
    /// How long a claimed job is this worker's before another may take it over; renewed every third.
    let leaseSeconds: Int
    /// How often the worker looks for due jobs when no notification woke it.
    let pollMilliseconds: Int
    /// How long one call to a platform may take. Kept well under the lease.
    let publishTimeoutSeconds: Int
    /// Refresh tokens that expire within this many seconds.
    let refreshAheadSeconds: Int
    /// The first retry's delay after a transient failure; each further one doubles it (RetryPolicy).
    let retryBaseSeconds: Int
    /// How long after an unanswered send Herald first asks the platform whether it went out.
    let reconcileDelaySeconds: Int
    /// Threads fetching analytics (post metrics and follower counts); 0 turns collection off.
    let metricsThreads: Int
    /// Targets (and accounts) one collector thread claims at a time.
    let metricsBatch: Int
    /// How often an idle collector looks for due fetches.
    let metricsPollMilliseconds: Int
    /// When a published post's metrics are fetched as it ages (MetricsSchedule).
    let metricsSchedule: MetricsSchedule
    /// Seconds between two readings of an account's follower count.
    let followersIntervalSeconds: Int
    /// Raw snapshot partitions older than this many months are dropped (rollups stay); 0 keeps all.
    let metricsRetentionMonths: Int
    /// Days a workspace's exchanges with the language model are kept for its audit.
    let aiRetentionDays: Int

    static func fromEnvironment() throws -> WorkerSettings {
        let env = Environment()
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let defaultID = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + ":\(getpid())"
        let lease = try env.int("HERALD_WORKER_LEASE_SECONDS", default: 60, range: 10...3600)
        let timeout = try env.int("HERALD_PUBLISH_TIMEOUT_SECONDS", default: 20, range: 1...600)
        guard timeout * 2 < lease else {
            throw ConfigError(description: "HERALD_PUBLISH_TIMEOUT_SECONDS=\(timeout) must stay under half of HERALD_WORKER_LEASE_SECONDS=\(lease)")
        }
        return WorkerSettings(
            workerID: try env.string("HERALD_WORKER_ID", default: defaultID),
            concurrency: try env.int("HERALD_WORKER_CONCURRENCY", default: 4, range: 1...64),
            leaseSeconds: lease,
            pollMilliseconds: try env.int("HERALD_WORKER_POLL_MS", default: 2000, range: 50...60_000),
            publishTimeoutSeconds: timeout,
            refreshAheadSeconds: try env.int("HERALD_REFRESH_AHEAD_SECONDS", default: 900, range: 60...86_400),
            retryBaseSeconds: try env.int("HERALD_RETRY_BASE_SECONDS", default: 30, range: 1...3600),
            reconcileDelaySeconds: try env.int("HERALD_RECONCILE_DELAY_SECONDS", default: 10, range: 0...3600),
            metricsThreads: try env.int("HERALD_METRICS_THREADS", default: 2, range: 0...32),
            metricsBatch: try env.int("HERALD_METRICS_BATCH", default: 10, range: 1...500),
            metricsPollMilliseconds: try env.int("HERALD_METRICS_POLL_MS", default: 5000, range: 50...600_000),
            metricsSchedule: try MetricsSchedule.parse(try env.string("HERALD_METRICS_SCHEDULE", default: MetricsSchedule.standard)),
            followersIntervalSeconds: try env.int("HERALD_FOLLOWERS_INTERVAL_SECONDS", default: 86_400, range: 1...2_592_000),
            metricsRetentionMonths: try env.int("HERALD_METRICS_RETENTION_MONTHS", default: 13, range: 0...1200),
            aiRetentionDays: try env.int("HERALD_AI_RETENTION_DAYS", default: 90, range: 1...3650))
    }
}
