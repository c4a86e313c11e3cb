// Readable text from what a draft's source gave: a web page reduced to its headings, paragraphs and
// list items (menus, scripts, forms and the like dropped, entities decoded, whitespace collapsed),
// plain text as it is, a PDF through Debian's pdftotext (poppler-utils) with a timeout and a cap.
import Foundation
import Glibc
public import HeraldSupport

/// Why no text came out of a source, in words for the person who gave it.
public enum SourceTextError: Error, Sendable, Equatable, CustomStringConvertible, UserFacingError {
    case notPDF
    case pdftotextMissing
    /// The PDF opened but holds no text layer.
    case noText
    /// pdftotext refused the file (damaged, encrypted); its exit status.
    case unreadablePDF(status: Int32)
    case timedOut(seconds: Int)
    /// A page with nothing readable left once the menus and scripts are gone.
    case emptyPage
    case unsupported(type: String)
    case status(Int)

    public var message: String {
        switch self {
        case .notPDF: return "This file is not a PDF."
        case .pdftotextMissing: return "pdftotext is not installed on the server (Debian package poppler-utils), so PDFs cannot be read."
        case .noText: return "The PDF has no text (scanned images?)."
        case .unreadablePDF(let status):
            return status == 3
                ? "The PDF is protected against copying its text."
                : "The PDF could not be read; it may be damaged or password-protected."
        case .timedOut(let seconds): return "Reading the PDF took longer than \(seconds) seconds."
        case .emptyPage: return "The page has no readable text."
        case .unsupported(let type): return "Herald reads web pages, plain text and PDFs; this address gave \(type.prefix(100))."
        case .status(let code): return "The address answered with HTTP \(code) instead of a page."
        }
    }

    public var description: String { message }
    public var title: String { "No text from this source" }
    public var refusal: RefusalKind {
        switch self {
        case .pdftotextMissing, .timedOut: return .unavailable
        default: return .invalidInput
        }
    }
}

public enum SourceText {
    /// The most text kept from one source.
    public static let maxCharacters = 200_000
    /// The most output read from pdftotext before it is stopped.
    static let maxPDFOutputBytes = 8 << 20

    /// Title and text of whatever a GuardedFetch brought back: HTML, plain text or a PDF.
    public static func from(_ response: GuardedResponse, pdfTimeoutSeconds: Double = 30) throws(SourceTextError) -> (title: String?, text: String) {
        guard (200..<300).contains(response.status) else { throw .status(response.status) }
        let type = response.contentType ?? sniff(response.body)
        let result: (title: String?, text: String)
        switch type {
        case "text/html", "application/xhtml+xml":
            result = fromHTML(response.body, charset: response.charset)
        case "text/plain", "text/markdown", "text/x-markdown":
            result = (nil, fromPlain(response.body, charset: response.charset))
        case "application/pdf", "application/x-pdf":
            result = (nil, try fromPDF(response.body, timeoutSeconds: pdfTimeoutSeconds))
        default:
            guard isPDF(response.body) else { throw .unsupported(type: type) }
            result = (nil, try fromPDF(response.body, timeoutSeconds: pdfTimeoutSeconds))
        }
        guard !result.text.isEmpty else { throw .emptyPage }
        return result
    }

    static func sniff(_ bytes: [UInt8]) -> String {
        if isPDF(bytes) { return "application/pdf" }
        let start = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return start.contains("<html") || start.contains("<!doctype html") ? "text/html" : "text/plain"
    }

    // MARK: Plain text

    /// The text with its lines' whitespace collapsed and runs of blank lines made one, capped.
    public static func fromPlain(_ bytes: [UInt8], charset: String?) -> String {
        normalizeLines(decode(bytes, charset: charset))
    }

    static func normalizeLines(_ text: String) -> String {
        var lines: [String] = []
        var blank = false
        var total = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var builder = TextBuilder()
            for scalar in raw.unicodeScalars { builder.add(scalar) }
            let line = builder.line
            if line.isEmpty {
                blank = !lines.isEmpty
                continue
            }
            if blank { lines.append("") }
            blank = false
            lines.append(line)
            total += line.count + 1
            if total > maxCharacters { break }
        }
        return String(lines.joined(separator: "\n").prefix(maxCharacters))
    }

    // MARK: HTML

    /// Elements dropped with everything in them: not the page's text.
    static let dropped: Set<String> = [
        "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "math", "template", "iframe", "object",
        "canvas", "button", "select", "textarea", "dialog", "menu", "noembed", "noframes",
    ]
    /// Elements whose content is raw text up to their end tag (no tags inside).
    static let rawText: Set<String> = ["script", "style", "noscript", "textarea", "title", "iframe", "noembed", "noframes", "xmp"]
    static let void: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]
    /// Elements that start a new line.
    static let blocks: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "br", "hr", "tr", "table", "blockquote",
        "pre", "section", "article", "main", "figure", "figcaption", "address", "details", "summary", "caption", "header", "footer",
        "body", "center", "hgroup",
    ]

    /// The page's title and its readable text, one heading, paragraph or list item a line.
    /// `header` and `footer` go with the other page furniture, except inside `article` or `main` (an
    /// article's own header holds its headline).
    public static func fromHTML(_ bytes: [UInt8], charset: String?) -> (title: String?, text: String) {
        let scalars = Array(decode(bytes, charset: charset ?? metaCharset(bytes)).unicodeScalars)
        var out = TextBuilder()
        var skip: [String] = []
        var articleDepth = 0
        var title: String?
        var heading: TextBuilder?
        var firstHeading: String?
        var i = 0
        let n = scalars.count
        while i < n && out.count <= maxCharacters {
            let c = scalars[i]
            if c == "&" {
                let (decoded, length) = entity(scalars, i)
                if skip.isEmpty {
                    for scalar in decoded.unicodeScalars {
                        out.add(scalar)
                        heading?.add(scalar)
                    }
                }
                i += length
                continue
            }
            guard c == "<", i + 1 < n else {
                if skip.isEmpty {
                    out.add(c)
                    heading?.add(c)
                }
                i += 1
                continue
            }
            let next = scalars[i + 1]
            if next == "!" || next == "?" {
                i = skipMarkup(scalars, i)
                continue
            }
            let closing = next == "/"
            guard let tag = self.tag(scalars, closing ? i + 2 : i + 1) else {
                if skip.isEmpty { out.add(c) }
                i += 1
                continue
            }
            i = tag.end
            let name = tag.name
            if closing {
                if let index = skip.lastIndex(of: name) {
                    skip.removeSubrange(index...)
                } else if skip.isEmpty {
                    if name == "article" || name == "main" { articleDepth = max(0, articleDepth - 1) }
                    if name.count == 2 && name.hasPrefix("h"), let done = heading {
                        if firstHeading == nil && !done.line.isEmpty { firstHeading = done.line }
                        heading = nil
                    }
                    if blocks.contains(name) { out.lineBreak() }
                    if name == "li" { out.prefix("") }
                }
                continue
            }
            if rawText.contains(name) && !tag.selfClosing {
                let end = closingTag(scalars, name, from: i)
                if name == "title" && skip.isEmpty && title == nil {
                    var builder = TextBuilder()
                    var j = i
                    while j < end.contentEnd {
                        if scalars[j] == "&" {
                            let (decoded, length) = entity(scalars, j)
                            for scalar in decoded.unicodeScalars { builder.add(scalar) }
                            j += length
                        } else {
                            builder.add(scalars[j])
                            j += 1
                        }
                    }
                    if !builder.line.isEmpty { title = builder.line }
                }
                i = end.after
                continue
            }
            guard skip.isEmpty else {
                if dropped.contains(name) && !tag.selfClosing && !void.contains(name) { skip.append(name) }
                continue
            }
            let furniture = (name == "header" || name == "footer") ? articleDepth == 0 : dropped.contains(name)
            if (furniture || tag.hidden) && !tag.selfClosing && !void.contains(name) {
                skip.append(name)
                continue
            }
            if name == "article" || name == "main" { articleDepth += 1 }
            if blocks.contains(name) { out.lineBreak() }
            switch name {
            case "li": out.prefix("- ")
            case "td", "th": out.space()
            case "h1", "h2": if firstHeading == nil { heading = TextBuilder() }
            default: break
            }
        }
        out.lineBreak()
        return (title ?? firstHeading, String(out.lines.joined(separator: "\n").prefix(maxCharacters)))
    }

    /// A tag's name (lower case) and where it ends; nil when `<` does not start a tag.
    static func tag(_ s: [Unicode.Scalar], _ start: Int) -> (name: String, end: Int, selfClosing: Bool, hidden: Bool)? {
        var i = start
        var name = ""
        while i < s.count, s[i].properties.isAlphabetic || (!name.isEmpty && (("0"..."9").contains(s[i]) || s[i] == "-" || s[i] == ":")) {
            name.unicodeScalars.append(s[i])
            i += 1
        }
        guard !name.isEmpty else { return nil }
        // Attributes: names, and values quoted, unquoted or absent; only `hidden` and `aria-hidden` matter here.
        var hidden = false
        var selfClosing = false
        while i < s.count && s[i] != ">" {
            let c = s[i]
            if c == "/" {
                selfClosing = true
                i += 1
                continue
            }
            if c.properties.isWhitespace {
                i += 1
                continue
            }
            selfClosing = false
            var attribute = ""
            while i < s.count, s[i] != "=", s[i] != ">", s[i] != "/" || attribute.isEmpty, !s[i].properties.isWhitespace {
                attribute.unicodeScalars.append(s[i])
                i += 1
            }
            while i < s.count && s[i].properties.isWhitespace { i += 1 }
            var value = ""
            if i < s.count && s[i] == "=" {
                i += 1
                while i < s.count && s[i].properties.isWhitespace { i += 1 }
                if i < s.count && (s[i] == "\"" || s[i] == "'") {
                    let quote = s[i]
                    i += 1
                    while i < s.count && s[i] != quote {
                        value.unicodeScalars.append(s[i])
                        i += 1
                    }
                    i += 1
                } else {
                    while i < s.count && s[i] != ">" && !s[i].properties.isWhitespace {
                        value.unicodeScalars.append(s[i])
                        i += 1
                    }
                }
            }
            switch attribute.lowercased() {
            case "hidden": hidden = true
            case "aria-hidden": hidden = hidden || value.lowercased() == "true"
            default: break
            }
        }
        return (name.lowercased(), min(i + 1, s.count), selfClosing, hidden)
    }

    /// Comments, doctype, CDATA and processing instructions: skipped whole.
    static func skipMarkup(_ s: [Unicode.Scalar], _ start: Int) -> Int {
        let isComment = start + 3 < s.count && s[start + 2] == "-" && s[start + 3] == "-"
        var i = start + 2
        if isComment {
            i += 2
            while i + 2 < s.count && !(s[i] == "-" && s[i + 1] == "-" && s[i + 2] == ">") { i += 1 }
            return min(i + 3, s.count)
        }
        while i < s.count && s[i] != ">" { i += 1 }
        return min(i + 1, s.count)
    }

    /// Where a raw-text element's content ends (`</name`) and where parsing goes on after its end tag.
    static func closingTag(_ s: [Unicode.Scalar], _ name: String, from start: Int) -> (contentEnd: Int, after: Int) {
        let target = Array(("</" + name).unicodeScalars)
        var i = start
        while i + target.count <= s.count {
            if s[i] == "<" && s[i + 1] == "/" {
                var match = true
                for k in 2..<target.count where Character(s[i + k]).lowercased() != String(target[k]) {
                    match = false
                    break
                }
                let boundary = i + target.count
                if match && (boundary == s.count || !s[boundary].properties.isAlphabetic) {
                    var j = boundary
                    while j < s.count && s[j] != ">" { j += 1 }
                    return (i, min(j + 1, s.count))
                }
            }
            i += 1
        }
        return (s.count, s.count)
    }

    // MARK: Entities

    /// The text of the character reference at `start` (an `&`) and its length; a lone `&` is itself.
    static func entity(_ s: [Unicode.Scalar], _ start: Int) -> (String, Int) {
        var i = start + 1
        if i < s.count && s[i] == "#" {
            i += 1
            let hex = i < s.count && (s[i] == "x" || s[i] == "X")
            if hex { i += 1 }
            var value: UInt32 = 0
            var digits = 0
            while i < s.count, let digit = Int(String(s[i]), radix: hex ? 16 : 10) {
                value = min(value &* (hex ? 16 : 10) &+ UInt32(digit), 0x110000)
                digits += 1
                i += 1
            }
            guard digits > 0 else { return ("&", 1) }
            if i < s.count && s[i] == ";" { i += 1 }
            return (String(numericCharacter(value)), i - start)
        }
        var name = ""
        while i < s.count, name.unicodeScalars.count < 32, s[i].isASCII, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
            name.unicodeScalars.append(s[i])
            i += 1
        }
        if i < s.count && s[i] == ";", let value = namedEntities[name] { return (String(value), i + 1 - start) }
        // The few that pages write without the semicolon.
        if ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"].contains(name), let value = namedEntities[name] {
            return (String(value), i - start)
        }
        return ("&", 1)
    }

    /// HTML's rules for `&#…;`: nothing, surrogates and out of range become U+FFFD; 0x80–0x9F are read as windows-1252.
    static func numericCharacter(_ value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9f).contains(value) { return windows1252[Int(value - 0x80)] }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    static let namedEntities: [String: Unicode.Scalar] = {
        var table: [String: Unicode.Scalar] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}",
            "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}", "ndash": "\u{2013}", "mdash": "\u{2014}",
            "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "bdquo": "\u{201E}",
            "dagger": "\u{2020}", "Dagger": "\u{2021}", "bull": "\u{2022}", "hellip": "\u{2026}", "permil": "\u{2030}", "prime": "\u{2032}",
            "Prime": "\u{2033}", "lsaquo": "\u{2039}", "rsaquo": "\u{203A}", "euro": "\u{20AC}", "trade": "\u{2122}", "larr": "\u{2190}",
            "uarr": "\u{2191}", "rarr": "\u{2192}", "darr": "\u{2193}", "harr": "\u{2194}", "minus": "\u{2212}", "infin": "\u{221E}",
            "ne": "\u{2260}", "le": "\u{2264}", "ge": "\u{2265}", "asymp": "\u{2248}", "OElig": "\u{0152}", "oelig": "\u{0153}",
            "Scaron": "\u{0160}", "scaron": "\u{0161}", "Yuml": "\u{0178}", "fnof": "\u{0192}", "circ": "\u{02C6}", "tilde": "\u{02DC}",
            "alpha": "\u{03B1}", "beta": "\u{03B2}", "gamma": "\u{03B3}", "delta": "\u{03B4}", "pi": "\u{03C0}", "mu": "\u{03BC}",
            "sigma": "\u{03C3}", "omega": "\u{03C9}", "Omega": "\u{03A9}", "check": "\u{2713}", "star": "\u{2606}", "hearts": "\u{2665}",
        ]
        // Latin-1, U+00A0 to U+00FF, in order.
        let latin1 = """
            nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para \
            middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute \
            Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute \
            THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde \
            ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml
            """
        for (offset, name) in latin1.split(separator: " ").enumerated() { table[String(name)] = Unicode.Scalar(UInt32(0xA0 + offset)) }
        return table
    }()

    // MARK: Character sets

    /// The bytes as text: UTF-8 (the default, and what a BOM says), windows-1252 for its labels and
    /// for undeclared bytes that are not UTF-8, UTF-16, or what Foundation knows.
    static func decode(_ bytes: [UInt8], charset: String?) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return String(data: Data(bytes), encoding: .utf16) ?? String(decoding: bytes, as: UTF8.self)
        }
        switch charset?.lowercased() {
        case nil:
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            return windows1252Text(bytes)
        case "utf-8", "utf8", "unicode-1-1-utf-8":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "latin1", "l1", "iso8859-1", "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252":
            return windows1252Text(bytes)
        case "utf-16", "utf-16le":
            return String(data: Data(bytes), encoding: .utf16LittleEndian) ?? String(decoding: bytes, as: UTF8.self)
        case "utf-16be":
            return String(data: Data(bytes), encoding: .utf16BigEndian) ?? String(decoding: bytes, as: UTF8.self)
        case let label?:
            let known: [String: String.Encoding] = [
                "iso-8859-2": .isoLatin2, "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251, "windows-1253": .windowsCP1253,
                "windows-1254": .windowsCP1254, "shift_jis": .shiftJIS, "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP,
            ]
            if let encoding = known[label], let text = String(data: Data(bytes), encoding: encoding) { return text }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    static func windows1252Text(_ bytes: [UInt8]) -> String {
        var text = ""
        text.unicodeScalars.reserveCapacity(bytes.count)
        for byte in bytes {
            text.unicodeScalars.append((0x80...0x9f).contains(byte) ? windows1252[Int(byte - 0x80)] : Unicode.Scalar(byte))
        }
        return text
    }

    /// windows-1252's 0x80–0x9F (the five it leaves undefined map to themselves, as browsers do).
    static let windows1252: [Unicode.Scalar] = [
        0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178,
    ].map { Unicode.Scalar(UInt32($0))! }

    /// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 2 KB.
    static func metaCharset(_ bytes: [UInt8]) -> String? {
        let start = String(decoding: bytes.prefix(2048).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        guard let range = start.range(of: "charset=") else { return nil }
        let label = start[range.upperBound...].drop(while: { $0 == "\"" || $0 == "'" || $0 == " " })
            .prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        return label.isEmpty ? nil : String(label)
    }

    // MARK: PDF

    static func isPDF(_ bytes: [UInt8]) -> Bool {
        let marker: [UInt8] = Array("%PDF-".utf8)
        let head = Array(bytes.prefix(1024))
        guard head.count >= marker.count else { return false }
        return (0...(head.count - marker.count)).contains { head[$0..<$0 + marker.count].elementsEqual(marker) }
    }

    /// The PDF's text through `pdftotext -enc UTF-8 -nopgbrk FILE -`, stopped after `timeoutSeconds`;
    /// its output is read up to 8 MB and capped like every source.
    public static func fromPDF(_ bytes: [UInt8], timeoutSeconds: Double) throws(SourceTextError) -> String {
        guard isPDF(bytes) else { throw .notPDF }
        guard let tool = executable("pdftotext") else { throw .pdftotextMissing }
        guard let path = temporaryFile(bytes) else { throw .unreadablePDF(status: -1) }
        defer { unlink(path) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-enc", "UTF-8", "-nopgbrk", path, "-"]
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw .pdftotextMissing
        }
        let (output, finished) = readAll(pipe.fileHandleForReading.fileDescriptor, deadline: Date().addingTimeInterval(timeoutSeconds))
        if !finished || output.count > maxPDFOutputBytes {
            process.terminate()
        }
        process.waitUntilExit()
        try? pipe.fileHandleForReading.close()
        guard finished else { throw .timedOut(seconds: Int(timeoutSeconds.rounded())) }
        if output.count <= maxPDFOutputBytes && process.terminationStatus != 0 { throw .unreadablePDF(status: process.terminationStatus) }
        let text = normalizeLines(String(decoding: output.prefix(maxPDFOutputBytes), as: UTF8.self))
        guard !text.isEmpty else { throw .noText }
        return text
    }

    /// Reads `fd` until end of file, `maxPDFOutputBytes` (+1) or the deadline; `finished` is false on the deadline.
    static func readAll(_ fd: Int32, deadline: Date) -> (bytes: [UInt8], finished: Bool) {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while output.count <= maxPDFOutputBytes {
            let milliseconds = Int(deadline.timeIntervalSinceNow * 1000)
            guard milliseconds > 0 else { return (output, false) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(milliseconds, Int(Int32.max))))
            if ready == 0 { return (output, false) }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            if count == 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        return (output, true)
    }

    /// The program's path on PATH (and Debian's usual places), or nil.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        return folders.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }

    /// The bytes in a new file only this user can read; its path, or nil.
    static func temporaryFile(_ bytes: [UInt8]) -> String? {
        var template = Array((FileManager.default.temporaryDirectory.path + "/herald-pdf-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                unlink(path)
                return nil
            }
            written += count
        }
        return path
    }
}

/// Collects text into lines: runs of whitespace become one space, invisible characters go.
struct TextBuilder {
    private(set) var lines: [String] = []
    private(set) var line = ""
    private var pendingSpace = false
    /// Characters (scalars) taken so far, for the cap.
    private(set) var count = 0

    /// What the next line starts with once it has text (a list item's dash).
    private var linePrefix = ""

    mutating func add(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0C, 0x0D, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            pendingSpace = !line.isEmpty
        case 0x00...0x08, 0x0B, 0x0E...0x1F, 0x7F, 0xAD, 0x200B, 0xFEFF:
            break
        default:
            if line.isEmpty {
                line = linePrefix
                linePrefix = ""
            } else if pendingSpace {
                line.unicodeScalars.append(" ")
            }
            pendingSpace = false
            line.unicodeScalars.append(scalar)
            count += 1
        }
    }

    mutating func space() { pendingSpace = !line.isEmpty }

    mutating func prefix(_ text: String) { linePrefix = text }

    /// Ends the line if it has text; an empty one keeps its prefix (`<li><p>…`).
    mutating func lineBreak() {
        guard !line.isEmpty else { return }
        lines.append(line)
        line = ""
        pendingSpace = false
    }
}
