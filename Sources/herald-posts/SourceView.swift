// One source's markup: where it came from, its status, the text Herald keeps (escaped, its line
// breaks kept: whatever a page or a file says is shown as text, never as markup), the personas
// learning from it, and the delete button for those who may.
import HeraldHTML
import HeraldIdentity

enum SourceView {
    static func html(_ access: WorkspaceAccess, _ source: SourceDetail, csrf: HTML) -> HTML {
        let s = source.summary
        let origin: HTML = s.url.map { "<p>Address: <a href=\"\(url: $0)\" rel=\"noopener noreferrer nofollow\">\($0)</a></p>" } ?? HTML()
        let failure: HTML = s.lastError.map { "<p class=\"flash flash-error\">\($0)</p>" } ?? HTML()
        let when: HTML = s.fetchedAt.isEmpty ? "Added \(s.createdAt)" : "Added \(s.createdAt) · text taken \(s.fetchedAt)"
        let text: HTML
        if let content = source.content {
            text =
                "<section class=\"card\"><h2>Text (\(SourcesView.size(s.characters)))</h2><div class=\"pre\">\(content)</div></section>"
        } else if s.status == "pending" {
            text = "<section class=\"card\"><p class=\"empty\">Herald is fetching this page; its text appears here in a moment.</p></section>"
        } else {
            text = HTML()
        }
        let personas: HTML =
            source.personas.isEmpty
            ? "<p class=\"muted\">No persona learns from this source yet. Link it on a <a href=\"\(access.path("/personas"))\">persona's page</a>.</p>"
            : "<p>Personas learning from it: \(HTML.join(source.personas.enumerated().map { i, p -> HTML in "\(i > 0 ? ", " : "")<a href=\"\(access.path("/personas/\(p.id)"))\">\(p.name)</a>" }))</p>"
        let delete: HTML =
            access.role.may(.writePosts)
            ? """
            <form method="post" action="\(access.path("/sources/\(s.id)/delete"))" class="inline">\(csrf)<button class="button danger small">Delete this source</button></form>
            """ : HTML()
        return """
            <p class="muted small"><a href="\(access.path("/sources"))">Sources</a> /</p>
            <h1>\(s.title)</h1>
            <p>\(SourcesView.badge(s.status)) \(s.kind.label) <span class="muted small">· \(when)</span></p>
            \(origin)\(failure)\(personas)
            \(text)
            \(delete)
            """
    }
}
