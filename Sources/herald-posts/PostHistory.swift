// A post's history (its audit events: who moved it where, when) and its revisions with the
// difference between one and the one before.
import HeraldContent
import HeraldDatabase
import HeraldHTML
import HeraldIdentity

enum PostHistory {
    static let labels: [String: String] = [
        "post.created": "created the draft", "post.edited": "edited it", "post.submitted": "submitted it for review",
        "post.approved": "approved it", "post.rejected": "rejected it", "post.scheduled": "scheduled it",
        "post.unscheduled": "unscheduled it", "post.imported": "imported it",
    ]

    static func html(_ access: WorkspaceAccess, _ post: PostRecord, _ db: Connection, selected: Int?) throws -> HTML {
        let events = try db.query("""
            SELECT to_char(e.occurred_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), coalesce(u.name, 'someone'), e.action,
                   e.details->>'from', e.details->>'to', e.details->>'comment', e.details->>'local', e.details->>'zone'
            FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
            WHERE e.workspace_id = $1 AND e.target_type = 'post' AND e.target_id = $2
            ORDER BY e.occurred_at, e.id
            """, [.int(access.id), .int(post.id), .text(access.user.timeZone)]).rows
        let items = try events.map { row -> HTML in
            let action = try row.string(2)
            let move: HTML = row.optionalString(3).flatMap { from in row.optionalString(4).map { to in
                HTML(" <span class=\"muted small\">\(PostStatus(rawValue: from)?.label ?? from) → \(PostStatus(rawValue: to)?.label ?? to)</span>") } } ?? HTML()
            let when: HTML = row.optionalString(6).map { HTML(" for \($0) (\(row.optionalString(7) ?? ""))") } ?? HTML()
            let comment: HTML = row.optionalString(5).map { HTML("<blockquote>\($0)</blockquote>") } ?? HTML()
            return "<li><span class=\"muted\">\(try row.string(0))</span> · <strong>\(try row.string(1))</strong> \(labels[action] ?? action)\(when)\(move)\(comment)</li>"
        }
        let revisions = try db.query("""
            SELECT r.version, coalesce(r.title, ''), r.body, coalesce(u.name, 'someone'), to_char(r.created_at AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI')
            FROM post_revisions r LEFT JOIN users u ON u.id = r.editor_id
            WHERE r.workspace_id = $1 AND r.post_id = $2 ORDER BY r.version
            """, [.int(access.id), .int(post.id), .text(access.user.timeZone)]).rows
        var diff = HTML()
        if revisions.count > 1 {
            let versions = try revisions.map { try $0.int(0) }
            let shown = selected.flatMap { versions.firstIndex(of: $0) }.flatMap { $0 > 0 ? $0 : nil } ?? versions.count - 1
            let old = revisions[shown - 1], new = revisions[shown]
            let links = try revisions.dropFirst().map { row -> HTML in
                let v = try row.int(0)
                return v == versions[shown] ? "<strong>v\(v)</strong>" : "<a href=\"?diff=\(v)#revisions\">v\(v)</a>"
            }
            let titleDiff = TextDiff.diff(try old.string(1), try new.string(1))
            diff = """
                <p>Changes in version \(versions[shown]) (by \(try new.string(3)), \(try new.string(4))) against version \(versions[shown - 1]): \(HTML.join(links.map { $0 + " " }))</p>
                \(try old.string(1) != new.string(1) ? HTML("<p class=\"diff\"><span class=\"muted\">Title:</span> \(TextDiff.html(titleDiff))</p>") : HTML())
                <div class="diff pre">\(TextDiff.html(TextDiff.diff(try old.string(2), try new.string(2))))</div>
                """
        } else {
            diff = "<p class=\"muted\">Only one version so far.</p>"
        }
        return """
            <div class="grid">
            <section class="card"><h2>History</h2>\(items.isEmpty ? HTML("<p class=\"muted\">No changes recorded yet.</p>") : HTML("<ol class=\"history\">\(items)</ol>"))</section>
            <section class="card" id="revisions"><h2>Revisions</h2>\(diff)</section>
            </div>
            """
    }
}
