// The audit log's markup: the filter form, the events (time, action, actor, workspace, target,
// address, details) and the link to older ones, and the CSV download of the same filter.
import HeraldHTML

enum AuditView {
    static func render(_ filter: AuditFilter, events: [AuditLine], hasOlder: Bool, notes: [String], timeZone: String) -> HTML {
        let csv = link("/admin/audit.csv", filter.items)
        let rows = events.map(row)
        let table: HTML =
            events.isEmpty
            ? "<p class=\"empty\">\(filter.isEmpty ? "No events yet." : "No event matches this filter.")</p>"
            : """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Audit log"><table class="table"><thead><tr><th>No.</th><th>Time</th><th>Action</th><th>Actor</th><th>Workspace</th>\
            <th>Target</th><th>Address</th><th>Details</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        var pager: [HTML] = []
        if filter.before != nil { pager.append("<a href=\"\(link("/admin/audit", filter.items))\">← Newest</a>") }
        if hasOlder, let last = events.last {
            pager.append("<a href=\"\(link("/admin/audit", filter.items + [("before", String(last.id))]))\" rel=\"next\">Older →</a>")
        }
        return """
            <div class="page-head"><h1>Audit log</h1><p class="actions"><a class="button" href="\(csv)" download>Download CSV</a></p></div>
            <p class="muted small">Times are in your time zone, \(timeZone). The CSV holds the same filter, newest first, at most \
            \(AuditExport.limit) events.</p>
            <form class="filters" method="get" action="/admin/audit">
            <label>Actor (email or id) <input type="text" name="actor" value="\(filter.actor)" maxlength="254"></label>
            <label>Workspace (slug or id) <input type="text" name="workspace" value="\(filter.workspace)" maxlength="100"></label>
            <label>Action starts with <input type="text" name="action" value="\(filter.action)" maxlength="100" placeholder="admin."></label>
            <label>From <input type="date" name="from" value="\(filter.from)"></label>
            <label>To <input type="date" name="to" value="\(filter.to)"></label>
            <button class="button">Filter</button> <a href="/admin/audit">Clear</a></form>
            \(notes.map { HTML("<p class=\"flash flash-info\" role=\"status\">\($0)</p>") })
            <section class="card">\(table)<nav class="pagination" aria-label="Pages">\(pager)</nav></section>
            """
    }

    static func row(_ e: AuditLine) -> HTML {
        let actor: HTML =
            e.actorID.map { id in
                e.actorEmail.map { HTML("<a href=\"/admin/users/\(id)\">\($0)</a>") }
                    ?? HTML("user \(id) <span class=\"muted small\">(deleted)</span>")
            } ?? "<span class=\"muted\">Herald</span>"
        let workspace: HTML =
            e.workspaceID.map { id in
                e.workspaceDeleted
                    ? HTML("\(e.workspaceSlug ?? String(id)) <span class=\"badge muted\">deleted</span>")
                    : HTML("<a href=\"/admin/workspaces/\(id)\">\(e.workspaceSlug ?? String(id))</a>")
            } ?? "<span class=\"muted\">—</span>"
        let targetText: String? = e.targetType.map { type in e.targetID.map { "\(type) \($0)" } ?? type }
        let target: HTML = targetText.map { HTML(escaping: $0) } ?? "<span class=\"muted\">—</span>"
        let details = HTML.join(e.details.map { d -> HTML in "<span class=\"muted\">\(d.key):</span> \(d.value)<br>" })
        return """
            <tr><td class="muted">\(e.id)</td><td class="small">\(e.time)</td><td><code>\(e.action)</code></td><td class="small">\(actor)</td>\
            <td class="small">\(workspace)</td><td class="small">\(target)</td><td class="small">\(e.ip ?? "")</td><td class="small">\(details)</td></tr>
            """
    }
}
