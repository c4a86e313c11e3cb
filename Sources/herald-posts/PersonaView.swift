// A persona's page: its name and voice notes, the sources it learns from (link and unlink), its
// style profile (learned by the model, editable by people), "Learn style" with its price (or how to
// configure a model), and archiving. Every text a source, a person or a model wrote is escaped.
import HeraldHTML
import HeraldIdentity

enum PersonaView {
    /// What the page shows; `errors` by section: details, sources, profile, learn.
    struct Model {
        let persona: PersonaRecord
        var values: PersonasView.Values
        var profile: String
        let linked: [PersonaSource]
        let others: [PersonaSource]
        let learning: LearnState?
        let price: Int?
        let balance: Int
        let modelConfigured: Bool
        /// Names this copy of the learn form, so sending it twice queues one job.
        let nonce: String
        var errors: [String: String] = [:]
    }

    static func html(_ access: WorkspaceAccess, _ m: Model, csrf: HTML) -> HTML {
        let p = m.persona
        let base = access.path("/personas/\(p.id)")
        let canWrite = access.role.may(.writePosts)
        let details: HTML =
            canWrite
            ? PersonasView.formHTML(base, m.values, error: m.errors["details"], csrf: csrf, label: "Save")
            : "<p>\(p.notes.isEmpty ? "No voice notes." : p.notes)</p>"
        let archive: HTML =
            canWrite
            ? """
            <form method="post" action="\(base)/\(p.archived ? "restore" : "archive")" class="inline">\(csrf)<button class="button small">\(p.archived ? "Restore" : "Archive") this persona</button></form>
            """ : HTML()
        return """
            <p class="muted small"><a href="\(access.path("/personas"))">Personas</a> /</p>
            <h1>\(p.name)\(p.archived ? HTML(" <span class=\"badge muted\">Archived</span>") : HTML())</h1>
            <section class="card"><h2>Voice</h2>\(details)</section>
            <section class="card"><h2>Sources</h2>\(sources(access, m, canWrite: canWrite, csrf: csrf))</section>
            <section class="card"><h2>Style profile</h2>\(profile(m, base: base, canWrite: canWrite, csrf: csrf))</section>
            <section class="card"><h2>Learn the style from the sources</h2>\(learn(access, m, base: base, csrf: csrf))</section>
            \(archive)
            """
    }

    static func errorHTML(_ message: String?) -> HTML {
        message.map { "<p class=\"flash flash-error\" role=\"alert\">\($0)</p>" } ?? HTML()
    }

    static func sources(_ access: WorkspaceAccess, _ m: Model, canWrite: Bool, csrf: HTML) -> HTML {
        let base = access.path("/personas/\(m.persona.id)")
        let rows = m.linked.map { s -> HTML in
            let unlink: HTML =
                canWrite
                ? "<form method=\"post\" action=\"\(base)/sources/\(s.id)/unlink\" class=\"inline\">\(csrf)<button class=\"button small\">Unlink</button></form>"
                : HTML()
            return
                "<tr><td><a href=\"\(access.path("/sources/\(s.id)"))\">\(s.title)</a></td><td>\(s.kind.label)</td><td>\(SourcesView.badge(s.status))</td><td>\(unlink)</td></tr>"
        }
        let list: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">No sources linked yet.</p>"
            : "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Linked sources\"><table class=\"table\"><thead><tr><th>Source</th><th>Kind</th><th>Status</th><th><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>\(rows)</tbody></table></div>"
        guard canWrite else { return list }
        let add: HTML
        if m.others.isEmpty {
            add =
                "<p class=\"muted small\">Add web pages, text or PDFs on the <a href=\"\(access.path("/sources"))\">sources page</a> to link them here.</p>"
        } else {
            let options = HTML.join(
                m.others.map { s -> HTML in "<option value=\"\(s.id)\">\(s.title) (\(s.kind.label.lowercased()), \(s.status))</option>" })
            add = """
                <form class="form" method="post" action="\(base)/sources">\(csrf)
                <div class="field"><label for="source">Link a source</label><select id="source" name="source">\(options)</select></div>
                <div class="actions"><button class="button">Link</button></div></form>
                """
        }
        return errorHTML(m.errors["sources"]) + list + add
    }

    static func profile(_ m: Model, base: String, canWrite: Bool, csrf: HTML) -> HTML {
        let p = m.persona
        var origin: HTML = p.learnedAt.isEmpty ? HTML() : "Learned from the sources on \(p.learnedAt)."
        if p.editedByPerson { origin.append(" Edited by a person since.") }
        let note: HTML = p.profile.isEmpty ? "<p class=\"muted\">No style profile yet.</p>" : "<p class=\"muted small\">\(origin)</p>"
        guard canWrite else { return note + (p.profile.isEmpty ? HTML() : "<div class=\"pre\">\(p.profile)</div>") }
        return """
            \(errorHTML(m.errors["profile"]))\(note)
            <form class="form" method="post" action="\(base)/profile">\(csrf)
            <div class="field"><label for="profile">Profile</label><textarea id="profile" name="profile" rows="10" maxlength="5000">\(m.profile)</textarea>
            <p class="hint">How drafts in this voice should read. Edit it freely; leave it empty to remove it.</p></div>
            <div class="actions"><button class="button">Save the profile</button></div></form>
            """
    }

    static func learn(_ access: WorkspaceAccess, _ m: Model, base: String, csrf: HTML) -> HTML {
        guard m.modelConfigured else {
            return """
                \(errorHTML(m.errors["learn"]))<p class="empty">No language model is configured. An administrator sets <code>HERALD_AI_BASE_URL</code> \
                (any OpenAI-compatible endpoint: a hosted provider, or a local llama.cpp server, Ollama or vLLM), <code>HERALD_AI_MODEL</code> \
                and, if the endpoint needs one, <code>HERALD_AI_API_KEY</code>, then restarts Herald. The profile can still be written by hand above.</p>
                """
        }
        var state = HTML()
        if let l = m.learning {
            switch l.status {
            case "queued", "running":
                state = "<p><span class=\"badge info\">Learning</span> Asked \(l.requestedAt); the profile appears above in a minute or so.</p>"
            case "done" where !l.refunded:
                state = "<p class=\"muted small\">Last learned from a request of \(l.requestedAt).</p>"
            default:
                state =
                    "<p class=\"flash flash-error\">The request of \(l.requestedAt) failed: \(l.note ?? "no reason given")\(l.refunded ? " Its credits were refunded." : "")</p>"
            }
        }
        guard access.role.may(.spendCredits) else {
            return state
                + "<p class=\"muted\">\(access.role.youAre(in: access.workspace.name)); learning spends credits, which owners, admins and editors may do.</p>"
        }
        let price = m.price.map { "\($0) credits" } ?? "credits"
        return """
            \(errorHTML(m.errors["learn"]))\(state)
            <p>The model reads the persona's linked, ready sources (this workspace's only) and writes a style profile, which replaces the one above. \
            It costs \(price); the workspace has \(m.balance). A request that fails is refunded.</p>
            <form method="post" action="\(base)/learn">\(csrf)<input type="hidden" name="nonce" value="\(m.nonce)">
            <div class="actions"><button class="button primary">Learn style</button></div></form>
            """
    }
}
