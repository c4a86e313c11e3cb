// /w/{slug}/sources: the workspace's sources and the forms that add one (SourceCreate).
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum SourcesPage {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try respond(c, access, db, values: SourcesView.Values(), error: nil, flash: Notice.from(c)) }
    }

    /// Loads the sources and renders the page; SourceCreate uses it to show a form again with its error.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, values: SourcesView.Values, error: String?, flash: Flash? = nil,
        status: Int = 200
    ) throws -> Response {
        let sources = try SourceStore.list(access.id, timeZone: access.user.timeZone, db)
        return try c.page(
            "Sources · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            SourcesView.html(
                access, sources, values: values, error: error, maxUpload: SourceCreate.maxUpload(c), csrf: Layout.csrfField(try c.csrfToken())))
    }
}
