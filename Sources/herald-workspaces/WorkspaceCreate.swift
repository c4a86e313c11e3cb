// Creating a workspace: a name (the URL slug follows from it) and a time zone, by default the
// creator's own. The creator becomes its owner.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum WorkspaceCreate {
    static func show(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let welcome =
            c.request.query["notice"] == "welcome"
            ? Flash(.success, "Welcome to Herald! We sent a link to your email address to confirm it. Next: create your first workspace.") : nil
        return try respond(c, name: "", timeZone: user.timeZone, errors: [:], flash: welcome)
    }

    static func create(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let form = try c.form()
        let db = try c.db()
        let name = (form["name"] ?? "").trimmed
        let (timeZone, zoneError) = try TimeZones.validate(form["time_zone"], db)
        var errors: [String: String] = [:]
        errors["name"] = nameError(name)
        errors["time_zone"] = zoneError
        if !errors.isEmpty { return try respond(c, name: name, timeZone: timeZone, errors: errors, status: 422) }
        let slug = try WorkspaceStore.create(name: name, timeZone: timeZone, owner: user.id, ip: c.request.remoteAddress, db)
        return .redirect(to: "/w/\(slug)/?notice=created")
    }

    /// What is wrong with a (trimmed) workspace name, or nil; the settings page uses the same rules.
    static func nameError(_ name: String) -> String? {
        if name.isEmpty { return "Give the workspace a name." }
        if name.count > 100 { return "Use at most 100 characters." }
        // A name reaches mail headers and log lines: no CR, LF, tab, NUL or other control character.
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "Names can't contain line breaks or control characters."
        }
        return nil
    }

    /// Loads what the form needs (the time zones) and shows it, empty or with the problems.
    static func respond(_ c: RequestContext, name: String, timeZone: String, errors: [String: String], flash: Flash? = nil, status: Int = 200) throws
        -> Response
    {
        let zones = try TimeZones.load(c.db()).options
        return try c.page(
            "New workspace", flash: flash, status: status,
            NewWorkspaceView.render(name: name, timeZone: timeZone, zones: zones, errors: errors, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
