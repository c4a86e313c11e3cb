// The post form (for new posts and edits) and the pages around it: the new-post page and the
// edit page with its conflict and back-to-draft warnings.
import HeraldContent
import HeraldHTML
import HeraldIdentity

enum PostFormView {
    static func newPost(_ access: WorkspaceAccess, _ choices: PostForm.Choices, _ content: PostContent, errors: [String: String], csrf: HTML) -> HTML
    {
        """
        <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> /</p><h1>New post</h1>
        <section class="card">\(form(content, choices, action: access.path("/posts/new"), version: nil, errors: errors,
                                      issues: [], csrf: csrf, submitLabel: "Save draft"))</section>
        """
    }

    /// `errors["conflict"]` is the optimistic-locking refusal, shown above the form.
    static func editPost(
        _ access: WorkspaceAccess, _ post: PostRecord, _ choices: PostForm.Choices, _ content: PostContent, version: Int,
        errors: [String: String], csrf: HTML
    ) -> HTML {
        let warning: HTML =
            post.status == .approved || post.status == .scheduled
            ? "<div class=\"flash flash-info\" role=\"status\">This post is \(post.status.label.lowercased()). Saving changes sends it back to draft: it needs a new review\(post.status == .scheduled ? HTML(" and a new time") : HTML()).</div>"
            : HTML()
        let conflict: HTML = errors["conflict"].map { HTML("<div class=\"flash flash-error\" role=\"alert\">\($0)</div>") } ?? HTML()
        return """
            <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> / <a href="\(access.path("/posts/\(post.id)"))">\(post.displayTitle)</a> /</p>
            <h1>Edit post</h1>\(conflict)\(warning)
            <section class="card">\(form(content, choices, action: access.path("/posts/\(post.id)/edit"), version: version, errors: errors,
                                          issues: [], csrf: csrf, submitLabel: "Save changes"))</section>
            """
    }

    /// What stops (or should give pause before) sending the post to review.
    static func issueList(_ issues: [BrandIssue]) -> HTML {
        guard !issues.isEmpty else { return HTML() }
        let items = issues.map { issue -> HTML in
            "<li>\(issue.blocks ? HTML("<span class=\"badge danger\">must fix</span>") : HTML("<span class=\"badge warn\">check</span>")) \(issue.message)</li>"
        }
        return
            "<div class=\"flash flash-error\" role=\"alert\"><strong>Before this post can go to review:</strong><ul class=\"issues\">\(items)</ul></div>"
    }

    /// The form itself; `version` is the post's version when it was opened (edits only), for optimistic locking.
    static func form(
        _ content: PostContent, _ choices: PostForm.Choices, action: String, version: Int?, errors: [String: String],
        issues: [BrandIssue], csrf: HTML, submitLabel: StaticString
    ) -> HTML {
        let campaignOptions = HTML.join(
            choices.campaigns.map { c -> HTML in
                c.id == content.campaignID ? "<option value=\"\(c.id)\" selected>\(c.name)</option>" : "<option value=\"\(c.id)\">\(c.name)</option>"
            })
        let tagBoxes = HTML.join(
            choices.tags.map { t -> HTML in
                "<label class=\"check\"><input type=\"checkbox\" name=\"tag\" value=\"\(t.id)\"\(content.tagIDs.contains(t.id) ? HTML(" checked") : HTML())> \(t.name)</label>"
            })
        let targetRows = HTML.join(
            choices.accounts.map { a -> HTML in
                let chosen = content.targets[a.id] != nil
                let override = (content.targets[a.id] ?? nil) ?? ""
                let limit =
                    a.platformKind.map {
                        HTML(
                            " <span class=\"muted small\">(\(PlatformText.length(override.isEmpty ? content.body : override, on: $0)) of \($0.limit))</span>"
                        )
                    } ?? HTML()
                return """
                    <div class="target"><label class="check"><input type="checkbox" name="target" value="\(a.id)"\(chosen ? HTML(" checked") : HTML())> \(a.label)\(limit)\
                    \(a.status == "active" ? HTML() : HTML(" <span class=\"badge warn\">needs reconnect</span>"))</label>
                    <details\(override.isEmpty ? HTML() : HTML(" open"))><summary class="small">Own text for this channel</summary>\
                    <textarea name="override_\(a.id)" rows="3" aria-label="Own text for \(a.label)">\(override)</textarea></details></div>
                    """
            })
        let guidance = choices.rules.filter { $0.kind == .tone || $0.kind == .guideline }
        func fieldError(_ key: String) -> HTML { errors[key].map { HTML("<p class=\"error\">\($0)</p>") } ?? HTML() }
        return """
            \(issueList(issues))
            <form class="form post-form" method="post" action="\(action)" novalidate>\(csrf)
            \(version.map { HTML("<input type=\"hidden\" name=\"version\" value=\"\($0)\">") })
            \(Form.field("title", label: "Title (optional)", value: content.title ?? "", error: errors["title"],
                         hint: "Used by Reddit and in Herald's lists.", required: false, maxLength: 200))
            <div class="field\(errors["body"] == nil ? "" : " has-error")"><label for="body">Text</label>\
            <textarea id="body" name="body" rows="8">\(content.body)</textarea>\(fieldError("body"))\
            \(guidance.isEmpty ? HTML() : HTML("<p class=\"hint\">\(guidance.map(\.text).joined(separator: " · "))</p>"))</div>
            <div class="field\(errors["campaign"] == nil ? "" : " has-error")"><label for="campaign">Campaign</label>\
            <select id="campaign" name="campaign"><option value="">— none —</option>\(campaignOptions)</select>\(fieldError("campaign"))</div>
            <fieldset class="field\(errors["targets"] == nil ? "" : " has-error")"><legend>Channels</legend>\
            \(choices.accounts.isEmpty ? HTML("<p class=\"muted\">No channels connected yet.</p>") : targetRows)\(fieldError("targets"))</fieldset>
            <fieldset class="field"><legend>Tags</legend>\(tagBoxes)\
            \(Form.field("new_tags", label: "New tags (comma-separated)", error: errors["new_tags"], required: false))</fieldset>
            <div class="actions"><button type="submit" class="button primary">\(HTML(stringLiteral: submitLabel))</button></div>
            </form>
            """
    }
}
