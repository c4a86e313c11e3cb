// What a handler gets: the request, the thread's database connection, the path parameters, the
// cookies to set, and per-request state that the layers above keep (the session).
public import HeraldDatabase
public import HeraldFastCGI
public import HeraldSupport

public final class RequestContext {
    public let request: Request
    public let services: Services
    let hooks: RequestHooks
    public var pathParameters: [String: String] = [:]
    /// `Set-Cookie` values added to the response.
    public var responseCookies: [String] = []
    private let openDatabase: () throws -> Connection
    private let releaseDatabase: () -> Void
    /// The thread's connection to the read replica; nil when none is configured.
    private let replica: ReplicaConnection?
    /// Whether the last read through `readDB()` or `withReadDB` went to the replica (false when
    /// none is configured, it is down, or the read fell back to the primary): a page can say where
    /// its data came from.
    public private(set) var readFromReplica = false
    /// Whether this request was handed the replica's connection at all (the error handler checks it).
    private(set) var handedOutReplica = false
    private var parsedForm: FormData?
    private var states: [ObjectIdentifier: AnyObject] = [:]

    init(
        request: Request, services: Services, hooks: RequestHooks, database: @escaping () throws -> Connection,
        releaseDatabase: @escaping () -> Void = {}, replica: ReplicaConnection? = nil
    ) {
        self.request = request
        self.services = services
        self.hooks = hooks
        openDatabase = database
        self.releaseDatabase = releaseDatabase
        self.replica = replica
    }

    public var config: Config { services.config }

    /// The request's connection to the primary, borrowed from the program's pool on first use.
    public func db() throws -> Connection { try openDatabase() }

    /// Gives the connection back to the pool before slow work that needs none (an Argon2id hash
    /// waiting for a free core), so other requests can use it; the next `db()` borrows one again.
    /// Outside a transaction only: any `Connection` from before must not be used afterwards.
    public func giveBackDatabase() { releaseDatabase() }

    /// The connection for reads that may trail the primary by a moment (analytics): the thread's
    /// connection to the read replica when HERALD_READ_DATABASE_URL is set and the replica is up,
    /// else the primary's, `db()`. A replica that cannot be reached is left alone for a few
    /// seconds by every thread of the program. A query on it can still fail midway (a connection
    /// failure becomes the 503 page): `withReadDB` runs it again on the primary instead.
    public func readDB() throws -> Connection {
        if let connection = replica?.open() {
            readFromReplica = true
            handedOutReplica = true
            return connection
        }
        readFromReplica = false
        return try db()
    }

    /// Runs `body` (reads only: it may run twice) on `readDB()`. When the replica fails under it
    /// with a connection failure, the replica is marked down and `body` runs once more on the
    /// primary; likewise, without marking it down, when the replica cancelled the query for a
    /// conflict with recovery (SQLSTATE 40001, a change being replayed needed what it read).
    public func withReadDB<T>(_ body: (Connection) throws -> T) throws -> T {
        if let replica, let connection = replica.open() {
            readFromReplica = true
            handedOutReplica = true
            do {
                return try body(connection)
            } catch let error as DatabaseError where error.isConnectionFailure {
                replica.failed(error)
            } catch let error as DatabaseError where error.isSerializationFailure && !connection.isInTransaction {
                Log.info("read replica cancelled a query (conflict with recovery): reading from the primary", ["request_id": request.requestID])
            }
        }
        readFromReplica = false
        return try body(try db())
    }

    /// The urlencoded form of a POST, parsed once.
    public func form() throws -> FormData {
        if let parsedForm { return parsedForm }
        let form = try request.form()
        parsedForm = form
        return form
    }

    public func parameter(_ name: String) throws -> String {
        guard let value = pathParameters[name] else { throw HTTPError.notFound }
        return value
    }

    /// Per-request state of a layer above, one object per type, made on first use.
    public func state<State: AnyObject>(_ make: () -> State) -> State {
        let key = ObjectIdentifier(State.self)
        if let existing = states[key] as? State { return existing }
        let fresh = make()
        states[key] = fresh
        return fresh
    }

    /// The page for an error status, in the layout the program installed.
    public func errorResponse(_ error: HTTPError) -> Response { hooks.errorPage(self, error) }
}
