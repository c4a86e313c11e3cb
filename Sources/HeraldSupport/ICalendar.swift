// An iCalendar (RFC 5545) writer: content lines ending in CRLF, folded at 75 octets without
// splitting a UTF-8 sequence, and TEXT values escaped.

/// The bytes of an iCalendar object, written one property at a time.
public struct ICalendar {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// A property whose value is already in its format (dates, numbers, URIs, fixed words).
    public mutating func property(_ name: String, _ value: String) {
        fold(Array(name.utf8) + [UInt8(ascii: ":")] + Array(value.utf8))
    }

    /// A TEXT property (SUMMARY, DESCRIPTION, …): the value is escaped.
    public mutating func text(_ name: String, _ value: String) {
        property(name, ICalendar.escapeText(value))
    }

    /// Backslash, semicolon and comma get a backslash; every line break (CRLF, LF or CR) becomes
    /// `\n`; other control characters, which TEXT may not hold, are dropped (tab stays).
    public static func escapeText(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\":
                out.append("\\")
                out.append("\\")
            case ";":
                out.append("\\")
                out.append(";")
            case ",":
                out.append("\\")
                out.append(",")
            case "\r":
                out.append("\\")
                out.append("n")
            case "\n":
                if !previousWasCR {
                    out.append("\\")
                    out.append("n")
                }
            case "\t": out.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Writes one content line: at most 75 octets per physical line, continuation lines starting
    /// with a space (which counts toward the 75), never cutting inside a UTF-8 sequence.
    private mutating func fold(_ line: [UInt8]) {
        var start = 0
        var limit = 75
        while line.count - start > limit {
            var cut = start + limit
            // 0b10xxxxxx is a continuation byte: back up to the start of its character.
            while cut > start && line[cut] & 0xC0 == 0x80 { cut -= 1 }
            bytes += line[start..<cut]
            bytes += [13, 10, UInt8(ascii: " ")]
            start = cut
            limit = 74
        }
        bytes += line[start...]
        bytes += [13, 10]
    }
}
