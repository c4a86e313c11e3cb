// /w/{slug}/settings: name and time zone; the owner also sees the delete form.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum Settings {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.editSettings) { access, db in
            try render(c, access, db, name: access.workspace.name, timeZone: access.workspace.timeZone, errors: [:], flash: Notice.from(c))
        }
    }

    static func update(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.editSettings) { access, db in
            let name = (form["name"] ?? "").trimmed
            let (timeZone, zoneError) = try TimeZones.validate(form["time_zone"], db)
            var errors: [String: String] = [:]
            if name.isEmpty { errors["name"] = "Give the workspace a name." } else if name.count > 100 { errors["name"] = "Use at most 100 characters." }
            errors["time_zone"] = zoneError
            if !errors.isEmpty { return try render(c, access, db, name: name, timeZone: timeZone, errors: errors, status: 422) }
            try WorkspaceStore.update(access.id, name: name, timeZone: timeZone, db)
            try Audit.record(db, workspace: access.id, actor: access.user.id, action: "workspace.updated", details: ["name": name, "time_zone": timeZone],
                             ip: c.request.remoteAddress)
            return .redirect(to: access.path("/settings?notice=saved"))
        }
    }

    static func render(_ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, name: String, timeZone: String,
                       errors: [String: String], flash: Flash? = nil, status: Int = 200) throws -> Response {
        let csrf = Layout.csrfField(try c.csrfToken())
        let zones = try TimeZones.load(db).options
        let danger: HTML = access.role.may(.deleteWorkspace) ? """
            <section class="card danger-zone"><h2>Delete this workspace</h2>
            <p>Deleting <strong>\(access.workspace.name)</strong> removes its members, channels, campaigns, posts, metrics and credits at once. This cannot be undone.</p>
            <form class="form" method="post" action="\(access.path("/delete"))" novalidate>\(csrf)
            \(Form.field("confirm_name", label: "Type the workspace's name to confirm", error: errors["confirm_name"], autocomplete: "off"))
            <div class="actions"><button class="button danger">Delete workspace</button></div></form></section>
            """ : HTML()
        return try c.page("Settings · \(access.workspace.name)", flash: flash, current: access.path("/settings"), status: status, """
            <h1>Settings</h1>
            <section class="card"><h2>Workspace</h2>
            <form class="form" method="post" action="\(access.path("/settings"))" novalidate>\(csrf)
            \(Form.field("name", label: "Name", value: name, error: errors["name"], maxLength: 100))
            <div class="field"><label>Address</label><p class="muted">\(c.config.baseURL)/w/\(access.slug)/ (the address stays when the name changes)</p></div>
            \(Form.select("time_zone", label: "Time zone", options: zones, selected: timeZone, error: errors["time_zone"]))
            <div class="actions"><button class="button primary">Save settings</button></div></form></section>
            \(danger)
            """)
    }
}
