// /w/{slug}/personas/{id}: a persona with its voice notes, sources, style profile and "Learn style".
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum PersonaShow {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.view) { access, db in try respond(c, access, db, id: id, flash: Notice.from(c)) }
    }

    /// Loads the persona (404 when the workspace has none such) and renders its page. The other
    /// persona handlers use it to show a form again with what was entered and the section's error.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, id: Int, values: PersonasView.Values? = nil, profile: String? = nil,
        error: (section: String, message: String)? = nil, flash: Flash? = nil, status: Int = 200
    ) throws -> Response {
        guard let persona = try PersonaStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
        let sources = try PersonaStore.sources(access.id, persona: id, db)
        let (price, balance) = try PersonaStore.learnPrice(access.id, db)
        var model = PersonaView.Model(
            persona: persona, values: values ?? PersonasView.Values(name: persona.name, notes: persona.notes), profile: profile ?? persona.profile,
            linked: sources.linked, others: sources.others,
            learning: try PersonaStore.lastLearning(access.id, persona: id, timeZone: access.user.timeZone, db), price: price, balance: balance,
            modelConfigured: DraftsPage.modelConfigured, nonce: nonce())
        if let error { model.errors[error.section] = error.message }
        return try c.page(
            "\(persona.name) · Personas · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            PersonaView.html(access, model, csrf: Layout.csrfField(try c.csrfToken())))
    }

    /// 32 hexadecimal digits naming one copy of the learn form.
    static func nonce() -> String {
        (0..<4).map { _ in
            let hex = String(UInt32.random(in: .min ... .max), radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }
}
