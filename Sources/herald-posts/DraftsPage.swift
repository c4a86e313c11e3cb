// /w/{slug}/campaigns/{id}/drafts: AI drafts on a campaign: the form that asks a model for drafts
// (personas, kinds, platforms, how many, a brief) and the candidates with their review buttons. With
// no model configured the page says how to configure one.
import HeraldBilling
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum DraftsPage {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.view) { access, db in
            try respond(c, access, db, campaign: id, values: DraftsView.Values(), error: nil, flash: Notice.from(c))
        }
    }

    /// Whether a model is configured (HERALD_AI_BASE_URL), read once per process (the key may be a
    /// file); a configuration the worker would refuse counts as none, and says why in the log.
    static let modelConfigured: Bool = {
        do {
            return try AIConfig.fromEnvironment() != nil
        } catch {
            Log.error("the language model is not usable", ["error": String(describing: error)])
            return false
        }
    }()

    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, campaign: Int, values: DraftsView.Values, error: String?,
        flash: Flash? = nil, status: Int = 200
    ) throws -> Response {
        guard let stored = try CampaignStore.find(access.id, id: campaign, db) else { throw HTTPError.notFound }
        let personas = try DraftStore.personas(access.id, db)
        let candidates = try DraftStore.candidates(access.id, campaign: campaign, timeZone: access.user.timeZone, db)
        let prices = try db.query(
            "SELECT action, credits FROM credit_prices WHERE action IN ('generate_post', 'generate_thread', 'generate_outline')"
        ).rows.map { (try $0.string(0), try $0.int(1)) }
        let balance = try Credits.balance(db, workspace: access.id)
        return try c.page(
            "Drafts · \(stored.name) · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            DraftsView.html(
                access, campaign: campaign, name: stored.name, personas: personas, candidates: candidates, values: values, error: error,
                modelConfigured: modelConfigured, prices: Dictionary(uniqueKeysWithValues: prices), balance: balance,
                csrf: Layout.csrfField(try c.csrfToken())))
    }
}
