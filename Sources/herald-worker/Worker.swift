// The worker's loop: a fixed pool of sender threads that claim due jobs one at a time (FOR UPDATE
// SKIP LOCKED, under a lease), a listener that wakes them on NOTIFY, a maintenance thread that
// renews leases, rescues jobs whose worker died, and queues token refreshes, and the analytics
// collector threads (MetricsCollector). SIGTERM or SIGINT:
// stop claiming, let in-flight jobs finish, exit.
import Glibc
import HeraldCrypto
import HeraldDatabase
import HeraldPlatforms
import HeraldQueue
import HeraldSupport
import Synchronization

/// Everything the threads share; immutable or internally synchronised.
struct WorkerServices: Sendable {
    let config: Config
    let settings: WorkerSettings
    let vault: TokenVault
    let publishers: Publishers
    let refresher: TokenRefresher
    /// The language model, when HERALD_AI_BASE_URL names one.
    let chat: ChatClient?
    /// Pages and files users point Herald at (AI sources): only public addresses.
    let guarded: GuardedFetch
}

/// The jobs this worker runs.
enum JobKind {
    static let publish = "publish_post_target"
    static let reconcile = "reconcile_post_target"
    static let refresh = "refresh_social_token"
    static let generate = "generate_post"
    static let ingest = "ingest_source"
    static let learnStyle = "learn_persona_style"
    static let weeklySummary = "weekly_summary"
    static let all = [publish, reconcile, refresh, generate, ingest, learnStyle, weeklySummary]
}

/// The worker's shared state between threads.
final class WorkerState: Sendable {
    let stopping = Atomic<Bool>(false)
    /// Bumped by the listener on each notification; sleeping senders look when it changes.
    let wakeups = Atomic<Int>(0)
    let busy = Atomic<Int>(0)
    let running = Mutex<Set<Int>>([])
}

struct Worker {
    let services: WorkerServices
    let state = WorkerState()

    func run() -> Never {
        // Block the stop signals in every thread; this one takes them with sigwait.
        var signals = blockStopSignals()

        let settings = services.settings
        let threads = Atomic<Int>(0)
        for index in 0..<settings.concurrency {
            threads.add(1, ordering: .relaxed)
            let worker = self
            startThread {
                worker.senderLoop(index)
                threads.subtract(1, ordering: .releasing)
            }
        }
        for index in 0..<settings.metricsThreads {
            threads.add(1, ordering: .relaxed)
            let collector = MetricsCollector(services: services, state: state)
            startThread {
                collector.loop(index)
                threads.subtract(1, ordering: .releasing)
            }
        }
        let worker = self
        startThread { worker.listenLoop() }
        startThread { worker.maintenanceLoop() }
        Log.info(
            "worker started", ["worker": settings.workerID, "concurrency": String(settings.concurrency), "lease_s": String(settings.leaseSeconds)])

        while true {
            var received: Int32 = 0
            _ = sigwait(&signals, &received)
            if received == Int32(SIGHUP) {
                services.vault.reload()
                continue
            }
            break
        }
        Log.info("stopping: letting in-flight jobs finish", ["in_flight": String(state.busy.load(ordering: .acquiring))])
        state.stopping.store(true, ordering: .releasing)
        // Senders finish the job in hand (a send is bounded by the publish timeout) and then exit.
        let deadline = Clock.monotonicNanos() + UInt64(settings.publishTimeoutSeconds * 3 + 5) * 1_000_000_000
        while threads.load(ordering: .acquiring) > 0 && Clock.monotonicNanos() < deadline { usleep(20_000) }
        Log.info("stopped", ["in_flight": String(state.busy.load(ordering: .acquiring))])
        exit(0)
    }

    /// A sender: claim a due job, run it, repeat; sleep until woken or the poll interval passes.
    func senderLoop(_ index: Int) {
        var connection: Connection?
        var failures = 0
        while !state.stopping.load(ordering: .acquiring) {
            do {
                let db = try connection ?? openConnection()
                connection = db
                if try claimAndRun(db) {
                    failures = 0
                    continue
                }
                failures = 0
            } catch {
                // PostgreSQL restarting, or a bug in one job: log, drop the connection, back off a little.
                failures += 1
                Log.error("worker thread error", ["thread": String(index), "error": String(describing: error)])
                connection = nil
                sleepUnlessWoken(milliseconds: min(5000, 200 * failures))
                continue
            }
            sleepUnlessWoken(milliseconds: services.settings.pollMilliseconds)
        }
    }

    /// Claims one job and runs it; false when nothing was due.
    func claimAndRun(_ db: Connection) throws -> Bool {
        let settings = services.settings
        guard let job = try Jobs.claimOne(db, worker: settings.workerID, leaseSeconds: settings.leaseSeconds, kinds: JobKind.all) else {
            return false
        }
        state.busy.add(1, ordering: .relaxed)
        state.running.withLock { _ = $0.insert(job.id) }
        defer {
            state.running.withLock { _ = $0.remove(job.id) }
            state.busy.subtract(1, ordering: .relaxed)
        }
        let started = Clock.monotonicNanos()
        let result: String
        do {
            result = try run(job, db)
        } catch let error as DatabaseError where error.isConnectionFailure {
            throw error
        } catch  where job.kind == JobKind.publish || job.kind == JobKind.reconcile {
            // A send may have started: its lease runs out and Rescue reconciles it, never a blind retry.
            throw error
        } catch {
            // A bug or bad data in any other job: it goes back to the queue with a backoff (dead once its
            // attempts are used up), so it never blocks the queue or waits out its lease.
            let delay = RetryPolicy.backoffSeconds(attempt: job.attempts, baseSeconds: settings.retryBaseSeconds)
            _ = try? db.transaction(workspace: job.workspaceID) { db in
                let at = try db.queryRow("SELECT (now() + make_interval(secs => $1))::text", [.int(delay)])!.string(0)
                return try Jobs.retry(db, job, worker: settings.workerID, at: at, error: "herald-worker failed: \(error)")
            }
            Log.error("job failed", ["id": String(job.id), "kind": job.kind, "attempt": String(job.attempts), "error": String(describing: error)])
            return true
        }
        Log.info(
            "job",
            [
                "id": String(job.id), "kind": job.kind, "attempt": String(job.attempts), "result": result,
                "duration_ms": String((Clock.monotonicNanos() - started) / 1_000_000),
            ])
        return true
    }

    /// Runs one claimed job by its kind.
    func run(_ job: Job, _ db: Connection) throws -> String {
        let settings = services.settings
        let result: String
        switch job.kind {
        case JobKind.publish: result = try PublishJob(services: services, db: db).publish(job)
        case JobKind.reconcile: result = try PublishJob(services: services, db: db).reconcile(job)
        case JobKind.refresh: result = try RefreshJob(services: services, db: db).run(job)
        case JobKind.generate: result = try GenerateJob(services: services, db: db).run(job)
        case JobKind.ingest: result = try IngestSourceJob(services: services, db: db).run(job)
        case JobKind.learnStyle: result = try LearnStyleJob(services: services, db: db).run(job)
        case JobKind.weeklySummary: result = try WeeklySummaryJob(services: services, db: db).run(job)
        default:
            try db.transaction(workspace: job.workspaceID) { db in
                _ = try Jobs.kill(db, job, worker: settings.workerID, error: "herald-worker does not run \(job.kind) jobs")
            }
            result = "unknown kind"
        }
        return result
    }

    /// A connection of the worker's. Claims see every workspace's queue in transactions of their own
    /// (Jobs.acrossWorkspaces); each job then runs with its tenant set.
    func openConnection() throws -> Connection { try Connection(services.config.databaseURL) }

    /// Sleeps in short steps until the time passes, a notification arrives, or the worker stops.
    func sleepUnlessWoken(milliseconds: Int) {
        let seen = state.wakeups.load(ordering: .acquiring)
        var waited = 0
        while waited < milliseconds && !state.stopping.load(ordering: .acquiring) && state.wakeups.load(ordering: .acquiring) == seen {
            usleep(20_000)
            waited += 20
        }
    }

    /// LISTEN herald_jobs: every notification wakes the sleeping senders.
    func listenLoop() {
        var listener: Listener?
        while !state.stopping.load(ordering: .acquiring) {
            do {
                let active = try listener ?? Listener(services.config.databaseURL, channel: "herald_jobs")
                listener = active
                if try active.wait(timeoutMilliseconds: 1000) { state.wakeups.add(1, ordering: .releasing) }
            } catch {
                listener = nil
                usleep(1_000_000)
            }
        }
    }

    /// Every third of a lease: renew this worker's leases, rescue expired ones, queue token refreshes.
    func maintenanceLoop() {
        let settings = services.settings
        var connection: Connection?
        let interval = max(1, settings.leaseSeconds / 3)
        var lastRefreshScan: UInt64 = 0
        while !state.stopping.load(ordering: .acquiring) {
            do {
                let db = try connection ?? openConnection()
                connection = db
                let held = state.running.withLock { Array($0) }
                try Jobs.renew(db, worker: settings.workerID, ids: held, leaseSeconds: settings.leaseSeconds)
                try Rescue(services: services, db: db).expiredLeases()
                if Clock.monotonicNanos() - lastRefreshScan > 60_000_000_000 {
                    lastRefreshScan = Clock.monotonicNanos()
                    try RefreshJob.enqueueExpiring(db, aheadSeconds: settings.refreshAheadSeconds)
                    try WeeklySummaryJob.enqueueDue(db)
                    try AIRetention.expire(db, days: settings.aiRetentionDays)
                }
            } catch {
                Log.error("worker maintenance error", ["error": String(describing: error)])
                connection = nil
            }
            var waited = 0
            while waited < interval * 1000 && !state.stopping.load(ordering: .acquiring) {
                usleep(50_000)
                waited += 50
            }
        }
    }
}
