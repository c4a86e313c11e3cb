// The audit log's filter as the query string gives it (actor by email or id, workspace by slug or
// id, an action prefix, a date range, `before` for the next page), checked (a malformed value is a
// 400 page that says what is expected), then resolved to ids in the database.
import HeraldDatabase
import HeraldFastCGI
import HeraldSupport
import HeraldWeb

struct AuditFilter {
    var actor = ""
    var workspace = ""
    var action = ""
    var from = ""
    var to = ""
    var before: Int?

    static func parse(_ c: RequestContext) throws -> AuditFilter {
        var filter = AuditFilter()
        filter.actor = try Param.text(c, "actor")
        filter.workspace = try Param.text(c, "workspace", limit: 100)
        filter.action = try Param.text(c, "action", limit: 100)
        filter.from = try Param.text(c, "from", limit: 10)
        filter.to = try Param.text(c, "to", limit: 10)
        if !filter.actor.isEmpty && Param.positive(filter.actor) == nil && !isEmail(filter.actor) {
            throw HTTPError.badRequest("Filter the actor by email address (name@example.com) or user id (a number), not \"\(filter.actor)\".")
        }
        if !filter.workspace.isEmpty && Param.positive(filter.workspace) == nil && !isSlug(filter.workspace) {
            throw HTTPError.badRequest("Filter the workspace by its slug (letters, digits and dashes) or id (a number), not \"\(filter.workspace)\".")
        }
        if !filter.action.isEmpty && !isActionPrefix(filter.action) {
            throw HTTPError.badRequest(
                "An action filter is the start of an action name: lowercase letters, _ and dots, like admin. or credits.granted, not \"\(filter.action)\"."
            )
        }
        for (name, value) in [("from", filter.from), ("to", filter.to)] where !value.isEmpty && !isDate(value) {
            throw HTTPError.badRequest("The \(name) date is a day written YYYY-MM-DD, like 2025-03-31, not \"\(value)\".")
        }
        if !filter.from.isEmpty && !filter.to.isEmpty && filter.from > filter.to {
            throw HTTPError.badRequest("The from date (\(filter.from)) is after the to date (\(filter.to)).")
        }
        if let text = c.request.query["before"], !text.isEmpty {
            guard let before = Param.positive(text) else { throw HTTPError.badRequest("before is an event number, like before=1200.") }
            filter.before = before
        }
        return filter
    }

    /// The filter in ids; `notes` say why nothing can match (an email or slug nobody has).
    func resolve(_ db: Connection) throws -> (query: AuditQuery, notes: [String]) {
        var q = AuditQuery(actionPrefix: action, from: from.isEmpty ? nil : from, to: to.isEmpty ? nil : to, before: before)
        var notes: [String] = []
        if let id = Param.positive(actor) {
            q.actor = id
        } else if !actor.isEmpty {
            if let id = try AuditStore.userID(email: actor, db) {
                q.actor = id
            } else {
                q.matchesNothing = true
                notes.append("No user has the email \(actor) now. A deleted user's events are found by their id.")
            }
        }
        if let id = Param.positive(workspace) {
            q.workspaces = [id]
        } else if !workspace.isEmpty {
            let ids = try AuditStore.workspaceIDs(slug: workspace, db)
            if ids.isEmpty {
                q.matchesNothing = true
                notes.append("No workspace has or had the slug \(workspace).")
            }
            q.workspaces = ids
        }
        return (q, notes)
    }

    /// The filter's query items (without `before`), for links and the CSV download.
    var items: [(String, String)] { [("actor", actor), ("workspace", workspace), ("action", action), ("from", from), ("to", to)] }

    var isEmpty: Bool { items.allSatisfy { $0.1.isEmpty } }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !text.contains(where: { $0.isWhitespace })
    }

    static func isSlug(_ text: String) -> Bool {
        (1...40).contains(text.utf8.count) && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
    }

    static func isActionPrefix(_ text: String) -> Bool {
        guard let first = text.utf8.first, (97...122).contains(first) else { return false }
        return text.utf8.allSatisfy { (97...122).contains($0) || $0 == 95 || $0 == 46 }
    }

    /// A real day written YYYY-MM-DD, from year 1970 to 9999.
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45,
            bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || (48...57).contains($0.element) }),
            let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)), let day = Int(text.suffix(2)),
            (1970...9999).contains(year), (1...12).contains(month)
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
