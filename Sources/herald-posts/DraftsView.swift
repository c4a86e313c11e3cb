// The drafts page's markup: the request form (or how to configure a model), and the campaign's
// candidates with what they say, what they break, what they cost, and the review buttons. Every
// text a model or a source wrote is escaped like any user text.
import HeraldContent
import HeraldHTML
import HeraldIdentity

enum DraftsView {
    /// What the form shows: empty, or what was entered after a refusal.
    struct Values {
        var brief = ""
        var kinds: Set<DraftKind> = [.post]
        var platforms: Set<Platform> = []
        var personas: Set<Int> = []
        var count = "1"
    }

    static func html(
        _ access: WorkspaceAccess, campaign: Int, name: String, personas: [PersonaChoice], candidates: [CandidateRecord], values: Values,
        error: String?, modelConfigured: Bool, prices: [String: Int], balance: Int, csrf: HTML
    ) -> HTML {
        let canAsk = access.role.may(.spendCredits)
        let form: HTML
        if !modelConfigured {
            form = """
                <section class="card"><h2>Write drafts with AI</h2><p class="empty">No language model is configured. An administrator \
                sets <code>HERALD_AI_BASE_URL</code> (any OpenAI-compatible endpoint: a hosted provider, or a local llama.cpp server, \
                Ollama or vLLM), <code>HERALD_AI_MODEL</code> and, if the endpoint needs one, <code>HERALD_AI_API_KEY</code>, then \
                restarts Herald. Everything else works without it.</p></section>
                """
        } else if canAsk {
            form = requestForm(
                access, campaign: campaign, personas: personas, values: values, error: error, prices: prices, balance: balance, csrf: csrf)
        } else {
            form =
                "<section class=\"card\"><p class=\"muted\">\(access.role.youAre(in: access.workspace.name)); asking for drafts spends credits, which owners, admins and editors may do.</p></section>"
        }
        let list: HTML =
            candidates.isEmpty ? "<p class=\"empty\">No drafts on this campaign yet.</p>" : HTML.join(candidates.map { card(access, $0, csrf: csrf) })
        return """
            <p class="muted small"><a href="\(access.path("/campaigns"))">Campaigns</a> / <a href="\(access.path("/campaigns/\(campaign)"))">\(name)</a> /</p>
            <h1>AI drafts</h1>
            <p class="lead">Drafts a language model writes from your brief, in your <a href="\(access.path("/personas"))">personas'</a> \
            voices, from their <a href="\(access.path("/sources"))">sources</a>. Nothing it writes is scheduled or published until a \
            person approves it here and the post then passes the normal review.</p>
            \(form)
            <section class="card"><h2>Drafts</h2>\(list)</section>
            """
    }

    static func requestForm(
        _ access: WorkspaceAccess, campaign: Int, personas: [PersonaChoice], values: Values, error: String?, prices: [String: Int], balance: Int,
        csrf: HTML
    ) -> HTML {
        let errorHTML: HTML = error.map { "<p class=\"flash flash-error\" role=\"alert\">\($0)</p>" } ?? HTML()
        let kinds = HTML.join(
            DraftKind.allCases.map { kind -> HTML in
                let checked: HTML = values.kinds.contains(kind) ? " checked" : ""
                let price = prices[kind.priceAction].map { " · \($0) credits each" } ?? ""
                return
                    "<label class=\"check\"><input type=\"checkbox\" name=\"kind\" value=\"\(kind.rawValue)\"\(checked)> \(kind.label)<span class=\"muted small\">\(price)</span></label>"
            })
        let platforms = HTML.join(
            Platform.allCases.map { p -> HTML in
                let checked: HTML = values.platforms.contains(p) ? " checked" : ""
                return "<label class=\"check\"><input type=\"checkbox\" name=\"platform\" value=\"\(p.rawValue)\"\(checked)> \(p.label)</label>"
            })
        let personaChoices: HTML =
            personas.isEmpty
            ? "<p class=\"muted small\">No personas yet: <a href=\"\(access.path("/personas"))\">add one</a> to write in a voice of your own.</p>"
            : HTML.join(
                personas.map { p -> HTML in
                    let checked: HTML = values.personas.contains(p.id) ? " checked" : ""
                    return "<label class=\"check\"><input type=\"checkbox\" name=\"persona\" value=\"\(p.id)\"\(checked)> \(p.name)</label>"
                })
        return """
            <section class="card"><h2>Write drafts with AI</h2>\(errorHTML)
            <form method="post" action="\(access.path("/campaigns/\(campaign)/drafts"))" class="form">\(csrf)
            <div class="field"><label for="brief">Brief</label><textarea id="brief" name="brief" rows="4" maxlength="2000" required>\(values.brief)</textarea>
            <p class="hint">What the drafts are about: the news, the audience, the call to action.</p></div>
            <fieldset class="field"><legend>Kinds of draft</legend>\(kinds)</fieldset>
            <fieldset class="field"><legend>Platforms (for "a post for each chosen platform")</legend>\(platforms)</fieldset>
            <fieldset class="field"><legend>Personas (none: a neutral voice)</legend>\(personaChoices)</fieldset>
            <div class="field"><label for="count">How many of each</label><input id="count" name="count" type="number" min="1" max="10" value="\(values.count)"></div>
            <p class="muted small">The workspace has \(balance) credits. Each draft is paid when you ask and refunded if it cannot be written.</p>
            <div class="actions"><button class="button primary">Write drafts</button></div>
            </form></section>
            """
    }

    static func badge(_ status: CandidateStatus) -> HTML {
        switch status {
        case .generating: return "<span class=\"badge info\">\(status.label)</span>"
        case .pendingReview: return "<span class=\"badge warn\">\(status.label)</span>"
        case .approved: return "<span class=\"badge\">\(status.label)</span>"
        case .rejected: return "<span class=\"badge muted\">\(status.label)</span>"
        case .failed: return "<span class=\"badge error\">\(status.label)</span>"
        }
    }

    static func card(_ access: WorkspaceAccess, _ c: CandidateRecord, csrf: HTML) -> HTML {
        let what = c.kind == .post ? "A \(c.platform?.label ?? "") post" : c.kind.label
        let persona: HTML = c.personaName.map { " · as \($0)" } ?? HTML()
        let title: HTML = c.title.map { "<h3>\($0)</h3>" } ?? HTML()
        let body: HTML = c.body.map { "<div class=\"draft-body\"><pre class=\"pre\">\($0)</pre></div>" } ?? HTML()
        let findings: HTML =
            c.findings.isEmpty
            ? HTML() : "<ul class=\"findings\">\(HTML.join(c.findings.map { f -> HTML in "<li>\(f)</li>" }))</ul>"
        let failure: HTML = c.lastError.map { "<p class=\"flash flash-error\">\($0)</p>" } ?? HTML()
        var actions = HTML()
        if c.status == .pendingReview && access.role.may(.writePosts) {
            actions = """
                <div class="actions"><form method="post" action="\(access.path("/drafts/\(c.id)/approve"))" class="inline">\(csrf)<button class="button primary small">Approve: make a post draft</button></form>
                <form method="post" action="\(access.path("/drafts/\(c.id)/reject"))" class="inline">\(csrf)<button class="button small">Reject</button></form></div>
                """
        }
        if let post = c.postID { actions.append("<p><a href=\"\(access.path("/posts/\(post)"))\">The post made of it</a></p>") }
        return """
            <article class="draft" id="draft-\(c.id)"><p>\(badge(c.status)) <strong>\(what)</strong>\(persona) \
            <span class="muted small">· \(c.createdAt) · \(c.credits) credits\(c.status == .failed ? " (refunded)" : "")</span></p>
            \(title)\(body)\(findings)\(failure)<details><summary>Brief</summary><p>\(c.brief)</p></details>\(actions)</article>
            """
    }
}
