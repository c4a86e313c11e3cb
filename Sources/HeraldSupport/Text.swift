// Small text helpers every layer uses: trimming and hexadecimal digits, without Foundation.

extension Substring {
    /// Leading and trailing white space removed.
    public var trimmed: String { String(self).trimmed }

    /// Leading and trailing spaces and tabs removed (header and cookie values, migration markers).
    public func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    /// Every occurrence of `target` replaced, matched scalar by scalar. For escaping: `replacing`
    /// matches whole Characters, and a quote after a prepended mark (U+06DD, say) or a letter's
    /// combining mark after a marker belongs to another Character, so it would be missed.
    public func replacingScalars(_ target: String, with replacement: String) -> String {
        let needle = Array(target.unicodeScalars)
        let scalars = Array(unicodeScalars)
        guard !needle.isEmpty else { return self }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if i + needle.count <= scalars.count, scalars[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += needle.count
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// Leading and trailing white space removed.
    public var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

public enum Hex {
    /// The value of one hexadecimal digit (either case), or nil.
    public static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// 1234567 → "1,234,567"; negative numbers with a minus sign (−).
public func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
        out.append(digit)
    }
    return (value < 0 ? "−" : "") + out
}
