// The identity layer's part of every request: the session behind the cookie, the CSRF token forms
// echo, and pages rendered in the site's layout with the viewer in the header.
import HeraldCrypto
public import HeraldFastCGI
public import HeraldHTML
public import HeraldWeb

/// What the identity layer remembers during one request.
final class IdentityState {
    var sessionResolved = false
    var session: CurrentUser?
    var anonymousCSRF: String?
    var workspaceAccess: WorkspaceAccess?
}

extension RequestContext {
    public static let sessionCookie = "__Host-herald_session"
    public static let csrfCookie = "__Host-herald_csrf"

    var identity: IdentityState { state { IdentityState() } }

    /// Set by `inWorkspace`, for the header's workspace navigation.
    public internal(set) var workspaceAccess: WorkspaceAccess? {
        get { identity.workspaceAccess }
        set { identity.workspaceAccess = newValue }
    }

    // MARK: Session

    /// The logged-in user, or nil. Looked up once per request.
    public func currentUser() throws -> CurrentUser? {
        let identity = identity
        if identity.sessionResolved { return identity.session }
        identity.sessionResolved = true
        if let token = request.cookies[RequestContext.sessionCookie], !token.isEmpty {
            identity.session = try Sessions.lookup(db(), token: token, config: config)
            if identity.session == nil {
                // Expired or unknown: clear the cookie so the browser stops sending it.
                responseCookies.append(hostCookie(name: RequestContext.sessionCookie, value: "", maxAge: 0))
            }
        }
        return identity.session
    }

    /// The user id for the log line, when the session was looked up during the request.
    var loggedUserID: Int? { identity.sessionResolved ? identity.session?.id : nil }

    /// The logged-in user, or a redirect to the login page that comes back here afterwards.
    public func requireUser() throws -> CurrentUser {
        if let user = try currentUser() { return user }
        let back = request.method == "GET" ? request.path : "/"
        throw Redirect("/login?next=\(urlEncode(back))")
    }

    /// Starts a new session (login): a fresh token; the caller has already ended any old one.
    public func startSession(userID: Int) throws {
        let token = try Sessions.create(
            db(), userID: userID, ip: request.remoteAddress,
            userAgent: request.header("User-Agent"), config: config)
        // One Set-Cookie for the session: the new one replaces a clearing one `endSession` queued.
        responseCookies.removeAll { $0.hasPrefix(RequestContext.sessionCookie + "=") }
        responseCookies.append(hostCookie(name: RequestContext.sessionCookie, value: token, maxAge: config.sessionAbsoluteHours * 3600))
        identity.session = try Sessions.lookup(db(), token: token, config: config)
        identity.sessionResolved = true
    }

    /// Ends the current session server-side and clears the cookie.
    public func endSession() throws {
        if let token = request.cookies[RequestContext.sessionCookie], !token.isEmpty {
            try Sessions.destroy(db(), token: token)
        }
        responseCookies.append(hostCookie(name: RequestContext.sessionCookie, value: "", maxAge: 0))
        identity.session = nil
        identity.sessionResolved = true
    }

    // MARK: CSRF

    /// The token forms must echo. Bound to the session when logged in; otherwise a random
    /// value in its own `__Host-` cookie (double submit).
    public func csrfToken() throws -> String {
        if let user = try currentUser() { return CSRF.token(forSession: user.sessionToken) }
        if let existing = identity.anonymousCSRF ?? request.cookies[RequestContext.csrfCookie], existing.utf8.count == 43 {
            identity.anonymousCSRF = existing
            return existing
        }
        let fresh = Sodium.randomToken()
        identity.anonymousCSRF = fresh
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

    /// Who is looking, for the header.
    func viewer() throws -> Viewer? {
        try currentUser().map { Viewer(name: $0.name, workspace: workspaceAccess, isSiteAdmin: $0.isSiteAdmin) }
    }

    /// A page in the shared layout, with the viewer in the header.
    public func page(_ title: String, flash: Flash? = nil, current: String = "", status: Int = 200, _ body: HTML) throws -> Response {
        let page = Layout.page(title: title, viewer: try viewer(), csrf: try csrfToken(), flash: flash, current: current, body: body)
        return .html(page, status: status)
    }
}
