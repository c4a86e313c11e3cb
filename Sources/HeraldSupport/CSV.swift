// CSV (RFC 4180) reading and writing: quoted fields with commas, quotes and line breaks; a
// leading byte-order mark is skipped; written cells that a spreadsheet would run as a formula
// are defused.

public enum CSV {
    public struct ParseError: Error, Sendable, Equatable {
        public let line: Int
        public let message: String
    }

    /// Rows of fields. A quote inside an unquoted field, or an unclosed quote, is an error naming the line.
    public static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var quoteLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endField() {
            row.append(field)
            field = ""
            fieldWasQuoted = false
        }
        func endRow() {
            endField()
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case ",": endField()
                case "\r":
                    if i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                    endRow()
                    line += 1
                case "\n":
                    endRow()
                    line += 1
                case "\"":
                    guard field.isEmpty && !fieldWasQuoted else {
                        throw ParseError(line: line, message: "a quote inside an unquoted field (put the whole field in quotes and double the quote)")
                    }
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteLine = line
                default:
                    if fieldWasQuoted { throw ParseError(line: line, message: "text after a closing quote") }
                    field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw ParseError(line: quoteLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !row.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }

    /// One field of a record to write.
    public enum Field: Sendable, Equatable {
        /// Text: quoted when needed, formulas defused (see `cell`); nil is an empty field.
        case text(String?)
        case number(Int)
    }

    /// One record, ending in CRLF.
    public static func record(_ fields: [Field]) -> String {
        fields.map(encode).joined(separator: ",") + "\r\n"
    }

    public static func encode(_ field: Field) -> String {
        switch field {
        case .number(let value): return String(value)
        case .text(let value): return value.map(cell) ?? ""
        }
    }

    /// One CSV line (with CRLF) from fields.
    public static func line(_ fields: [String]) -> String {
        fields.map(cell).joined(separator: ",") + "\r\n"
    }

    /// A field, quoted when needed. A value starting with = + - @ or a tab gets a leading
    /// apostrophe so a spreadsheet shows it instead of running it (CSV injection).
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        // By scalar: "\r\n" is a single Character and would slip past a Character comparison.
        // A leading byte-order mark is quoted too: unquoted at the start of a file, a reader drops it.
        let needsQuotes =
            text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || text.hasPrefix(" ") || text.hasSuffix(" ")
            || text.unicodeScalars.first == "\u{FEFF}"
        guard needsQuotes else { return text }
        // Quotes doubled scalar by scalar too: a quote after a prepended mark (U+06DD, say) is part
        // of that mark's Character, and a Character-level replace would leave it single.
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.append("\"") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}
