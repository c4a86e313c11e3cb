// The brand rules page: the workspace's rules, each deletable by who may edit settings, and the
// form to add one.
import HeraldContent
import HeraldHTML
import HeraldIdentity

enum BrandRulesView {
    /// `kind`, `text` and `error` refill the add form after a refused attempt.
    static func html(_ access: WorkspaceAccess, _ rules: [BrandRule], kind: BrandRule.Kind, text: String, error: String?, csrf: HTML) -> HTML {
        let canEdit = access.role.may(.editSettings)
        let rows = rules.map { r -> HTML in
            """
            <tr><td>\(r.kind.label)</td><td>\(r.text)</td><td>\(r.blocks ? HTML("<span class=\"badge danger\">blocks review</span>") : HTML("<span class=\"badge warn\">warns</span>"))</td>\
            <td>\(canEdit ? HTML("<form method=\"post\" action=\"\(access.path("/brand-rules/\(r.id)/delete"))\" class=\"inline\">\(csrf)<button class=\"button small\">Delete</button></form>") : HTML())</td></tr>
            """
        }
        let kinds = HTML.join(
            BrandRule.Kind.allCases.map { k -> HTML in
                k == kind ? "<option value=\"\(k.rawValue)\" selected>\(k.label)</option>" : "<option value=\"\(k.rawValue)\">\(k.label)</option>"
            })
        let form: HTML =
            canEdit
            ? """
            <section class="card"><h2>Add a rule</h2><form class="form" method="post" action="\(access.path("/brand-rules"))" novalidate>\(csrf)
            <div class="field"><label for="kind">Kind</label><select id="kind" name="kind">\(kinds)</select></div>
            \(Form.field("text", label: "Word, phrase, hashtag or number", value: text, error: error, maxLength: 1000))
            <label class="check"><input type="checkbox" name="severity" value="block" checked> Block submitting for review (otherwise only warn)</label>
            <div class="actions"><button class="button primary">Add rule</button></div></form></section>
            """ : HTML()
        return """
            <h1>Brand rules</h1><p class="lead">Every post is checked against these before it can go to review.</p>
            <section class="card">\(rules.isEmpty ? HTML("<p class=\"empty\">No rules yet.</p>")
                : HTML("<table class=\"table\"><thead><tr><th>Kind</th><th>Rule</th><th>Effect</th><th></th></tr></thead><tbody>\(rows)</tbody></table>"))</section>
            \(form)
            """
    }
}
