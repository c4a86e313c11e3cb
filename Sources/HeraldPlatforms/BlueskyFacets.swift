// Bluesky rich text: the links, hashtags and mentions of a post's text as app.bsky.richtext.facet
// entries, whose byteStart/byteEnd count UTF-8 bytes, start inclusive and end exclusive
// (docs.bsky.app/docs/advanced-guides/post-richtext; lexicons/app/bsky/richtext/facet.json).
// Detection follows the reference client's rules (packages/api/src/rich-text/detection.ts): a link
// is an http(s) URL without its trailing punctuation, a tag is `#` and up to 64 characters that are
// not all digits, a mention is `@` and a handle with a dot, resolved to its DID.
import Foundation

enum BlueskyFacets {
    static let linkType = "app.bsky.richtext.facet#link"
    static let tagType = "app.bsky.richtext.facet#tag"
    static let mentionType = "app.bsky.richtext.facet#mention"

    /// One facet: a byte range and what it is.
    struct Facet: Equatable {
        let byteStart: Int
        let byteEnd: Int
        let type: String
        /// The URI, the tag without `#`, or the DID.
        let value: String

        var json: [String: Any] {
            let key = type == BlueskyFacets.linkType ? "uri" : type == BlueskyFacets.tagType ? "tag" : "did"
            return ["index": ["byteStart": byteStart, "byteEnd": byteEnd], "features": [["$type": type, key: value]]]
        }
    }

    /// The facets of `text`, in order. `resolve` turns a handle into a DID (nil: no mention facet).
    static func detect(_ text: String, resolve: (String) -> String? = { _ in nil }) -> [Facet] {
        var facets: [Facet] = []
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            guard !scalars[index].properties.isWhitespace else {
                index = scalars.index(after: index)
                continue
            }
            var end = index
            while end < scalars.endIndex, !scalars[end].properties.isWhitespace { end = scalars.index(after: end) }
            if let facet = facet(in: text, from: index, to: end, resolve: resolve) { facets.append(facet) }
            index = end
        }
        return facets
    }

    /// The facet a whitespace-separated word starts with, if any.
    private static func facet(in text: String, from wordStart: String.Index, to wordEnd: String.Index, resolve: (String) -> String?) -> Facet? {
        let scalars = text.unicodeScalars
        var start = wordStart
        // A link or a mention may follow an opening parenthesis.
        if scalars[start] == "(", scalars.index(after: start) < wordEnd { start = scalars.index(after: start) }
        let word = String(scalars[start..<wordEnd])
        let lower = word.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            var uri = Substring(word)
            while let last = uri.last, ".,;:!?\"'".contains(last) || (last == ")" && !uri.contains("(")) { uri = uri.dropLast() }
            guard uri.count > (lower.hasPrefix("https://") ? 8 : 7) else { return nil }
            return Facet(byteStart: offset(text, start), byteEnd: offset(text, start) + uri.utf8.count, type: linkType, value: String(uri))
        }
        if start == wordStart, word.hasPrefix("#") || word.hasPrefix("\u{FF03}") {
            var tag = word.dropFirst()
            while let last = tag.unicodeScalars.last, isPunctuation(last) { tag = Substring(tag.unicodeScalars.dropLast()) }
            guard !tag.isEmpty, tag.count <= 64, tag.unicodeScalars.first != "\u{FE0F}", !tag.allSatisfy(\.isNumber) else { return nil }
            let byteStart = offset(text, wordStart)
            return Facet(byteStart: byteStart, byteEnd: byteStart + word.prefix(1).utf8.count + tag.utf8.count, type: tagType, value: String(tag))
        }
        if word.hasPrefix("@") {
            var handle = word.dropFirst().prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
            while handle.hasSuffix(".") { handle = handle.dropLast() }
            guard isHandle(handle), let did = resolve(handle.lowercased()) else { return nil }
            let byteStart = offset(text, start)
            return Facet(byteStart: byteStart, byteEnd: byteStart + 1 + handle.utf8.count, type: mentionType, value: did)
        }
        return nil
    }

    /// The UTF-8 byte offset of an index of `text`.
    private static func offset(_ text: String, _ index: String.Index) -> Int { text.utf8.distance(from: text.utf8.startIndex, to: index) }

    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
            .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A handle as atproto defines one: dot-separated labels of letters, digits and hyphens, at
    /// least two, the last starting with a letter (atproto.com/specs/handle).
    static func isHandle(_ text: Substring) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.count <= 253, let last = labels.last, last.first?.isLetter == true else { return false }
        return labels.allSatisfy { !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }
}
