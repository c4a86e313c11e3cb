// The CSV import page: what the file must look like, the upload form, and after an upload each
// row's result.
import HeraldHTML
import HeraldIdentity

enum PostsImportView {
    /// `report` is nil before any upload (no rows table).
    static func html(_ access: WorkspaceAccess, report: [PostsImport.Outcome]?, csrf: HTML) -> HTML {
        let rows = (report ?? []).map { o -> HTML in
            "<tr><td>\(o.line)</td><td>\(o.title)</td><td>\(o.errors.isEmpty ? HTML("<span class=\"badge\">ok</span>") : HTML("<span class=\"badge danger\">\(o.errors.joined(separator: "; "))</span>"))</td></tr>"
        }
        return """
            <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> /</p><h1>Import drafts from CSV</h1>
            <section class="card"><p>A CSV file with a header line naming its columns: <code>title</code>, <code>body</code> (required),
            <code>campaign</code> (an existing campaign's name), <code>tags</code> (separated by semicolons). Each row becomes a draft.</p>
            <form class="form" method="post" action="\(access.path("/posts/import"))" enctype="multipart/form-data">\(csrf)
            <div class="field"><label for="file">CSV file</label><input id="file" name="file" type="file" accept=".csv,text/csv"></div>
            <label class="check"><input type="checkbox" name="import_valid" value="yes"> Import the valid rows even if some rows have problems</label>
            <div class="actions"><button class="button primary">Check and import</button></div></form></section>
            \(report == nil ? HTML() : HTML("<section class=\"card\"><h2>Rows</h2><table class=\"table\"><thead><tr><th>Line</th><th>Post</th><th>Result</th></tr></thead><tbody>\(rows)</tbody></table></section>"))
            """
    }
}
