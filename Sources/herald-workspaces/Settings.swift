// /w/{slug}/settings: name and time zone; the owner also sees the delete form.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum Settings {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.editSettings) { access, db in
            try respond(c, access, db, name: access.workspace.name, timeZone: access.workspace.timeZone, errors: [:], flash: Notice.from(c))
        }
    }

    static func update(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.editSettings) { access, db in
            let name = (form["name"] ?? "").trimmed
            let (timeZone, zoneError) = try TimeZones.validate(form["time_zone"], db)
            var errors: [String: String] = [:]
            errors["name"] = WorkspaceCreate.nameError(name)
            errors["time_zone"] = zoneError
            if !errors.isEmpty { return try respond(c, access, db, name: name, timeZone: timeZone, errors: errors, status: 422) }
            try WorkspaceStore.update(access.id, name: name, timeZone: timeZone, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "workspace.updated", details: ["name": name, "time_zone": timeZone],
                ip: c.request.remoteAddress)
            return .redirect(to: access.path("/settings?notice=saved"))
        }
    }

    /// Loads what the page needs (the time zones) and shows it; also the answer to refused
    /// settings and to a delete whose confirmation did not match.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, name: String, timeZone: String,
        errors: [String: String], flash: Flash? = nil, status: Int = 200
    ) throws -> Response {
        let csrf = Layout.csrfField(try c.csrfToken())
        let zones = try TimeZones.load(db).options
        return try c.page(
            "Settings · \(access.workspace.name)", flash: flash, current: access.path("/settings"), status: status,
            SettingsView.render(
                access, name: name, timeZone: timeZone, zones: zones, errors: errors,
                baseURL: c.config.baseURL, csrf: csrf))
    }
}
