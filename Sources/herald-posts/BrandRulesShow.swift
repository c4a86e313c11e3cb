// /w/{slug}/brand-rules: the words, hashtags and limits every post is checked against before review.
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum BrandRulesShow {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try respond(c, access, db, flash: Notice.from(c)) }
    }

    /// Loads the rules and renders the page; BrandRuleCreate uses it to show the add form again with its error.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, kind: BrandRule.Kind = .bannedTerm, text: String = "",
        error: String? = nil, flash: Flash? = nil, status: Int = 200
    ) throws -> Response {
        let rules = try BrandRuleStore.rules(access.id, db)
        return try c.page(
            "Brand rules · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            BrandRulesView.html(access, rules, kind: kind, text: text, error: error, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
