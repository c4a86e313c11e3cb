// /w/{slug}/sources/{id}: one source with the text Herald took from it (escaped), its status and
// why it failed, the personas that learn from it, and its delete button.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum SourceShow {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.view) { access, db in
            guard let source = try SourceStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
            return try c.page(
                "\(source.summary.title) · Sources · \(access.workspace.name)", flash: Notice.from(c), current: access.path("/posts"),
                SourceView.html(access, source, csrf: Layout.csrfField(try c.csrfToken())))
        }
    }
}
