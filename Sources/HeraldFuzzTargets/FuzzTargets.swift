// What the fuzzers run: each target takes arbitrary bytes, feeds them to one parser or escaper and
// checks the properties that must hold for every input (a round trip, an invariant of the output).
// `Tests/Fuzz` builds these into a libFuzzer binary (`make fuzz`); `FuzzCorpusTests` replays the
// kept corpus through the same functions in `make test`.
import HeraldFastCGI
import HeraldHTML
import HeraldSupport

public enum FuzzTarget: String, CaseIterable, Sendable {
    /// libfcgi's environment entries (`NAME=value`, NUL-separated), an optional body after "\0\0":
    /// the parameters, query, cookies and form of a request.
    case fastcgiParams = "fastcgi-params"
    /// An application/x-www-form-urlencoded body.
    case urlencoded
    /// A multipart/form-data body: the first line is the Content-Type header's value.
    case multipart
    /// A Cookie header.
    case cookies
    /// A CSV file for the posts import, and the CSV writer of the exports.
    case csv
    /// iCalendar TEXT escaping and line folding.
    case ical
    /// HTML text escaping and query percent-encoding.
    case html

    /// The first property the input breaks, or nil when every one holds. Throwing parsers may refuse an
    /// input (with their 400 message): only what they accept is checked.
    public func check(_ input: [UInt8]) -> String? {
        switch self {
        case .fastcgiParams: return FuzzChecks.fastCGIParams(input)
        case .urlencoded: return FuzzChecks.urlencoded(input)
        case .multipart: return FuzzChecks.multipart(input)
        case .cookies: return FuzzChecks.cookies(String(decoding: input, as: UTF8.self))
        case .csv: return FuzzChecks.csv(String(decoding: input, as: UTF8.self))
        case .ical: return FuzzChecks.ical(String(decoding: input, as: UTF8.self))
        case .html: return FuzzChecks.html(String(decoding: input, as: UTF8.self))
        }
    }
}

enum FuzzChecks {
    /// What FormData promises: no control characters but tab, CR and LF.
    static func formViolation(_ form: FormData, _ source: String) -> String? {
        for (name, value) in form.pairs {
            for scalar in (name + value).unicodeScalars
            where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" || scalar.value == 0x7f {
                return "\(source) holds the control character U+\(String(scalar.value, radix: 16)) in \(name.debugDescription)"
            }
        }
        return nil
    }

    static func fastCGIParams(_ input: [UInt8]) -> String? {
        var environment = input[...]
        var body: [UInt8] = []
        if let split = input.indices.first(where: { $0 + 1 < input.count && input[$0] == 0 && input[$0 + 1] == 0 }) {
            environment = input[..<split]
            body = Array(input[(split + 2)...])
        }
        var params: [String: String] = [:]
        for entry in environment.split(separator: 0, omittingEmptySubsequences: true) {
            let valid = Array(entry).withUnsafeBytes { Request.addParameter($0, to: &params) }
            if !valid { return nil }
        }
        params["CONTENT_LENGTH"] = String(body.count)
        guard let request = try? Request(params: params, body: body) else { return nil }
        if let violation = formViolation(request.query, "the query") { return violation }
        if let violation = cookieViolation(request.cookies) { return violation }
        if let form = try? request.form(), let violation = formViolation(form, "the form") { return violation }
        _ = request.header("User-Agent")
        return nil
    }

    static func urlencoded(_ input: [UInt8]) -> String? {
        guard let form = try? FormData(urlEncoded: input) else { return nil }
        if let violation = formViolation(form, "the form") { return violation }
        // Written back with the encoder Herald's links use, it reads back the same.
        let written = form.pairs.map { urlEncode($0.name) + "=" + urlEncode($0.value) }.joined(separator: "&")
        guard let again = try? FormData(urlEncoded: Array(written.utf8)) else { return "the re-encoded form \(written.debugDescription) is refused" }
        guard again.pairs.count == form.pairs.count, zip(again.pairs, form.pairs).allSatisfy({ $0.name == $1.name && $0.value == $1.value }) else {
            return "the form did not survive urlEncode: \(form.pairs) became \(again.pairs)"
        }
        return nil
    }

    static func multipart(_ input: [UInt8]) -> String? {
        let newline = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.count
        let contentType = String(decoding: input[..<newline], as: UTF8.self)
        let body = Array(input[min(input.count, newline + 1)...])
        guard let form = try? MultipartForm(body: body, contentType: contentType) else { return nil }
        if let violation = formViolation(form.fields, "the multipart form") { return violation }
        // File names and their fields' names promise what form fields do.
        for file in form.files {
            for text in [file.fieldName, file.fileName]
            where text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" || $0.value == 0x7f }) {
                return "an uploaded file's name holds a control character: \(text.debugDescription)"
            }
            // A file's bytes are a piece of the body, found in it as they are.
            if !file.bytes.isEmpty, !body.indices.contains(where: { body[$0...].starts(with: file.bytes) }) {
                return "a file's bytes are not in the body"
            }
        }
        return nil
    }

    static func cookieViolation(_ cookies: [String: String]) -> String? {
        for (name, value) in cookies {
            if name.isEmpty { return "a cookie with an empty name" }
            if name.contains(";") || value.contains(";") { return "a cookie holds a ';': \(name.debugDescription)" }
            if name.first == " " || name.last == " " { return "a cookie name keeps its spaces: \(name.debugDescription)" }
        }
        return nil
    }

    static func cookies(_ header: String) -> String? {
        let cookies = Request.parseCookies(header)
        if let violation = cookieViolation(cookies) { return violation }
        // Every cookie is the first `name=value` pair of its name in the header, its spaces and one
        // pair of surrounding quotes taken off; and every such pair was read.
        var expected: [String: String] = [:]
        for pair in header.split(separator: ";", omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = pair[..<equals].trimmingSpaces()
            var value = pair[pair.index(after: equals)...].trimmingSpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            if !name.isEmpty, expected[name] == nil { expected[name] = value }
        }
        guard cookies == expected else { return "the cookies read are not the first pair of each name: \(cookies) for \(expected)" }
        return nil
    }

    static func csv(_ text: String) -> String? {
        guard let rows = try? CSV.parse(text) else { return nil }
        // What the exports write reads back as the same rows, formulas defused.
        let written = rows.map(CSV.line).joined()
        guard let again = try? CSV.parse(written) else { return "the written CSV \(written.debugDescription) does not parse" }
        let expected = rows.map {
            $0.map { cell in cell.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true ? "'" + cell : cell }
        }
        guard again == expected else { return "CSV did not survive writing: \(expected) became \(again)" }
        return nil
    }

    static func ical(_ text: String) -> String? {
        let escaped = ICalendar.escapeText(text)
        for scalar in escaped.unicodeScalars where scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7f {
            return "escaped TEXT holds U+\(String(scalar.value, radix: 16))"
        }
        // Unescaped (RFC 5545 3.3.11) it is the text with its line breaks as LF and its control characters gone.
        var unescaped = String.UnicodeScalarView()
        var iterator = escaped.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                if scalar == ";" || scalar == "," { return "an unescaped \(scalar) in \(escaped.debugDescription)" }
                unescaped.append(scalar)
                continue
            }
            switch iterator.next() {
            case "n": unescaped.append("\n")
            case let next? where next == "\\" || next == ";" || next == ",": unescaped.append(next)
            default: return "a lone backslash in \(escaped.debugDescription)"
            }
        }
        var expected = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\r" || scalar == "\n" {
                if !(scalar == "\n" && previousWasCR) { expected.append("\n") }
            } else if !(scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7f) {
                expected.append(scalar)
            }
        }
        guard String(unescaped) == String(expected) else { return "TEXT did not survive escaping: \(text.debugDescription)" }
        // Folded: lines of at most 75 octets, each valid UTF-8, that unfold to the property.
        var calendar = ICalendar()
        calendar.text("SUMMARY", text)
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var i = 0
        let bytes = calendar.bytes
        while i < bytes.count {
            if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 {
                lines.append(line)
                line = []
                i += 2
            } else {
                line.append(bytes[i])
                i += 1
            }
        }
        guard line.isEmpty, bytes.suffix(2) == [13, 10] else { return "the calendar does not end its line with CRLF" }
        var unfolded: [UInt8] = []
        for (index, line) in lines.enumerated() {
            if line.count > 75 { return "a folded line of \(line.count) octets" }
            if String(validating: line, as: UTF8.self) == nil { return "a folded line cuts a UTF-8 sequence" }
            if index > 0 {
                guard line.first == UInt8(ascii: " ") else { return "a continuation line without its space" }
                unfolded += line.dropFirst()
            } else {
                unfolded += line
            }
        }
        guard unfolded == Array(("SUMMARY:" + escaped).utf8) else { return "the folded lines do not unfold to the property" }
        return nil
    }

    static func html(_ text: String) -> String? {
        var out: [UInt8] = []
        HTML.appendEscaped(text, to: &out)
        // Nothing but the five entities may start with '&', and none of < > " ' is left.
        var unescaped: [UInt8] = []
        var i = 0
        let entities: [(String, UInt8)] = [("&amp;", 38), ("&lt;", 60), ("&gt;", 62), ("&quot;", 34), ("&#39;", 39)]
        outer: while i < out.count {
            switch out[i] {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                return "an unescaped \(Character(Unicode.Scalar(out[i]))) in the HTML of \(text.debugDescription)"
            case UInt8(ascii: "&"):
                for (entity, byte) in entities where out[i...].starts(with: entity.utf8) {
                    unescaped.append(byte)
                    i += entity.utf8.count
                    continue outer
                }
                return "an '&' that starts no entity"
            default:
                unescaped.append(out[i])
                i += 1
            }
        }
        guard unescaped == Array(text.utf8) else { return "the HTML does not unescape to the text" }
        // A query value percent-encoded and decoded is the same value (decoding refuses control characters).
        let hasControl = text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" || $0.value == 0x7f }
        let encoded = urlEncode(text)
        guard
            encoded.utf8.allSatisfy({
                $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "~")
                    || ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122)
            })
        else { return "urlEncode left a reserved byte in \(encoded.debugDescription)" }
        let decoded = try? FormData(urlEncoded: Array(("v=" + encoded).utf8))["v"]
        if !hasControl, decoded != text { return "urlEncode did not round-trip \(text.debugDescription)" }
        // A link's address is "#", or one a browser keeps on this site or sends to http(s): never
        // "//host" or "/\\host" (which browsers read as "//host"), never another scheme.
        let link: HTML = "\(url: text)"
        let href = Array(link.description.unicodeScalars)
        let lower = link.description.lowercased()
        let kept =
            link.description == "#"
            || (href.first == "/" && href.dropFirst().first != "/" && href.dropFirst().first != "\\")
            || href.first == "?" || href.first == "#" || lower.hasPrefix("http://") || lower.hasPrefix("https://")
        if !kept { return "a link to \(link.description.debugDescription)" }
        return nil
    }
}
