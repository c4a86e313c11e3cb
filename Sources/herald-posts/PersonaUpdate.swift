// Saving a persona's name and voice notes; a refused save shows its page again with the message.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PersonaUpdate {
    static func update(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let form = try c.form()
        let values = PersonasView.Values(name: (form["name"] ?? "").trimmed, notes: (form["notes"] ?? "").trimmed)
        return try c.inWorkspace(.writePosts) { access, db in
            var error = PersonaCreate.problem(values)
            if error == nil {
                let saved = try PersonaStore.save(access.id, id: id, name: values.name, notes: values.notes, db)
                error = saved.1
                if error == nil {
                    guard saved.0 != nil else { throw HTTPError.notFound }
                    try Audit.record(
                        db, workspace: access.id, actor: access.user.id, action: "persona.updated", targetType: "persona", targetID: id,
                        details: ["name": values.name], ip: c.request.remoteAddress)
                    return .redirect(to: access.path("/personas/\(id)?notice=persona-saved"))
                }
            }
            return try PersonaShow.respond(c, access, db, id: id, values: values, error: ("details", error ?? ""), status: 422)
        }
    }
}
