// The post form: reading it (with clear errors) and drawing it, for new posts and edits.
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity

enum PostForm {
    /// The workspace's choices the form offers.
    struct Choices {
        let accounts: [AccountOption]
        let tags: [(id: Int, name: String)]
        let campaigns: [(id: Int, name: String)]
        let rules: [BrandRule]

        static func load(_ workspace: Int, _ db: Connection) throws -> Choices {
            Choices(accounts: try PostStore.accounts(workspace, db), tags: try PostStore.tags(workspace, db),
                    campaigns: try PostStore.campaigns(workspace, db), rules: try PostStore.brandRules(workspace, db))
        }
    }

    static func parse(_ form: FormData, _ choices: Choices) -> (PostContent, [String: String]) {
        var errors: [String: String] = [:]
        let title = (form["title"] ?? "").trimmed
        let body = (form["body"] ?? "").trimmingTrailingWhitespaceLines
        if body.trimmed.isEmpty { errors["body"] = "Write the post's text." } else if body.count > 40000 { errors["body"] = "Use at most 40,000 characters." }
        if title.count > 200 { errors["title"] = "Use at most 200 characters." }
        var campaignID: Int?
        if let raw = form["campaign"], !raw.isEmpty {
            if let id = Int(raw), choices.campaigns.contains(where: { $0.id == id }) { campaignID = id } else { errors["campaign"] = "Choose a campaign from the list." }
        }
        let tagIDs = form.all("tag").compactMap(Int.init).filter { id in choices.tags.contains { $0.id == id } }
        var newTags: [String] = []
        for raw in (form["new_tags"] ?? "").split(separator: ",") {
            let name = String(raw).trimmed
            guard !name.isEmpty else { continue }
            if name.count > 50 { errors["new_tags"] = "A tag has at most 50 characters." } else { newTags.append(name) }
        }
        var targets: [Int: String?] = [:]
        for raw in form.all("target") {
            guard let id = Int(raw), choices.accounts.contains(where: { $0.id == id }) else {
                errors["targets"] = "Choose channels from the list."
                continue
            }
            let override = (form["override_\(id)"] ?? "").trimmingTrailingWhitespaceLines
            if override.count > 40000 { errors["targets"] = "A channel's own text has at most 40,000 characters." }
            targets[id] = override.trimmed.isEmpty ? nil : override
        }
        let content = PostContent(title: title.isEmpty ? nil : title, body: body, campaignID: campaignID, tagIDs: tagIDs, newTags: newTags, targets: targets)
        return (content, errors)
    }

    /// Length and brand-rule findings for each chosen channel; `blocks` ones stop a submit.
    static func issues(_ content: PostContent, _ choices: Choices) -> [BrandIssue] {
        var issues: [BrandIssue] = []
        if content.targets.isEmpty { issues.append(BrandIssue(message: "Choose at least one channel to post to.", blocks: true)) }
        for account in choices.accounts where content.targets[account.id] != nil {
            guard let platform = account.platformKind else { continue }
            let text = (content.targets[account.id] ?? nil) ?? content.body
            for problem in PlatformText.problems(title: content.title, body: text, on: platform) {
                issues.append(BrandIssue(message: "\(account.label): \(problem)", blocks: true))
            }
        }
        issues += BrandCheck.issues(title: content.title, body: content.body, rules: choices.rules)
        return issues
    }

    static func issueList(_ issues: [BrandIssue]) -> HTML {
        guard !issues.isEmpty else { return HTML() }
        let items = issues.map { issue -> HTML in
            "<li>\(issue.blocks ? HTML("<span class=\"badge danger\">must fix</span>") : HTML("<span class=\"badge warn\">check</span>")) \(issue.message)</li>"
        }
        return "<div class=\"flash flash-error\" role=\"alert\"><strong>Before this post can go to review:</strong><ul class=\"issues\">\(items)</ul></div>"
    }

    static func render(_ content: PostContent, _ choices: Choices, action: String, version: Int?, errors: [String: String],
                       issues: [BrandIssue], csrf: String, submitLabel: StaticString) -> HTML {
        let campaignOptions = HTML.join(choices.campaigns.map { c -> HTML in
            c.id == content.campaignID ? "<option value=\"\(c.id)\" selected>\(c.name)</option>" : "<option value=\"\(c.id)\">\(c.name)</option>"
        })
        let tagBoxes = HTML.join(choices.tags.map { t -> HTML in
            "<label class=\"check\"><input type=\"checkbox\" name=\"tag\" value=\"\(t.id)\"\(content.tagIDs.contains(t.id) ? HTML(" checked") : HTML())> \(t.name)</label>"
        })
        let targetRows = HTML.join(choices.accounts.map { a -> HTML in
            let chosen = content.targets[a.id] != nil
            let override = (content.targets[a.id] ?? nil) ?? ""
            let limit = a.platformKind.map { HTML(" <span class=\"muted small\">(\(PlatformText.length(override.isEmpty ? content.body : override, on: $0)) of \($0.limit))</span>") } ?? HTML()
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
            <form class="form post-form" method="post" action="\(action)" novalidate>\(Layout.csrfField(csrf))
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

extension String {
    /// The text with trailing white space removed (leading indentation kept).
    var trimmingTrailingWhitespaceLines: String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
