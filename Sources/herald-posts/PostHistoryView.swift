// A post's history (its audit events: who moved it where, when) and its revisions with the
// difference between one and the one before.
import HeraldContent
import HeraldHTML

enum PostHistoryView {
    static let labels: [String: String] = [
        "post.created": "created the draft", "post.edited": "edited it", "post.submitted": "submitted it for review",
        "post.approved": "approved it", "post.rejected": "rejected it", "post.scheduled": "scheduled it",
        "post.unscheduled": "unscheduled it", "post.imported": "imported it", "post.send_retried": "sent it again to a channel",
        "post.send_canceled": "canceled its send to a channel", "post.marked_live": "marked it live on a channel",
    ]

    /// The history and revisions cards; `selected` (from `?diff=`) picks the version whose changes are shown, else the latest.
    static func html(events: [PostEvent], revisions: [PostRevision], selected: Int?) -> HTML {
        let items = events.map { event -> HTML in
            let move: HTML =
                event.from.flatMap { from in
                    event.to.map { to in
                        HTML(
                            " <span class=\"muted small\">\(PostStatus(rawValue: from)?.label ?? from) → \(PostStatus(rawValue: to)?.label ?? to)</span>"
                        )
                    }
                } ?? HTML()
            let when: HTML = event.local.map { HTML(" for \($0) (\(event.zone ?? ""))") } ?? HTML()
            let comment: HTML = event.comment.map { HTML("<blockquote>\($0)</blockquote>") } ?? HTML()
            return
                "<li><span class=\"muted\">\(event.when)</span> · <strong>\(event.actor)</strong> \(labels[event.action] ?? event.action)\(when)\(move)\(comment)</li>"
        }
        var diff = HTML()
        if revisions.count > 1 {
            let versions = revisions.map(\.version)
            let shown = selected.flatMap { versions.firstIndex(of: $0) }.flatMap { $0 > 0 ? $0 : nil } ?? versions.count - 1
            let old = revisions[shown - 1]
            let new = revisions[shown]
            let links = revisions.dropFirst().map { revision -> HTML in
                let v = revision.version
                return v == versions[shown] ? "<strong>v\(v)</strong>" : "<a href=\"?diff=\(v)#revisions\">v\(v)</a>"
            }
            let titleDiff = TextDiff.diff(old.title, new.title)
            diff = """
                <p>Changes in version \(versions[shown]) (by \(new.editor), \(new.created)) against version \(versions[shown - 1]): \(HTML.join(links.map { $0 + " " }))</p>
                \(old.title != new.title ? HTML("<p class=\"diff\"><span class=\"muted\">Title:</span> \(TextDiff.html(titleDiff))</p>") : HTML())
                <div class="diff pre">\(TextDiff.html(TextDiff.diff(old.body, new.body)))</div>
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
