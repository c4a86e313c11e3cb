// The post form: the workspace's choices it offers, reading it (with clear errors) and checking a
// post against the channels' limits and the brand rules. PostFormView draws it.
import HeraldContent
import HeraldDatabase
import HeraldFastCGI

enum PostForm {
    /// The workspace's choices the form offers.
    struct Choices {
        let accounts: [AccountOption]
        let tags: [(id: Int, name: String)]
        let campaigns: [(id: Int, name: String)]
        let rules: [BrandRule]

        static func load(_ workspace: Int, _ db: Connection) throws -> Choices {
            Choices(
                accounts: try PostStore.accounts(workspace, db), tags: try PostStore.tags(workspace, db),
                campaigns: try PostStore.campaigns(workspace, db), rules: try BrandRuleStore.rules(workspace, db))
        }
    }

    static func parse(_ form: FormData, _ choices: Choices) -> (PostContent, [String: String]) {
        var errors: [String: String] = [:]
        let title = (form["title"] ?? "").trimmed
        let body = (form["body"] ?? "").trimmingTrailingWhitespaceLines
        if body.trimmed.isEmpty {
            errors["body"] = "Write the post's text."
        } else if body.count > 40000 {
            errors["body"] = "Use at most 40,000 characters."
        }
        if title.count > 200 { errors["title"] = "Use at most 200 characters." }
        var campaignID: Int?
        if let raw = form["campaign"], !raw.isEmpty {
            if let id = Int(raw), choices.campaigns.contains(where: { $0.id == id }) {
                campaignID = id
            } else {
                errors["campaign"] = "Choose a campaign from the list."
            }
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
        let content = PostContent(
            title: title.isEmpty ? nil : title, body: body, campaignID: campaignID, tagIDs: tagIDs, newTags: newTags, targets: targets)
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
}

extension String {
    /// The text with trailing white space removed (leading indentation kept).
    var trimmingTrailingWhitespaceLines: String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
