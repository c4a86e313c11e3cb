// Creating a persona (a name and voice notes) from the list page; a refused one shows the list
// again with the message (422).
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PersonaCreate {
    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        let values = PersonasView.Values(name: (form["name"] ?? "").trimmed, notes: (form["notes"] ?? "").trimmed)
        return try c.inWorkspace(.writePosts) { access, db in
            var error = problem(values)
            if error == nil {
                let saved = try PersonaStore.save(access.id, id: nil, name: values.name, notes: values.notes, db)
                error = saved.1
                if let id = saved.0, error == nil {
                    try Audit.record(
                        db, workspace: access.id, actor: access.user.id, action: "persona.created", targetType: "persona", targetID: id,
                        details: ["name": values.name], ip: c.request.remoteAddress)
                    return .redirect(to: access.path("/personas/\(id)?notice=persona-created"))
                }
            }
            return try PersonasPage.respond(c, access, db, values: values, error: error, status: 422)
        }
    }

    /// Why a name and notes are refused, or nil.
    static func problem(_ v: PersonasView.Values) -> String? {
        if v.name.isEmpty { return "Give the persona a name." }
        if v.name.count > 100 { return "Keep the name to 100 characters (it has \(v.name.count))." }
        if v.notes.count > 5000 { return "Keep the voice notes to 5,000 characters (they have \(v.notes.count))." }
        return nil
    }
}
