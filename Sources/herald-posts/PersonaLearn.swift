// "Learn style": asks herald-worker to have the model write the persona's style profile from its
// linked, ready sources. Refused before anything is queued when no model is configured (409, saying
// how to configure one), the persona has no ready source (422), or the credits do not cover the
// price (402, "not enough credits: you have N, this needs M"). Otherwise the job and its spend are
// made in this request's transaction (PersonaStore.requestLearning); the same form sent twice
// queues one job and pays once.
import HeraldBilling
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PersonaLearn {
    static func learn(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let nonce = try c.form()["nonce"] ?? ""
        return try c.inWorkspace(.spendCredits) { access, db in
            guard let persona = try PersonaStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
            func refuse(_ message: String, _ status: Int = 422) throws -> Response {
                try PersonaShow.respond(c, access, db, id: id, error: ("learn", message), status: status)
            }
            guard DraftsPage.modelConfigured else {
                return try refuse(
                    "No language model is configured: an administrator sets HERALD_AI_BASE_URL and HERALD_AI_MODEL (and HERALD_AI_API_KEY if the "
                        + "endpoint needs one), then restarts Herald.", 409)
            }
            guard !persona.archived else { return try refuse("This persona is archived: restore it to learn its style.", 409) }
            guard nonce.count == 32, nonce.allSatisfy(\.isHexDigit) else {
                return try refuse("This form is out of date: reload the page and try again.")
            }
            guard try PersonaStore.readySources(access.id, persona: id, db) > 0 else {
                return try refuse("Link at least one ready source first: the style is learned from the persona's sources.")
            }
            let job: Int?
            do {
                job = try db.savepoint {
                    try PersonaStore.requestLearning(access.id, persona: id, name: persona.name, nonce: nonce, actor: access.user.id, db)
                }
            } catch let error as CreditError {
                if case .insufficient = error { return try refuse("Not asked: \(error.description). Add credits, or ask an owner to.", 402) }
                throw error
            }
            if let job {
                try Audit.record(
                    db, workspace: access.id, actor: access.user.id, action: "persona.learn_requested", targetType: "persona", targetID: id,
                    details: ["job": String(job)], ip: c.request.remoteAddress)
            }
            return .redirect(to: access.path("/personas/\(id)?notice=persona-learning"))
        }
    }
}
