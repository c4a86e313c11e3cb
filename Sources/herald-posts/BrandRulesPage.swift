// /w/{slug}/brand-rules: the words, hashtags and limits every post is checked against before review.
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum BrandRulesPage {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try render(c, access, db, flash: Notice.from(c)) }
    }

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
            if let error { return try render(c, access, db, kind: kind, text: text, error: error, status: 422) }
            try db.query("INSERT INTO brand_rules (workspace_id, kind, rule_text, severity) VALUES ($1, $2, $3, $4)",
                         [.int(access.id), .text(kind.rawValue), .text(text), .text(blocks ? "block" : "warn")])
            try Audit.record(db, workspace: access.id, actor: access.user.id, action: "brand_rule.added", details: ["kind": kind.rawValue, "text": text],
                             ip: c.request.remoteAddress)
            return .redirect(to: access.path("/brand-rules?notice=rule-added"))
        }
    }

    static func delete(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.editSettings) { access, db in
            guard try db.query("DELETE FROM brand_rules WHERE workspace_id = $1 AND id = $2", [.int(access.id), .int(id)]).affectedRows == 1 else {
                throw HTTPError.notFound
            }
            return .redirect(to: access.path("/brand-rules?notice=rule-deleted"))
        }
    }

    static func render(_ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, kind: BrandRule.Kind = .bannedTerm, text: String = "",
                       error: String? = nil, flash: Flash? = nil, status: Int = 200) throws -> Response {
        let rules = try PostStore.brandRules(access.id, db)
        let canEdit = access.role.may(.editSettings)
        let csrf = Layout.csrfField(try c.csrfToken())
        let rows = rules.map { r -> HTML in
            """
            <tr><td>\(r.kind.label)</td><td>\(r.text)</td><td>\(r.blocks ? HTML("<span class=\"badge danger\">blocks review</span>") : HTML("<span class=\"badge warn\">warns</span>"))</td>\
            <td>\(canEdit ? HTML("<form method=\"post\" action=\"\(access.path("/brand-rules/\(r.id)/delete"))\" class=\"inline\">\(csrf)<button class=\"button small\">Delete</button></form>") : HTML())</td></tr>
            """
        }
        let kinds = HTML.join(BrandRule.Kind.allCases.map { k -> HTML in
            k == kind ? "<option value=\"\(k.rawValue)\" selected>\(k.label)</option>" : "<option value=\"\(k.rawValue)\">\(k.label)</option>"
        })
        let form: HTML = canEdit ? """
            <section class="card"><h2>Add a rule</h2><form class="form" method="post" action="\(access.path("/brand-rules"))" novalidate>\(csrf)
            <div class="field"><label for="kind">Kind</label><select id="kind" name="kind">\(kinds)</select></div>
            \(Form.field("text", label: "Word, phrase, hashtag or number", value: text, error: error, maxLength: 1000))
            <label class="check"><input type="checkbox" name="severity" value="block" checked> Block submitting for review (otherwise only warn)</label>
            <div class="actions"><button class="button primary">Add rule</button></div></form></section>
            """ : HTML()
        return try c.page("Brand rules · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status, """
            <h1>Brand rules</h1><p class="lead">Every post is checked against these before it can go to review.</p>
            <section class="card">\(rules.isEmpty ? HTML("<p class=\"empty\">No rules yet.</p>")
                : HTML("<table class=\"table\"><thead><tr><th>Kind</th><th>Rule</th><th>Effect</th><th></th></tr></thead><tbody>\(rows)</tbody></table>"))</section>
            \(form)
            """)
    }
}
