// Linking a source to a persona (a person's link is confirmed) and unlinking it. A source of another
// workspace, like a persona of another, is not found.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PersonaSourceLink {
    static func link(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let form = try c.form()
        return try c.inWorkspace(.writePosts) { access, db in
            guard try PersonaStore.find(access.id, id: id, timeZone: access.user.timeZone, db) != nil else { throw HTTPError.notFound }
            guard let source = Int(form["source"] ?? ""), source > 0 else {
                return try PersonaShow.respond(c, access, db, id: id, error: ("sources", "Choose a source from the list."), status: 422)
            }
            guard try PersonaStore.hasSource(access.id, id: source, db) else { throw HTTPError.notFound }
            try PersonaStore.link(access.id, persona: id, source: source, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "persona.source_linked", targetType: "persona", targetID: id,
                details: ["source": String(source)], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/personas/\(id)?notice=persona-source-linked"))
        }
    }

    static func unlink(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let source = try idParameter(c, "source")
        return try c.inWorkspace(.writePosts) { access, db in
            guard try PersonaStore.unlink(access.id, persona: id, source: source, db) else { throw HTTPError.notFound }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "persona.source_unlinked", targetType: "persona", targetID: id,
                details: ["source": String(source)], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/personas/\(id)?notice=persona-source-unlinked"))
        }
    }
}
