// Who may use /admin and how its handlers reach the database: a site admin or a plain 404 (for POSTs
// too, before the CSRF check), one transaction with app.user_id and app.site_admin set so the
// site-admin policies of migrations/0020_admin.sql admit what the pages read, and sudo mode in front
// of the sensitive actions.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum AdminGate {
    /// The site admin making the request; anyone else (logged out included) gets 404, so /admin
    /// does not even show that it exists.
    static func siteAdmin(_ c: RequestContext) throws -> CurrentUser {
        guard let user = try c.currentUser(), user.isSiteAdmin else { throw HTTPError.notFound }
        return user
    }

    /// Runs `body` for a site admin in one transaction that acts as a site admin (row-level security
    /// checks it again: app.site_admin on, app.user_id an active site admin, no tenant), with times
    /// in the admin's time zone.
    static func transaction<T>(_ c: RequestContext, _ body: (CurrentUser, Connection) throws -> T) throws -> T {
        let user = try siteAdmin(c)
        return try c.db().transaction(user: user.id) { db in
            try db.query("SELECT set_config('app.site_admin', 'on', true), set_config('TimeZone', $1, true)", [.text(user.timeZone)])
            return try body(user, db)
        }
    }

    /// In front of a sensitive action, once what it acts on is loaded: without a password confirmed
    /// in the last `Sudo.minutes` minutes nothing happens (the transaction is rolled back) and the
    /// browser goes to the confirm page, which comes back to `returnTo` afterwards.
    static func requireSudo(_ user: CurrentUser, _ db: Connection, returnTo: String) throws {
        guard try Sudo.isFresh(session: user.sessionID, db) else { throw Redirect(Sudo.confirmPath(next: returnTo)) }
    }

    /// Switches the transaction to one workspace as its tenant (for a change made the way a member's
    /// would be: the credit ledger, deleting a workspace, a workspace's audit event). The site-admin
    /// policies stop applying from here on.
    static func actInWorkspace(_ workspace: Int, _ db: Connection) throws {
        try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(workspace))])
    }

    /// Back to no tenant, acting as a site admin again.
    static func leaveWorkspace(_ db: Connection) throws {
        try db.query("SELECT set_config('app.workspace_id', '', true)")
    }
}

/// Path and query values of the admin pages, checked: a bad value is a 400 or 404 page, never a 500.
enum Param {
    /// The `{id}` path parameter: a positive whole number, or the page does not exist.
    static func id(_ c: RequestContext, _ what: String) throws -> Int {
        let text = try c.parameter("id")
        guard let id = positive(text) else { throw HTTPError(404, "Not found", "There is no \(what) \(text).") }
        return id
    }

    /// A positive whole number written in digits only (at most 18 of them), or nil.
    static func positive(_ text: String) -> Int? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(text), value > 0 else {
            return nil
        }
        return value
    }

    /// `?page=N`: a whole number from 1 to 1,000,000; absent or empty is 1.
    static func page(_ c: RequestContext) throws -> Int {
        guard let text = c.request.query["page"], !text.isEmpty else { return 1 }
        guard let page = positive(text), page <= 1_000_000 else {
            throw HTTPError.badRequest("The page is a whole number from 1 to 1,000,000, like ?page=2.")
        }
        return page
    }

    /// A query value, trimmed; empty when absent. Longer than `limit` characters is refused.
    static func text(_ c: RequestContext, _ name: String, limit: Int = 254) throws -> String {
        let value = (c.request.query[name] ?? "").trimmed
        guard value.count <= limit else { throw HTTPError.badRequest("The \(name) filter takes at most \(limit) characters.") }
        return value
    }

    /// One of `allowed` (or empty), else 400 naming them.
    static func choice(_ c: RequestContext, _ name: String, _ allowed: [String]) throws -> String {
        let value = c.request.query[name] ?? ""
        guard value.isEmpty || allowed.contains(value) else {
            throw HTTPError.badRequest("The \(name) filter is one of \(allowed.joined(separator: ", ")), not \"\(value)\".")
        }
        return value
    }

    /// Offset pages: a page past the last (other than the first of an empty list) is 404.
    static func requireExists(page: Int, total: Int, pageSize: Int, _ what: String) throws {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        guard page <= pages else {
            throw HTTPError(404, "No such page", "There is no page \(page) of \(what): there \(pages == 1 ? "is 1 page" : "are \(pages) pages").")
        }
    }

    /// `%`, `_` and `\` taken literally in a LIKE pattern.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

/// A link to a list with its filters: `/admin/users?q=ann&page=2`. Empty values are left out.
func link(_ path: String, _ query: [(String, String)]) -> String {
    let pairs = query.filter { !$0.1.isEmpty }.map { "\($0.0)=\(urlEncode($0.1))" }
    return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
}
