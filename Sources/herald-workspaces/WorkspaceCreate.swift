// Creating a workspace: a name (the URL slug follows from it) and a time zone, by default the
// creator's own. The creator becomes its owner.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum WorkspaceCreate {
    static func show(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let welcome = c.request.query["notice"] == "welcome"
            ? Flash(.success, "Welcome to Herald! We sent a link to your email address to confirm it. Next: create your first workspace.") : nil
        return try render(c, name: "", timeZone: user.timeZone, errors: [:], flash: welcome)
    }

    static func create(_ c: RequestContext) throws -> Response {
        let user = try c.requireUser()
        let form = try c.form()
        let db = try c.db()
        let name = (form["name"] ?? "").trimmed
        let (timeZone, zoneError) = try TimeZones.validate(form["time_zone"], db)
        var errors: [String: String] = [:]
        if name.isEmpty { errors["name"] = "Give the workspace a name." } else if name.count > 100 { errors["name"] = "Use at most 100 characters." }
        errors["time_zone"] = zoneError
        if !errors.isEmpty { return try render(c, name: name, timeZone: timeZone, errors: errors, status: 422) }
        let slug = try WorkspaceStore.create(name: name, timeZone: timeZone, owner: user.id, ip: c.request.remoteAddress, db)
        return .redirect(to: "/w/\(slug)/?notice=created")
    }

    static func render(_ c: RequestContext, name: String, timeZone: String, errors: [String: String], flash: Flash? = nil, status: Int = 200) throws -> Response {
        let zones = try TimeZones.load(c.db()).options
        return try c.page("New workspace", flash: flash, status: status, """
            <div class="auth-card card"><h1>New workspace</h1>
            <p class="muted">A workspace holds a team's channels, campaigns and posts. You will be its owner.</p>
            <form class="form" method="post" action="/w/new" novalidate>\(Layout.csrfField(try c.csrfToken()))
            \(Form.field("name", label: "Name", value: name, error: errors["name"], hint: "Your company, brand or client, e.g. Acme Coffee.", maxLength: 100))
            \(Form.select("time_zone", label: "Time zone", options: zones, selected: timeZone, error: errors["time_zone"]))
            <div class="actions"><button type="submit" class="button primary">Create workspace</button> <a class="button" href="/w">Cancel</a></div>
            </form></div>
            """)
    }
}
