// A workspace's brand rules applied to a post: banned terms, required terms and hashtags, and a
// most number of hashtags. Tone and guideline rules are advice shown on the form, not checks.

public struct BrandRule: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case bannedTerm = "banned_term"
        case requiredTerm = "required_term"
        case hashtag
        case maxHashtags = "max_hashtags"
        case tone
        case guideline

        public var label: String {
            switch self {
            case .bannedTerm: return "Banned word or phrase"
            case .requiredTerm: return "Required word or phrase"
            case .hashtag: return "Required hashtag"
            case .maxHashtags: return "Most hashtags per post"
            case .tone: return "Tone"
            case .guideline: return "Guideline"
            }
        }
    }

    public let id: Int
    public let kind: Kind
    public let text: String
    /// `block` refuses submitting; `warn` shows the message and lets it through.
    public let blocks: Bool

    public init(id: Int = 0, kind: Kind, text: String, blocks: Bool) {
        self.id = id
        self.kind = kind
        self.text = text
        self.blocks = blocks
    }
}

public struct BrandIssue: Sendable, Equatable {
    public let message: String
    /// Stops a submit for review (otherwise a warning).
    public let blocks: Bool

    public init(message: String, blocks: Bool) {
        self.message = message
        self.blocks = blocks
    }
}

public enum BrandCheck {
    public static func issues(title: String?, body: String, rules: [BrandRule]) -> [BrandIssue] {
        let text = ((title ?? "") + "\n" + body)
        let lower = text.lowercased()
        let tags = hashtags(in: text)
        var issues: [BrandIssue] = []
        for rule in rules {
            switch rule.kind {
            case .bannedTerm:
                if containsWord(lower, rule.text.lowercased()) {
                    issues.append(BrandIssue(message: "“\(rule.text)” is on the workspace's banned list.", blocks: rule.blocks))
                }
            case .requiredTerm:
                if !lower.contains(rule.text.lowercased()) {
                    issues.append(BrandIssue(message: "Posts must mention “\(rule.text)”.", blocks: rule.blocks))
                }
            case .hashtag:
                let wanted = rule.text.hasPrefix("#") ? String(rule.text.dropFirst()) : rule.text
                if !tags.contains(wanted.lowercased()) {
                    issues.append(BrandIssue(message: "Posts must carry the hashtag #\(wanted).", blocks: rule.blocks))
                }
            case .maxHashtags:
                if let most = Int(rule.text), tags.count > most {
                    issues.append(
                        BrandIssue(message: "Use at most \(most) hashtag\(most == 1 ? "" : "s"); this post has \(tags.count).", blocks: rule.blocks))
                }
            case .tone, .guideline:
                break
            }
        }
        return issues
    }

    /// Hashtags (`#word`, at the start or after white space), lower-cased, in order.
    public static func hashtags(in text: String) -> [String] {
        var tags: [String] = []
        var previous: Character = " "
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "#", previous.isWhitespace || previous == "(" {
                var end = text.index(after: index)
                while end < text.endIndex, text[end].isLetter || text[end].isNumber || text[end] == "_" { end = text.index(after: end) }
                if end > text.index(after: index) { tags.append(text[text.index(after: index)..<end].lowercased()) }
                previous = text[text.index(before: end)]
                index = end
                continue
            }
            previous = character
            index = text.index(after: index)
        }
        return tags
    }

    /// `term` occurs in `text` with no letter or digit right before or after it.
    static func containsWord(_ text: String, _ term: String) -> Bool {
        guard !term.isEmpty else { return false }
        var searchStart = text.startIndex
        while let range = text[searchStart...].firstRange(of: term) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let boundary = { (c: Character?) in c == nil || !(c!.isLetter || c!.isNumber) }
            if boundary(before) && boundary(after) { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }
}
