// How long a post is on each network, counted the way that network counts, and its limits.

/// The networks Herald publishes to (the values of social_accounts.platform it supports).
public enum Platform: String, Sendable, CaseIterable {
    case x, linkedin, reddit, mastodon, bluesky

    public var label: String {
        switch self {
        case .x: return "X"
        case .linkedin: return "LinkedIn"
        case .reddit: return "Reddit"
        case .mastodon: return "Mastodon"
        case .bluesky: return "Bluesky"
        }
    }

    /// The most a post's text may count on this network.
    public var limit: Int {
        switch self {
        case .x: return 280
        case .linkedin: return 3000
        case .reddit: return 40000
        case .mastodon: return 500
        case .bluesky: return 300
        }
    }
}

public enum PlatformText {
    /// The length `platform` sees:
    /// - X: twitter-text's weighted length: most Latin, Greek, Cyrillic and common punctuation
    ///   count 1, other characters (CJK, …) 2, each emoji 2, each URL 23 (t.co).
    /// - Mastodon: user-perceived characters (grapheme clusters), each URL 23, `@user@domain` as `@user`.
    /// - Bluesky: grapheme clusters of the whole text.
    /// - LinkedIn, Reddit: user-perceived characters.
    public static func length(_ text: String, on platform: Platform) -> Int {
        switch platform {
        case .x: return xWeightedLength(text)
        case .mastodon: return mastodonLength(text)
        case .bluesky, .linkedin, .reddit: return text.count
        }
    }

    /// Messages for what does not fit; empty when the post is fine for `platform`.
    public static func problems(title: String?, body: String, on platform: Platform) -> [String] {
        var problems: [String] = []
        let length = length(body, on: platform)
        if length > platform.limit {
            problems.append(
                "Too long for \(platform.label): \(length) of \(platform.limit)\(platform == .x ? " (links count as 23, emoji and wide characters as 2)" : ""). Shorten it by \(length - platform.limit)."
            )
        }
        if body.trimmed.isEmpty { problems.append("\(platform.label) needs some text.") }
        if platform == .reddit {
            let title = (title ?? "").trimmed
            if title.isEmpty { problems.append("Reddit needs a title.") }
            if title.count > 300 { problems.append("Too long a title for Reddit: \(title.count) of 300 characters.") }
        }
        return problems
    }

    // MARK: X

    static func xWeightedLength(_ text: String) -> Int {
        var weight = 0
        for token in tokens(text) {
            switch token {
            case .url: weight += 23 * 100
            case .text(let piece):
                for character in piece {
                    if isEmoji(character) {
                        weight += 200
                        continue
                    }
                    for scalar in character.unicodeScalars { weight += xWeight(scalar.value) }
                }
            }
        }
        return (weight + 99) / 100
    }

    /// twitter-text v3 ranges of weight 100; everything else weighs 200.
    static func xWeight(_ value: UInt32) -> Int {
        switch value {
        case 0...4351, 8192...8205, 8208...8223, 8242...8247: return 100
        default: return 200
        }
    }

    static func isEmoji(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        if first.properties.isEmojiPresentation { return true }
        // Text-default symbols made emoji by VS16, and keycaps.
        return first.properties.isEmoji && character.unicodeScalars.contains { $0.value == 0xFE0F || $0.value == 0x20E3 }
    }

    // MARK: Mastodon

    static func mastodonLength(_ text: String) -> Int {
        var length = 0
        for token in tokens(text) {
            switch token {
            case .url: length += 23
            case .text(let piece): length += stripMentionDomains(String(piece)).count
            }
        }
        return length
    }

    /// `@alice@example.social` counts as `@alice`.
    static func stripMentionDomains(_ text: String) -> String {
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            out.append(character)
            if character == "@", index == text.startIndex || text[text.index(before: index)].isWhitespace {
                var cursor = text.index(after: index)
                while cursor < text.endIndex, text[cursor].isLetter || text[cursor].isNumber || text[cursor] == "_" {
                    out.append(text[cursor])
                    cursor = text.index(after: cursor)
                }
                if cursor < text.endIndex, text[cursor] == "@" {
                    // The domain: letters, digits, dots and dashes, not ending in a dot.
                    var domainEnd = text.index(after: cursor)
                    while domainEnd < text.endIndex,
                        text[domainEnd].isLetter || text[domainEnd].isNumber || text[domainEnd] == "." || text[domainEnd] == "-"
                    {
                        domainEnd = text.index(after: domainEnd)
                    }
                    while domainEnd > text.index(after: cursor), text[text.index(before: domainEnd)] == "." {
                        domainEnd = text.index(before: domainEnd)
                    }
                    if domainEnd > text.index(after: cursor) { cursor = domainEnd }
                }
                index = cursor
                continue
            }
            index = text.index(after: index)
        }
        return out
    }

    // MARK: URLs

    enum Token {
        case text(Substring)
        case url(Substring)
    }

    /// Splits text into URLs (http://, https://, www.) and the text between them. Trailing
    /// punctuation stays outside the URL, as networks do.
    static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        var textStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let atWordStart = index == text.startIndex || text[text.index(before: index)].isWhitespace || text[text.index(before: index)] == "("
            if atWordStart, startsURL(text[index...]) {
                var end = index
                while end < text.endIndex, !text[end].isWhitespace { end = text.index(after: end) }
                while end > index, let last = text[..<end].last, ".,!?;:)'\"".contains(last) { end = text.index(before: end) }
                if textStart < index { result.append(.text(text[textStart..<index])) }
                result.append(.url(text[index..<end]))
                textStart = end
                index = end
                continue
            }
            index = text.index(after: index)
        }
        if textStart < text.endIndex { result.append(.text(text[textStart...])) }
        return result
    }

    static func startsURL(_ text: Substring) -> Bool {
        let head = text.prefix(12).lowercased()
        for scheme in ["https://", "http://"] where head.hasPrefix(scheme) { return text.count > scheme.count }
        return head.hasPrefix("www.") && text.count > 6
    }
}
