// Adding a source from the sources page: a web page (stored pending; herald-worker fetches it) or
// pasted text (ready at once). A PDF arrives as multipart/form-data and goes to SourceUpload. A
// refused one shows the page again with the message (422) and changes nothing.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum SourceCreate {
    /// The largest PDF accepted, within the request body limit (HERALD_MAX_BODY_BYTES, and nginx's).
    static let maxPDFBytes = 10 << 20

    static func maxUpload(_ c: RequestContext) -> Int { min(maxPDFBytes, c.config.maxBodyBytes) }

    static func create(_ c: RequestContext) throws -> Response {
        if c.request.contentType.lowercased().hasPrefix("multipart/form-data") { return try SourceUpload.upload(c) }
        let form = try c.form()
        var values = SourcesView.Values()
        values.kind = form["kind"] ?? ""
        values.url = (form["url"] ?? "").trimmed
        values.title = (form["title"] ?? "").trimmed
        values.text = form["text"] ?? ""
        return try c.inWorkspace(.writePosts) { access, db in
            func refuse(_ message: String) throws -> Response {
                try SourcesPage.respond(c, access, db, values: values, error: message, status: 422)
            }
            if let problem = titleProblem(values.title, required: values.kind == "text") { return try refuse(problem) }
            let id: Int
            switch values.kind {
            case "url":
                let (url, problem) = checkedURL(values.url)
                if let problem { return try refuse(problem) }
                id = try SourceStore.addURL(access.id, url: url, title: values.title, db)
            case "text":
                let text = values.text.trimmed
                guard !text.isEmpty else { return try refuse("Paste the text to add.") }
                guard text.count <= SourceStore.maxContent else {
                    return try refuse("The text has \(SourcesView.size(text.count)); a source holds at most 1,000,000. Split it in two.")
                }
                id = try SourceStore.addText(access.id, kind: .text, title: values.title, content: text, db)
            default:
                return try refuse("Choose what to add: a web page, pasted text or a PDF file.")
            }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "source.added", targetType: "source", targetID: id,
                details: ["kind": values.kind, "title": values.title], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/sources?notice=" + (values.kind == "url" ? "source-fetching" : "source-added")))
        }
    }

    /// Why a title is refused, or nil.
    static func titleProblem(_ title: String, required: Bool) -> String? {
        if required && title.isEmpty { return "Give the source a title." }
        if title.count > 200 { return "Keep the title to 200 characters (it has \(title.count))." }
        return nil
    }

    /// The address with its scheme in lower case, or why it is refused. Whether it may be fetched
    /// (a public address) is the worker's check, when it fetches.
    static func checkedURL(_ text: String) -> (String, String?) {
        guard !text.isEmpty else { return (text, "Enter the page's address.") }
        guard text.count <= 2048 else { return (text, "Use an address of at most 2,048 characters.") }
        let lower = text.lowercased()
        let scheme = lower.hasPrefix("https://") ? "https://" : lower.hasPrefix("http://") ? "http://" : nil
        let rest = scheme.map { String(text.dropFirst($0.count)) } ?? ""
        guard let scheme, !rest.isEmpty, !rest.hasPrefix("/"), !text.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            return (text, "Give an http:// or https:// address, like https://example.com/article.")
        }
        return (scheme + rest, nil)
    }
}
