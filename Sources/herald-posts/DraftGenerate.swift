// Asking a model for drafts on a campaign: validates the choice, refuses before any call when the
// credits do not cover all of it ("not enough credits: you have N, this needs M"), and otherwise
// makes the candidates, their jobs and their spends in one transaction (DraftStore.accept).
import HeraldBilling
import HeraldContent
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum DraftGenerate {
    /// The most drafts one request may ask for.
    static let maxDrafts = 50

    static func generate(_ c: RequestContext) throws -> Response {
        let campaign = try idParameter(c)
        let form = try c.form()
        var values = DraftsView.Values()
        values.brief = (form["brief"] ?? "").trimmed
        values.kinds = Set(form.all("kind").compactMap(DraftKind.init(rawValue:)))
        values.platforms = Set(form.all("platform").compactMap(Platform.init(rawValue:)))
        values.personas = Set(form.all("persona").compactMap { Int($0) })
        values.count = form["count"] ?? "1"
        return try c.inWorkspace(.spendCredits) { access, db in
            guard try CampaignStore.find(access.id, id: campaign, db) != nil else { throw HTTPError.notFound }
            func refuse(_ message: String, _ status: Int = 422) throws -> Response {
                try DraftsPage.respond(c, access, db, campaign: campaign, values: values, error: message, status: status)
            }
            guard DraftsPage.modelConfigured else {
                return try refuse("No language model is configured: an administrator sets HERALD_AI_BASE_URL and HERALD_AI_MODEL.", 409)
            }
            if form.all("kind").count != values.kinds.count || form.all("platform").count != values.platforms.count {
                return try refuse("Choose the kinds and platforms from the lists.")
            }
            guard !values.brief.isEmpty else { return try refuse("Write a brief: what the drafts should be about.") }
            guard values.brief.count <= 2000 else { return try refuse("Keep the brief to 2,000 characters (it has \(values.brief.count)).") }
            guard !values.kinds.isEmpty else { return try refuse("Choose at least one kind of draft.") }
            if values.kinds.contains(.post) && values.platforms.isEmpty { return try refuse("Choose the platforms the posts are for.") }
            guard let count = Int(values.count), (1...10).contains(count) else { return try refuse("Ask for 1 to 10 drafts of each kind.") }
            let known = Set(try DraftStore.personas(access.id, db).map(\.id))
            guard values.personas.isSubset(of: known) else { return try refuse("Choose personas from the list.") }
            var drafts: [DraftRequest] = []
            let personas: [Int?] = values.personas.isEmpty ? [nil] : values.personas.sorted().map { $0 }
            for kind in DraftKind.allCases where values.kinds.contains(kind) {
                let platforms: [Platform?] =
                    kind == .post ? Platform.allCases.filter { values.platforms.contains($0) } : [kind.fixedPlatform]
                for platform in platforms {
                    for persona in personas {
                        for _ in 0..<count { drafts.append(DraftRequest(kind: kind, platform: platform, persona: persona)) }
                    }
                }
            }
            guard drafts.count <= maxDrafts else {
                return try refuse("That asks for \(drafts.count) drafts; one request makes at most \(maxDrafts). Choose fewer.")
            }
            let ids: [Int]
            do {
                ids = try db.savepoint {
                    try DraftStore.accept(access.id, campaign: campaign, brief: values.brief, drafts: drafts, requestedBy: access.user.id, db)
                }
            } catch let error as CreditError {
                if case .insufficient = error {
                    return try refuse("Not asked: \(error.description). Ask for fewer drafts, or add credits.", 402)
                }
                throw error
            }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "ai.drafts_requested", targetType: "campaign", targetID: campaign,
                details: ["drafts": String(ids.count)], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/campaigns/\(campaign)/drafts?notice=drafts-requested"))
        }
    }
}
