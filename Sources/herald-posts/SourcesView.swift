// The sources page's markup: the workspace's sources with their status (and why one failed), and
// the forms that add a web page, pasted text or a PDF. Titles, addresses and errors are escaped
// like any user text.
import HeraldHTML
import HeraldIdentity
import HeraldSupport

enum SourcesView {
    /// What the add forms show: empty, or what was entered after a refusal (`kind` says which form).
    struct Values {
        var kind = "url"
        var url = ""
        var title = ""
        var text = ""
    }

    static func html(_ access: WorkspaceAccess, _ sources: [SourceSummary], values: Values, error: String?, maxUpload: Int, csrf: HTML) -> HTML {
        let rows = sources.map { s -> HTML in
            let error: HTML = s.lastError.map { "<p class=\"error small\">\($0)</p>" } ?? HTML()
            let address: HTML = s.url.map { "<br><span class=\"muted small\">\($0)</span>" } ?? HTML()
            return """
                <tr><td><a href="\(access.path("/sources/\(s.id)"))">\(s.title)</a>\(address)\(error)</td><td>\(s.kind.label)</td>\
                <td>\(badge(s.status))</td><td class="muted">\(s.fetchedAt.isEmpty ? "–" : s.fetchedAt)</td><td>\(size(s.characters))</td></tr>
                """
        }
        let list: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">No sources yet. Add a web page, some text or a PDF your personas can learn from.</p>"
            : """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Sources"><table class="table"><thead><tr><th>Source</th><th>Kind</th><th>Status</th><th>Fetched</th><th>Size</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
        let forms: HTML =
            access.role.may(.writePosts)
            ? addForms(access, values: values, error: error, maxUpload: maxUpload, csrf: csrf)
            : "<section class=\"card\"><p class=\"muted\">\(access.role.youAre(in: access.workspace.name)); owners, admins and editors add sources.</p></section>"
        return """
            <p class="muted small"><a href="\(access.path("/personas"))">Personas</a> /</p><h1>Sources</h1>
            <p class="lead">Material your personas learn their voice from: web pages, pasted text and PDFs. Herald keeps only the \
            text; it is shown and sent to the language model as material, never followed as instructions.</p>
            <section class="card">\(list)</section>
            \(forms)
            """
    }

    static func addForms(_ access: WorkspaceAccess, values: Values, error: String?, maxUpload: Int, csrf: HTML) -> HTML {
        func errorFor(_ kind: String) -> HTML {
            guard values.kind == kind, let error else { return HTML() }
            return "<p class=\"flash flash-error\" role=\"alert\">\(error)</p>"
        }
        let action = access.path("/sources")
        return """
            <section class="card"><h2>Add a web page</h2>\(errorFor("url"))
            <form class="form" method="post" action="\(action)">\(csrf)<input type="hidden" name="kind" value="url">
            \(Form.field("url", label: "Address", type: "url", value: values.kind == "url" ? values.url : "", hint: "An http:// or https:// address of a public page. Herald fetches it in a moment and keeps its readable text.", maxLength: 2048))
            \(Form.field("title", label: "Title (optional: the page's own otherwise)", value: values.kind == "url" ? values.title : "", required: false, maxLength: 200, id: "url-title"))
            <div class="actions"><button class="button primary">Add the page</button></div></form></section>
            <section class="card"><h2>Paste text</h2>\(errorFor("text"))
            <form class="form" method="post" action="\(action)">\(csrf)<input type="hidden" name="kind" value="text">
            \(Form.field("title", label: "Title", value: values.kind == "text" ? values.title : "", maxLength: 200, id: "text-title"))
            <div class="field"><label for="text">Text</label><textarea id="text" name="text" rows="8" maxlength="1000000" required>\(values.kind == "text" ? values.text : "")</textarea>
            <p class="hint">Up to 1,000,000 characters: posts, articles, a newsletter.</p></div>
            <div class="actions"><button class="button primary">Add the text</button></div></form></section>
            <section class="card"><h2>Upload a PDF</h2>\(errorFor("pdf"))
            <form class="form" method="post" action="\(action)" enctype="multipart/form-data">\(csrf)<input type="hidden" name="kind" value="pdf">
            \(Form.field("title", label: "Title (optional: the file's name otherwise)", value: values.kind == "pdf" ? values.title : "", required: false, maxLength: 200, id: "pdf-title"))
            <div class="field"><label for="file">PDF file</label><input id="file" name="file" type="file" accept=".pdf,application/pdf">
            <p class="hint">At most \(megabytes(maxUpload)). Herald takes the text out and does not keep the file; a scanned PDF without a text layer has none.</p></div>
            <div class="actions"><button class="button primary">Upload and read</button></div></form></section>
            """
    }

    static func badge(_ status: String) -> HTML {
        switch status {
        case "ready": return "<span class=\"badge ok\">Ready</span>"
        case "failed": return "<span class=\"badge error\">Failed</span>"
        default: return "<span class=\"badge info\">Pending</span>"
        }
    }

    /// "12,345 characters".
    static func size(_ characters: Int) -> String {
        guard characters > 0 else { return "–" }
        return grouped(characters) + (characters == 1 ? " character" : " characters")
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(max(1, bytes >> 10)) KB"
    }
}
