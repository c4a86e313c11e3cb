// Adding a brand rule (a banned or required term, a required hashtag, a hashtag limit, a tone, a
// guideline) that blocks submitting for review or only warns.
import HeraldContent
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum BrandRuleCreate {
    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.editSettings) { access, db in
            let text = (form["text"] ?? "").trimmed
            guard let kind = BrandRule.Kind(rawValue: form["kind"] ?? "") else { throw HTTPError.badRequest("Choose a kind of rule from the list.") }
            let blocks = form["severity"] == "block"
            var error: String?
            if text.isEmpty { error = "Enter the rule's text." } else if text.count > 1000 { error = "Use at most 1,000 characters." }
            if kind == .maxHashtags, Int(text).map({ $0 < 0 || $0 > 999 }) ?? true { error = "Enter a number from 0 to 999." }
            if kind == .hashtag, text.dropFirst(text.hasPrefix("#") ? 1 : 0).contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                error = "A hashtag is letters, digits and _ only, like #herald."
            }
            if let error { return try BrandRulesShow.respond(c, access, db, kind: kind, text: text, error: error, status: 422) }
            try BrandRuleStore.add(access.id, kind: kind, text: text, blocks: blocks, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "brand_rule.added", details: ["kind": kind.rawValue, "text": text],
                ip: c.request.remoteAddress)
            return .redirect(to: access.path("/brand-rules?notice=rule-added"))
        }
    }
}
