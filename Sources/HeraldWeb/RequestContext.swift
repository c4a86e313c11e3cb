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
    private var parsedForm: FormData?
    private var states: [ObjectIdentifier: AnyObject] = [:]

    init(request: Request, services: Services, hooks: RequestHooks, database: @escaping () throws -> Connection) {
        self.request = request
        self.services = services
        self.hooks = hooks
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
