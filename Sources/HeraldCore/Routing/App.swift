// A FastCGI program: its route table, the per-request context handlers receive, and the one
// place that turns thrown errors into pages and writes the request's log line.
import Glibc

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

public struct App: Sendable {
    public let name: String
    public let routes: Router<Handler>
    public let services: Services

    public init(name: String, services: Services, routes: Router<Handler>) {
        self.name = name
        self.routes = routes
        self.services = services
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
        let app = self
        do {
            try FastCGIServer.run(options: options, onReload: { app.services.vault.reload() }) { AppHandler(app: app) }
        } catch {
            Log.error("cannot start herald-\(name): \(error)")
            exit(1)
        }
    }

    /// Starts the program from `main.swift`: reads config, initialises libsodium, builds routes, runs.
    public static func main(name: String, routes: (inout Router<Handler>) -> Void) -> Never {
        do {
            try Sodium.initialize()
            let config = try Config.fromEnvironment()
            var router = Router<Handler>()
            routes(&router)
            App(name: name, services: Services(config: config), routes: router).run()
        } catch {
            Log.error("cannot start herald-\(name): \(error)")
            exit(1)
        }
    }
}

/// One per worker thread; owns the thread's database connection, opened on first use.
final class AppHandler: RequestHandler {
    let app: App
    private var connection: Connection?

    init(app: App) { self.app = app }

    func database() throws -> Connection {
        if let connection { return connection }
        let fresh = try Connection(app.services.config.databaseURL)
        connection = fresh
        return fresh
    }

    func handle(_ request: Request) -> Response {
        let started = Clock.monotonicNanos()
        let context = RequestContext(request: request, services: app.services, database: { [unowned self] in try self.database() })
        var response: Response
        switch app.routes.match(method: request.method, path: request.path) {
        case .found(let handler, let params):
            context.pathParameters = params
            response = run(handler, context)
        case .methodNotAllowed:
            response = context.errorResponse(.methodNotAllowed)
        case .notFound:
            response = context.errorResponse(.notFound)
        }
        for cookie in context.responseCookies { response.addHeader("Set-Cookie", cookie) }
        response.addHeader("Cache-Control", "no-store")
        response.addHeader("X-Content-Type-Options", "nosniff")
        response.addHeader("X-Frame-Options", "DENY")
        response.addHeader("Referrer-Policy", "same-origin")
        response.addHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        let micros = (Clock.monotonicNanos() - started) / 1000
        Log.info("request", [
            "method": request.method, "path": request.path, "status": String(response.status),
            "duration_ms": String(Double(micros) / 1000), "request_id": request.requestID,
            "user": context.loggedUserID.map(String.init) ?? "-",
        ])
        return response
    }

    private func run(_ handler: Handler, _ context: RequestContext) -> Response {
        do {
            if context.request.method == "POST" { try context.verifyCSRF() }
            return try handler(context)
        } catch let redirect as Redirect {
            return .redirect(to: redirect.location)
        } catch let error as HTTPError {
            return context.errorResponse(error)
        } catch let error as DatabaseError where error.isConnectionFailure {
            Log.error("database unavailable", ["error": error.description, "request_id": context.request.requestID])
            return context.errorResponse(HTTPError(503, "Temporarily unavailable", "Herald cannot reach its database right now. Try again in a moment."))
        } catch {
            Log.error("unhandled error", ["error": String(describing: error), "path": context.request.path, "request_id": context.request.requestID])
            return context.errorResponse(HTTPError(500, "Something went wrong", "Herald could not finish this request. Nothing was changed; try again, and if it keeps happening tell your administrator."))
        }
    }
}

/// What a handler gets: the request, the thread's database connection, the session, and the
/// cookies to set on the response.
public final class RequestContext {
    public let request: Request
    public let services: Services
    public var pathParameters: [String: String] = [:]
    /// `Set-Cookie` values added to the response.
    public var responseCookies: [String] = []
    private let openDatabase: () throws -> Connection
    private var parsedForm: FormData?
    private var sessionResolved = false
    private var session: CurrentUser?
    private var anonymousCSRF: String?
    /// Set by `inWorkspace` for the header's workspace navigation.
    public internal(set) var workspaceAccess: WorkspaceAccess?

    init(request: Request, services: Services, database: @escaping () throws -> Connection) {
        self.request = request
        self.services = services
        openDatabase = database
    }

    public var config: Config { services.config }

    /// The thread's connection, opened (or reopened) on first use.
    public func db() throws -> Connection { try openDatabase() }

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

    // MARK: Session

    public static let sessionCookie = "__Host-herald_session"
    public static let csrfCookie = "__Host-herald_csrf"

    /// The logged-in user, or nil. Looked up once per request.
    public func currentUser() throws -> CurrentUser? {
        if sessionResolved { return session }
        sessionResolved = true
        if let token = request.cookies[RequestContext.sessionCookie], !token.isEmpty {
            session = try Sessions.lookup(db(), token: token, config: config)
            if session == nil {
                // Expired or unknown: clear the cookie so the browser stops sending it.
                responseCookies.append(hostCookie(name: RequestContext.sessionCookie, value: "", maxAge: 0))
            }
        }
        return session
    }

    var loggedUserID: Int? { sessionResolved ? session?.id : nil }

    /// The logged-in user, or a redirect to the login page that comes back here afterwards.
    public func requireUser() throws -> CurrentUser {
        if let user = try currentUser() { return user }
        let back = request.method == "GET" ? request.path : "/"
        throw Redirect("/login?next=\(urlEncode(back))")
    }

    /// Starts a new session (login): a fresh token; the caller has already ended any old one.
    public func startSession(userID: Int) throws {
        let token = try Sessions.create(db(), userID: userID, ip: request.remoteAddress,
                                        userAgent: request.header("User-Agent"), config: config)
        responseCookies.append(hostCookie(name: RequestContext.sessionCookie, value: token, maxAge: config.sessionAbsoluteHours * 3600))
        session = try Sessions.lookup(db(), token: token, config: config)
        sessionResolved = true
    }

    /// Ends the current session server-side and clears the cookie.
    public func endSession() throws {
        if let token = request.cookies[RequestContext.sessionCookie], !token.isEmpty {
            try Sessions.destroy(db(), token: token)
        }
        responseCookies.append(hostCookie(name: RequestContext.sessionCookie, value: "", maxAge: 0))
        session = nil
        sessionResolved = true
    }

    // MARK: CSRF

    /// The token forms must echo. Bound to the session when logged in; otherwise a random
    /// value in its own `__Host-` cookie (double submit).
    public func csrfToken() throws -> String {
        if let user = try currentUser() { return CSRF.token(forSession: user.sessionToken) }
        if let existing = anonymousCSRF ?? request.cookies[RequestContext.csrfCookie], existing.utf8.count == 43 {
            anonymousCSRF = existing
            return existing
        }
        let fresh = Sodium.randomToken()
        anonymousCSRF = fresh
        responseCookies.append(hostCookie(name: RequestContext.csrfCookie, value: fresh))
        return fresh
    }

    /// Every POST must carry the right token in its `csrf` field; otherwise 403 and nothing changes.
    func verifyCSRF() throws {
        guard let sent = try form()["csrf"], !sent.isEmpty else { throw HTTPError.csrf }
        let expected: String?
        if let user = try currentUser() {
            expected = CSRF.token(forSession: user.sessionToken)
        } else {
            expected = request.cookies[RequestContext.csrfCookie]
        }
        guard let expected, !expected.isEmpty, Sodium.constantTimeEquals(sent, expected) else { throw HTTPError.csrf }
    }

    // MARK: Rendering

    /// A page in the shared layout, with the viewer in the header.
    public func page(_ title: String, flash: Flash? = nil, current: String = "", status: Int = 200, _ body: HTML) throws -> Response {
        let user = try currentUser()
        let page = Layout.page(title: title, viewer: user.map { Viewer(name: $0.name, workspace: workspaceAccess) }, csrf: try csrfToken(),
                               flash: flash, current: current, body: body)
        return .html(page, status: status)
    }

    /// The styled page for an error status.
    public func errorResponse(_ error: HTTPError) -> Response {
        let user = (try? currentUser()) ?? nil
        let csrf = (try? csrfToken()) ?? ""
        return .html(Layout.errorPage(error, viewer: user.map { Viewer(name: $0.name, workspace: workspaceAccess) }, csrf: csrf), status: error.status)
    }
}
