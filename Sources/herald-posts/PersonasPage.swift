// /w/{slug}/personas: the workspace's personas and the form for a new one (PersonaCreate).
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum PersonasPage {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try respond(c, access, db, values: PersonasView.Values(), error: nil, flash: Notice.from(c)) }
    }

    /// Loads the personas and renders the list; PersonaCreate uses it to show the form again with its error.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, values: PersonasView.Values, error: String?, flash: Flash? = nil,
        status: Int = 200
    ) throws -> Response {
        let personas = try PersonaStore.list(access.id, db)
        return try c.page(
            "Personas · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            PersonasView.html(access, personas, values: values, error: error, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
