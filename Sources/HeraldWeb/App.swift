// A FastCGI program: its route table, the hooks the layers above plug in, and the one place that
// turns thrown errors into status pages and writes the request's log line.
import Glibc
public import HeraldCrypto
import HeraldDatabase
public import HeraldFastCGI
public import HeraldHTML
public import HeraldSupport
import Synchronization

/// A page action. Reads the way every handler does: load → authorize → validate → write → render or redirect.
public typealias Handler = @Sendable (RequestContext) throws -> Response

/// Thrown by a handler to answer with a redirect, e.g. to the login page.
public struct Redirect: Error {
    public let location: String
    public init(_ location: String) { self.location = location }
}

/// Things every thread of a program shares; all immutable or internally synchronised.
public struct Services: Sendable {
    public let config: Config
    public let hasher: PasswordHasher
    /// Seals and opens tokens; loads the keyring on first use and re-reads it on SIGHUP or change.
    public let vault: TokenVault

    public init(config: Config) {
        self.config = config
        hasher = PasswordHasher(opsLimit: config.argon2OpsLimit, memLimit: config.argon2MemLimitBytes)
        vault = TokenVault(path: config.keyringFile)
    }
}

/// What the layers above this one plug into every request (the identity layer: sessions, CSRF and
/// the site's layout). The defaults are bare, for programs and tests that need none of it.
public struct RequestHooks: Sendable {
    /// Runs before every POST handler; throws to refuse it (the CSRF check).
    public var beforePost: @Sendable (RequestContext) throws -> Void
    /// The page shown for an error status. The context is nil when the request could not even be read.
    public var errorPage: @Sendable (RequestContext?, HTTPError) -> Response
    /// Who made the request, for the log line.
    public var actor: @Sendable (RequestContext) -> String

    public init(
        beforePost: @escaping @Sendable (RequestContext) throws -> Void = { _ in },
        errorPage: @escaping @Sendable (RequestContext?, HTTPError) -> Response = { _, error in RequestHooks.plainErrorPage(error) },
        actor: @escaping @Sendable (RequestContext) -> String = { _ in "-" }
    ) {
        self.beforePost = beforePost
        self.errorPage = errorPage
        self.actor = actor
    }

    /// A minimal error page: the status, its title and message, escaped.
    public static func plainErrorPage(_ error: HTTPError) -> Response {
        .html(
            """
            <!doctype html><html lang="en"><meta charset="utf-8"><title>\(error.title)</title>\
            <h1>\(error.title)</h1><p>\(error.message)</p></html>
            """, status: error.status)
    }
}

extension Response {
    /// An HTML page.
    public static func html(_ page: HTML, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: page.bytes)
    }
}

public struct App: Sendable {
    /// The program's name in the manifest without `herald-` (`posts`): its socket is `<name>.sock`.
    public let name: String
    public let routes: Router<Handler>
    public let services: Services
    public let hooks: RequestHooks
    /// Requests by status, their durations and the database connections open, written to
    /// `<metrics dir>/<name>.prom` for `GET /metrics` (herald-admin).
    public let metrics: ProgramMetrics
    /// The program's connections to the primary, and to the read replica when one is configured.
    let pool: ConnectionPool
    let replicaPool: ConnectionPool?

    public init(name: String, services: Services, routes: Router<Handler>, hooks: RequestHooks = RequestHooks()) {
        self.name = name
        self.routes = routes
        self.services = services
        self.hooks = hooks
        metrics = ProgramMetrics(program: "herald-" + name)
        let config = services.config
        let wait = Double(config.databasePoolWaitSeconds)
        pool = ConnectionPool(conninfo: config.databaseURL, size: config.databasePoolSize, waitSeconds: wait)
        replicaPool = config.readDatabaseURL.map { ConnectionPool(conninfo: $0, size: config.databasePoolSize, waitSeconds: wait) }
    }

    /// Checks the schema, then serves on `<socket dir>/<name>.sock` until stopped.
    public func run() -> Never {
        let config = services.config
        do {
            let migrations = try Migration.load(directory: config.migrationsDirectory)
            let connection = try Connection(config.databaseURL)
            try Migrator.requireCurrent(connection: connection, migrations: migrations)
        } catch {
            Log.error("cannot start herald-\(name): \(error)")
            exit(1)
        }
        let options = ServerOptions(socketPath: config.socketPath(for: name), threads: config.threads, maxBodyBytes: config.maxBodyBytes)
        metrics.setGauge("threads", Double(config.threads))
        metrics.setGauge("db_pool_size", Double(config.databasePoolSize))
        let app = self
        metrics.startWriting(directory: config.metricsDirectory) { app.recordPoolUse() }
        do {
            try FastCGIServer.run(
                options: options, onReload: { app.services.vault.reload() },
                onDrained: {
                    // Mail still being handed over after its page's answer: let it finish (8 s at most; with
                    // the 10 s drain, within systemd's TimeoutStopSec of 30 s).
                    let deadline = Clock.monotonicNanos() + 8_000_000_000
                    while workAfterAnswers.load(ordering: .acquiring) > 0 && Clock.monotonicNanos() < deadline { usleep(10_000) }
                },
                makeHandler: { AppHandler(app: app) })
        } catch {
            Log.error("cannot start herald-\(name): \(error)")
            exit(1)
        }
    }

    /// The pools' state into the metrics file (sampled before each write of it).
    func recordPoolUse() {
        let usages = [pool.usage] + (replicaPool.map { [$0.usage] } ?? [])
        metrics.setGauge("db_connections_open", Double(usages.reduce(0) { $0 + $1.open }))
        metrics.setGauge("db_connections_lent", Double(usages.reduce(0) { $0 + $1.lent }))
        metrics.setGauge("db_pool_waits_total", Double(usages.reduce(0) { $0 + $1.waits }))
        metrics.setGauge("db_pool_timeouts_total", Double(usages.reduce(0) { $0 + $1.timeouts }))
    }

    /// `--routes` prints the route table (`GET /w/{slug}/posts` per line) and exits: the
    /// end-to-end routing test sends one request for each through nginx.
    public static func printRoutesIfAsked(_ routes: Router<Handler>) {
        guard CommandLine.arguments.dropFirst().contains("--routes") else { return }
        var text = ""
        for route in routes.table { text += "\(route.method) \(route.pattern)\n" }
        _ = text.withCString { write(1, $0, strlen($0)) }
        exit(0)
    }
}

/// One per worker thread. A request borrows a connection from the program's pool on its first query
/// (and one to the read replica, when configured, on its first read there) and gives it back with its
/// answer: the connections a program holds stay at most HERALD_DB_POOL_SIZE however many threads it has.
final class AppHandler: RequestHandler {
    let app: App
    /// The primary's connection this request borrowed, if any.
    private var lease: Connection?
    private let replica: ReplicaConnection?

    init(app: App) {
        self.app = app
        replica = app.replicaPool.map { ReplicaConnection(pool: $0) }
    }

    func database() throws -> Connection {
        if let lease { return lease }
        let borrowed = try app.pool.borrow()
        borrowed.defersUntilAnswered = true
        lease = borrowed
        return borrowed
    }

    /// A 503 page with `Retry-After`, for a request stopped before it changed anything; logged.
    private func retryLater(
        _ context: RequestContext, after seconds: Int, logged: String, _ error: String, _ title: String, _ message: String
    ) -> Response {
        Log.error(logged, ["error": error, "request_id": context.request.requestID])
        var response = context.errorResponse(HTTPError(503, title, message))
        response.setHeader("Retry-After", String(seconds))
        return response
    }

    /// The answer is out (its stream written, the request ended to nginx): gives back what the
    /// request borrowed, after the work it deferred until then.
    func finished() { giveBack() }

    /// Gives back what the request borrowed.
    private func giveBack() {
        giveBackPrimary()
        replica?.giveBack()
    }

    /// Gives the connection back in the middle of a request (before slow work that needs none), unless
    /// the request deferred work until its answer: that work runs only once the answer is out.
    private func releaseIdlePrimary() {
        guard let lease, !lease.hasWorkAfterAnswer else { return }
        giveBackPrimary()
    }

    /// Gives the connection back; work the request deferred until its answer was out
    /// (`Connection.afterAnswer`) runs first, on a thread of its own, so that this thread (and the kept
    /// nginx connection it serves) takes the next request at once: a request that follows one which
    /// mailed is not slower than one that follows a request which did not.
    private func giveBackPrimary() {
        guard let lease, !lease.isInTransaction else { return }
        self.lease = nil
        guard lease.hasWorkAfterAnswer else {
            lease.defersUntilAnswered = false
            app.pool.giveBack(lease)
            return
        }
        let handoff = Handoff(connection: lease, pool: app.pool)
        workAfterAnswers.add(1, ordering: .relaxed)
        let work: @Sendable () -> Void = {
            handoff.connection.runAfterAnswer()
            handoff.pool.giveBack(handoff.connection)
            workAfterAnswers.subtract(1, ordering: .releasing)
        }
        if !startThread(work) { work() }  // no thread to be had: here, rather than never
    }

    func handle(_ request: Request) -> Response {
        let started = Clock.monotonicNanos()
        let context = RequestContext(
            request: request, services: app.services, hooks: app.hooks,
            database: { [unowned self] in try self.database() }, releaseDatabase: { [unowned self] in self.releaseIdlePrimary() },
            replica: replica)
        var response: Response
        var loggedPath = request.path
        switch app.routes.match(method: request.method, path: request.path) {
        case .found(let handler, let params):
            context.pathParameters = params
            loggedPath = Self.redacted(request.path, params)
            response = run(handler, context)
        case .methodNotAllowed:
            response = context.errorResponse(.methodNotAllowed)
        case .notFound:
            response = context.errorResponse(.notFound)
        }
        for cookie in context.responseCookies { response.addHeader("Set-Cookie", cookie) }
        addCommonHeaders(&response)
        let micros = (Clock.monotonicNanos() - started) / 1000
        app.metrics.recordRequest(status: response.status, seconds: Double(micros) / 1e6)
        Log.info(
            "request",
            [
                "method": request.method, "path": loggedPath, "status": String(response.status),
                "duration_ms": String(Double(micros) / 1000), "request_id": request.requestID,
                "user": app.hooks.actor(context),
            ])
        return response
    }

    /// Path parameters that are secrets (a password reset, an email confirmation or an invitation
    /// token, a calendar feed's file name): the log shows the route with `[redacted]` in their place.
    static let secretParameters: Set<String> = ["token", "file"]

    static func redacted(_ path: String, _ params: [String: String]) -> String {
        let secrets = Set(params.filter { secretParameters.contains($0.key) && !$0.value.isEmpty }.map(\.value))
        guard !secrets.isEmpty else { return path }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { secrets.contains(String($0)) ? "[redacted]" : String($0) }.joined(separator: "/")
    }

    func reject(_ error: HTTPError, method: String, path: String, requestID: String) -> Response {
        Log.info("request", ["method": method, "path": path, "status": String(error.status), "request_id": requestID])
        app.metrics.recordRequest(status: error.status, seconds: 0)
        var response = app.hooks.errorPage(nil, error)
        addCommonHeaders(&response)
        return response
    }

    private func addCommonHeaders(_ response: inout Response) {
        response.addHeader("Cache-Control", "no-store")
        response.addHeader("X-Content-Type-Options", "nosniff")
        response.addHeader("X-Frame-Options", "DENY")
        response.addHeader("Referrer-Policy", "same-origin")
        response.addHeader(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        // Which program answered (the manifest's name): the routing test checks every route by it.
        response.addHeader("X-Herald-Program", app.name)
    }

    private func run(_ handler: Handler, _ context: RequestContext) -> Response {
        do {
            if context.request.method == "POST" { try app.hooks.beforePost(context) }
            return try handler(context)
        } catch let redirect as Redirect {
            return .redirect(to: redirect.location)
        } catch let error as HTTPError {
            return context.errorResponse(error)
        } catch let error as any UserFacingError {
            return context.errorResponse(HTTPError(error))
        } catch let error as DatabaseError where error.isTimeout {
            // statement_timeout or lock_timeout (set for the app role): the transaction was rolled back.
            return retryLater(
                context, after: 5, logged: "database statement timed out", error.description, "Taking too long",
                "Herald's database took too long to answer this request, so it was stopped and nothing was changed. Try again in a moment.")
        } catch let error as PoolExhausted {
            return retryLater(
                context, after: 2, logged: "no database connection free", error.description, "Busy right now",
                "Herald is answering many requests at once and could not take this one. Nothing was changed; try again in a few seconds.")
        } catch let error as DatabaseError where error.isConnectionFailure {
            // Perhaps the replica failed under a page that read through readDB() rather than
            // withReadDB: if so, the next requests read from the primary.
            if context.handedOutReplica { replica?.checkAfterFailure() }
            Log.error("database unavailable", ["error": error.description, "request_id": context.request.requestID])
            return context.errorResponse(
                HTTPError(503, "Temporarily unavailable", "Herald cannot reach its database right now. Try again in a moment."))
        } catch {
            Log.error("unhandled error", ["error": String(describing: error), "path": context.request.path, "request_id": context.request.requestID])
            return context.errorResponse(
                HTTPError(
                    500, "Something went wrong",
                    "Herald could not finish this request. Nothing was changed; try again, and if it keeps happening tell your administrator."))
        }
    }
}

/// Whether the read replica is usable, shared by every thread of a program. After a failure every
/// thread reads from the primary for `holdDownSeconds`; then one thread (not all of them at once)
/// tries the replica again, and the others follow once it answered. Logs when the replica goes
/// down and when it comes back (the error, never the connection string).
final class ReplicaHealth: Sendable {
    static let shared = ReplicaHealth()

    private let holdDownNanos: UInt64
    /// The monotonic instant until which the replica is left alone; 0 while it is up.
    private let downUntil = Atomic<UInt64>(0)
    /// When it went down (monotonic), for the log line when it comes back.
    private let downSince = Atomic<UInt64>(0)

    init(holdDownSeconds: Double = 5) { holdDownNanos = UInt64(holdDownSeconds * 1e9) }

    enum Admission {
        /// Use the replica.
        case up
        /// Read from the primary.
        case down
        /// The hold-down is over and this thread tries the replica (with a new connection).
        case probe
    }

    var isDown: Bool { downUntil.load(ordering: .acquiring) != 0 }

    func admission() -> Admission {
        let until = downUntil.load(ordering: .acquiring)
        if until == 0 { return .up }
        let now = Clock.monotonicNanos()
        guard now >= until else { return .down }
        // Pushing the deadline out claims the one try; a thread that lost the race keeps to the primary.
        let claimed = downUntil.compareExchange(expected: until, desired: now + holdDownNanos, ordering: .acquiringAndReleasing).exchanged
        return claimed ? .probe : .down
    }

    func markDown(_ error: any Error) {
        let now = Clock.monotonicNanos()
        guard downUntil.exchange(now + holdDownNanos, ordering: .acquiringAndReleasing) == 0 else { return }
        downSince.store(now, ordering: .releasing)
        Log.error(
            "read replica unavailable: reading from the primary",
            ["error": String(describing: error), "retry_seconds": String(Double(holdDownNanos) / 1e9)])
    }

    func markUp() {
        guard downUntil.load(ordering: .acquiring) != 0, downUntil.exchange(0, ordering: .acquiringAndReleasing) != 0 else { return }
        let seconds = Double((Clock.monotonicNanos() &- downSince.load(ordering: .acquiring)) / 1_000_000) / 1000
        Log.info("read replica is back: reading from it again", ["down_seconds": String(seconds)])
    }
}

/// A thread's way to the read replica: a request borrows a connection from the replica's pool on its
/// first read there and gives it back with its answer; the connection is closed when the replica fails.
final class ReplicaConnection {
    private let pool: ConnectionPool
    let health: ReplicaHealth
    private var lease: Connection?

    init(pool: ConnectionPool, health: ReplicaHealth = .shared) {
        self.pool = pool
        self.health = health
    }

    /// A pool of one connection to `conninfo`.
    convenience init(_ conninfo: String, health: ReplicaHealth = .shared) {
        self.init(pool: ConnectionPool(conninfo: conninfo, size: 1, waitSeconds: 5), health: health)
    }

    /// The connection to the replica, or nil when it is down: marked so by any thread, or failing
    /// to connect now (which marks it so), or when all its connections are busy (read the primary).
    func open() -> Connection? {
        let admission = health.admission()
        if admission == .down { return nil }
        if admission == .probe, let lease {
            // Only a new connection says whether it is back.
            pool.giveBack(lease, discard: true)
            self.lease = nil
        }
        if let lease { return lease }
        do {
            let borrowed = try pool.borrow(fresh: admission == .probe)
            lease = borrowed
            health.markUp()
            return borrowed
        } catch is PoolExhausted {
            return nil
        } catch {
            health.markDown(error)
            return nil
        }
    }

    /// Gives the borrowed connection back (at the end of a request).
    func giveBack() {
        guard let lease else { return }
        pool.giveBack(lease)
        self.lease = nil
    }

    /// A query on the replica failed with a connection failure (`Connection.query` has already
    /// tried reconnecting once): close the connection and leave the replica alone for a while.
    func failed(_ error: any Error) {
        if let lease { pool.giveBack(lease, discard: true) }
        lease = nil
        health.markDown(error)
    }

    /// After a connection failure that may have been the primary's: one cheap query tells.
    func checkAfterFailure() {
        guard let lease else { return }
        do { try lease.query("SELECT 1") } catch { failed(error) }
    }
}

extension HTTPError {
    /// The status page for a refusal a layer below expressed in its own terms.
    public init(_ error: any UserFacingError) {
        self.init(error.refusal.httpStatus, error.title, error.message)
    }
}

extension RefusalKind {
    /// The HTTP status of a refusal of this kind.
    public var httpStatus: Int {
        switch self {
        case .invalidInput: return 400
        case .conflict: return 409
        case .notFound: return 404
        case .notAllowed: return 403
        case .unavailable: return 503
        }
    }
}

/// Threads running requests' work after their answers (the program waits for them when it stops).
private let workAfterAnswers = Atomic<Int>(0)

/// A connection handed to the thread that runs its request's work after the answer; only that thread
/// uses it from then on, until it goes back to the pool.
private final class Handoff: @unchecked Sendable {
    let connection: Connection
    let pool: ConnectionPool

    init(connection: Connection, pool: ConnectionPool) {
        self.connection = connection
        self.pool = pool
    }
}
