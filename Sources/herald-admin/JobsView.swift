// The job queue's markup: a table of jobs by kind and status, the oldest due job's age, and the dead
// jobs with their last error and the retry and discard buttons.
import HeraldHTML
import HeraldSupport

enum JobsView {
    struct Model {
        let counts: [(kind: String, status: String, count: Int)]
        let due: (seconds: Int?, count: Int)
        let kind: String
        let page: Int
        let deadTotal: Int
        let dead: [DeadJob]
    }

    static func render(_ m: Model, csrf: HTML) -> HTML {
        let kinds = Array(Set(m.counts.map(\.kind))).sorted()
        let statuses = JobStore.statuses
        let countRows = kinds.map { kind -> HTML in
            let cells = statuses.map { status -> HTML in
                let n = m.counts.first { $0.kind == kind && $0.status == status }?.count ?? 0
                return status == "dead" && n > 0
                    ? "<td class=\"num\"><a href=\"\(link("/admin/jobs", [("kind", kind)]))\">\(grouped(n))</a></td>"
                    : "<td class=\"num\">\(grouped(n))</td>"
            }
            return "<tr><td><code>\(kind)</code></td>\(cells)</tr>"
        }
        let countTable: HTML =
            kinds.isEmpty
            ? "<p class=\"muted\">The queue is empty: no job has ever been queued.</p>"
            : """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Jobs by kind and status"><table class="table"><thead><tr><th>Kind</th>\(statuses.map { s -> HTML in "<th class=\"num\">\(s)</th>" })</tr></thead>\
            <tbody>\(countRows)</tbody></table></div>
            """
        let oldest: HTML =
            m.due.seconds.map { HTML("\(m.due.count) due now; the oldest has waited \(duration($0)).") } ?? "No job is due now."
        return """
            <h1>Job queue</h1>
            <div class="grid wide-first">
            <section class="card"><h2>Jobs by kind and status</h2>\(countTable)</section>
            <section class="card"><h2>Due</h2><p>\(oldest)</p><p class="muted small">A job is due once its time has come; \
            herald-worker claims due jobs as it has room. A long wait means the workers are busy, stopped or failing.</p></section>
            </div>
            <section class="card"><h2>Dead jobs\(m.kind.isEmpty ? HTML() : HTML(" of kind <code>\(m.kind)</code> <a class=\"small\" href=\"/admin/jobs\">(all kinds)</a>"))</h2>
            <p class="muted small">A dead job used up its attempts or failed for good. Retry puts it back in the queue, due now, \
            with its attempts counted from zero; discard cancels it for good. Both ask for your password first.</p>
            \(deadTable(m, csrf: csrf))</section>
            """
    }

    static func deadTable(_ m: Model, csrf: HTML) -> HTML {
        guard !m.dead.isEmpty else { return "<p class=\"empty\">No dead jobs.</p>" }
        let rows = m.dead.map { j -> HTML in
            let workspace: HTML =
                j.workspaceSlug.map { HTML("<a href=\"/admin/workspaces/\(j.workspaceID)\">\($0)</a>") } ?? HTML("\(j.workspaceID)")
            return """
                <tr><td class="muted">\(j.id)</td><td><code>\(j.kind)</code><br><span class="muted small">\(j.key ?? "")</span></td>\
                <td class="small">\(workspace)</td><td class="num">\(j.attempts)/\(j.maxAttempts)</td>\
                <td class="small pre">\(j.lastError ?? "—")</td><td class="small">\(j.finished ?? j.created)</td>\
                <td><form method="post" action="/admin/jobs/\(j.id)/retry" class="inline">\(csrf)<button class="button small">Retry</button></form> \
                <form method="post" action="/admin/jobs/\(j.id)/discard" class="inline">\(csrf)<button class="button small danger">Discard</button></form></td></tr>
                """
        }
        let pager = Pager.render("/admin/jobs", page: m.page, total: m.deadTotal, pageSize: JobStore.pageSize) { p in
            [("kind", m.kind), ("page", p > 1 ? String(p) : "")]
        }
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Dead jobs"><table class="table"><thead><tr><th>No.</th><th>Kind</th><th>Workspace</th><th class="num">Attempts</th>\
            <th>Last error</th><th>Died</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody>\(rows)</tbody></table></div>
            \(pager)
            """
    }

    /// "45 s", "12 min", "3 h 5 min", "2 days 4 h".
    static func duration(_ seconds: Int) -> String {
        switch seconds {
        case ..<60: return "\(max(0, seconds)) s"
        case ..<3600: return "\(seconds / 60) min"
        case ..<86400: return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: return "\(seconds / 86400) days \(seconds % 86400 / 3600) h"
        }
    }
}
