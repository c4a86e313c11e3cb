// A PDF uploaded on the sources page: its text is taken out here (pdftotext, with a time limit)
// and stored as a ready source; the file itself is not kept. Who may add sources is checked before
// any work on the file, and the text is taken out with no transaction open. A file that is not a
// PDF, or has no text, is refused with the reason (422) and nothing is stored.
import HeraldFastCGI
import HeraldIdentity
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum SourceUpload {
    /// How long pdftotext may take on one file.
    static let extractSeconds = 20.0

    static func upload(_ c: RequestContext) throws -> Response {
        let form = try c.request.multipart()
        var values = SourcesView.Values()
        values.kind = "pdf"
        values.title = (form.fields["title"] ?? "").trimmed
        _ = try c.inWorkspace(.writePosts) { access, _ in access }
        let file = form.file("file")
        var text = ""
        var problem = SourceCreate.titleProblem(values.title, required: false)
        if problem == nil { (text, problem) = extract(file, maxBytes: SourceCreate.maxUpload(c)) }
        return try c.inWorkspace(.writePosts) { access, db in
            if let problem { return try SourcesPage.respond(c, access, db, values: values, error: problem, status: 422) }
            let title = values.title.isEmpty ? defaultTitle(file?.fileName ?? "") : values.title
            let id = try SourceStore.addText(access.id, kind: .pdfText, title: title, content: text, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "source.added", targetType: "source", targetID: id,
                details: ["kind": "pdf", "title": title, "file": String((file?.fileName ?? "").prefix(200))], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/sources?notice=source-added"))
        }
    }

    /// The file's text (at most a source's length), or why there is none.
    static func extract(_ file: UploadedFile?, maxBytes: Int) -> (String, String?) {
        guard let file, !file.bytes.isEmpty else { return ("", "Choose a PDF file to upload.") }
        guard file.bytes.count <= maxBytes else {
            return ("", "The file is \(SourcesView.megabytes(file.bytes.count)); Herald reads PDFs of at most \(SourcesView.megabytes(maxBytes)).")
        }
        let text: String
        do {
            // A PDF says so in its first bytes (%PDF-), whatever its name or the browser's type claim.
            text = try SourceText.fromPDF(file.bytes, timeoutSeconds: extractSeconds)
        } catch {
            return ("", error == .notPDF ? "That file is not a PDF. Upload a PDF, or paste the text instead." : error.message)
        }
        let trimmed = text.replacing("\u{0}", with: "").trimmed
        guard !trimmed.isEmpty else {
            return ("", "Herald found no text in this PDF: a scanned document holds pictures of pages, not text. Paste the text instead.")
        }
        return (String(trimmed.prefix(SourceStore.maxContent)), nil)
    }

    /// "Annual report" from "Annual report.pdf".
    static func defaultTitle(_ fileName: String) -> String {
        var name = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        if name.lowercased().hasSuffix(".pdf") { name.removeLast(4) }
        name = name.trimmed
        return name.isEmpty ? "PDF upload" : String(name.prefix(200))
    }
}
