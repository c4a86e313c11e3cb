// A value of page markup. Literal markup in the source is trusted; every interpolated String is
// escaped, so user text cannot reach a page unescaped.
/// Markup built by string interpolation: `HTML("<p>\(name)</p>")` escapes `name`.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup. Only this module builds it; everything else goes through escaping interpolation.
    public internal(set) var bytes: [UInt8]

    public init() { bytes = [] }

    public init(stringLiteral value: StaticString) {
        bytes = value.withUTF8Buffer { Array($0) }
    }

    public init(stringInterpolation: Interpolation) { bytes = stringInterpolation.bytes }

    /// Escaped text.
    public init(escaping text: String) {
        bytes = []
        HTML.appendEscaped(text, to: &bytes)
    }

    /// Markup the program itself produced (never user input), e.g. a pre-rendered fragment.
    public static func trusted(_ markup: String) -> HTML {
        var html = HTML()
        html.bytes = Array(markup.utf8)
        return html
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }

    public static func + (lhs: HTML, rhs: HTML) -> HTML {
        var out = lhs
        out.bytes += rhs.bytes
        return out
    }

    public mutating func append(_ other: HTML) { bytes += other.bytes }

    /// Joins fragments, e.g. the rows of a table.
    public static func join(_ parts: some Sequence<HTML>) -> HTML {
        var out = HTML()
        for part in parts { out.bytes += part.bytes }
        return out
    }

    /// Escapes the five characters significant in text and quoted attribute values. Runs of plain
    /// bytes are copied at once (most text has nothing to escape).
    public static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &out) }
    }

    static func appendEscaped(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var plainFrom = 0
        for index in 0..<text.count {
            let replacement: StaticString
            switch text[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            default: continue
            }
            if plainFrom < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[plainFrom..<index])) }
            replacement.withUTF8Buffer { out.append(contentsOf: $0) }
            plainFrom = index + 1
        }
        if plainFrom < text.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[plainFrom...])) }
    }

    public struct Interpolation: StringInterpolationProtocol {
        var bytes: [UInt8]

        public init(literalCapacity: Int, interpolationCount: Int) {
            bytes = []
            bytes.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        /// User or database text: escaped.
        public mutating func appendInterpolation(_ text: String) { HTML.appendEscaped(text, to: &bytes) }

        public mutating func appendInterpolation(_ text: String?) {
            if let text { HTML.appendEscaped(text, to: &bytes) }
        }

        /// Markup: inserted as it is.
        public mutating func appendInterpolation(_ html: HTML) { bytes += html.bytes }

        public mutating func appendInterpolation(_ html: HTML?) { if let html { bytes += html.bytes } }

        public mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { bytes += part.bytes } }

        public mutating func appendInterpolation(_ number: Int) { bytes += Array(String(number).utf8) }

        /// A URL for an `href`/`action`: escaped, and anything but a relative path or http(s) URL
        /// (e.g. `javascript:`) replaced by `#`.
        public mutating func appendInterpolation(url: String) {
            // By scalar: "/" followed by a combining mark is one Character, and would slip past a
            // Character-level "//" check.
            let scalars = Array(url.unicodeScalars.prefix(2))
            let lower = url.lowercased()
            let safe =
                (scalars.first == "/" && scalars.dropFirst().first != "/" && scalars.dropFirst().first != "\\")
                || lower.hasPrefix("http://") || lower.hasPrefix("https://")
                || scalars.first == "?" || scalars.first == "#"
            HTML.appendEscaped(safe ? url : "#", to: &bytes)
        }
    }
}

/// Percent-encoding for a value placed in a URL query or path segment.
public func urlEncode(_ text: String) -> String {
    var out = [UInt8]()
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.append(byte)
        default:
            out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
        }
    }
    return String(decoding: out, as: UTF8.self)
}
