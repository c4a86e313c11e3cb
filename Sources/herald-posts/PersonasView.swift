// The personas list: each persona with its sources and whether it has a style profile, and the
// form for a new one (a name and voice notes).
import HeraldHTML
import HeraldIdentity

enum PersonasView {
    /// The name and notes form's values: empty, or what was entered after a refusal.
    struct Values {
        var name = ""
        var notes = ""
    }

    static func html(_ access: WorkspaceAccess, _ personas: [PersonaSummary], values: Values, error: String?, csrf: HTML) -> HTML {
        let rows = personas.map { p -> HTML in
            let status: HTML = p.archived ? "<span class=\"badge muted\">Archived</span>" : "<span class=\"badge ok\">Active</span>"
            return """
                <tr><td><a href="\(access.path("/personas/\(p.id)"))">\(p.name)</a></td><td>\(status)</td><td>\(p.sources)</td>\
                <td>\(p.hasProfile ? "Yes" : "Not yet")</td></tr>
                """
        }
        let list: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">No personas yet.</p>"
            : """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Personas"><table class="table"><thead><tr><th>Persona</th><th>Status</th><th>Sources</th><th>Style profile</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
        let form: HTML =
            access.role.may(.writePosts)
            ? """
            <section class="card"><h2>New persona</h2>\(formHTML(access.path("/personas"), values, error: error, csrf: csrf, label: "Create persona"))</section>
            """ : HTML()
        return """
            <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> /</p><h1>Personas</h1>
            <p class="lead">The voices your team writes in. Describe one in your own words, link the <a href="\(access.path("/sources"))">sources</a> \
            that show it, and let the language model learn a style profile from them; AI drafts are then written in that voice.</p>
            <section class="card">\(list)</section>
            \(form)
            """
    }

    /// The name and voice notes form, for a new persona and on a persona's page.
    static func formHTML(_ action: String, _ v: Values, error: String?, csrf: HTML, label: StaticString) -> HTML {
        let errorHTML: HTML = error.map { "<p class=\"flash flash-error\" role=\"alert\">\($0)</p>" } ?? HTML()
        return """
            \(errorHTML)<form class="form" method="post" action="\(action)">\(csrf)
            \(Form.field("name", label: "Name", value: v.name, hint: "Like “Founder voice” or “Support team”.", maxLength: 100))
            <div class="field"><label for="notes">Voice notes (optional)</label><textarea id="notes" name="notes" rows="5" maxlength="5000">\(v.notes)</textarea>
            <p class="hint">How this voice writes: tone, words it uses and avoids, who it speaks to.</p></div>
            <div class="actions"><button class="button primary">\(HTML(stringLiteral: label))</button></div></form>
            """
    }
}
