// Archiving a persona (it is no longer offered for drafts; its profile and sources stay) and
// restoring it.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PersonaArchive {
    static func archive(_ c: RequestContext) throws -> Response { try set(c, archived: true) }
    static func restore(_ c: RequestContext) throws -> Response { try set(c, archived: false) }

    static func set(_ c: RequestContext, archived: Bool) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            guard try PersonaStore.setArchived(access.id, id: id, archived, db) else { throw HTTPError.notFound }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: archived ? "persona.archived" : "persona.restored", targetType: "persona",
                targetID: id, ip: c.request.remoteAddress)
            return .redirect(to: access.path("/personas/\(id)?notice=" + (archived ? "persona-archived" : "persona-restored")))
        }
    }
}
