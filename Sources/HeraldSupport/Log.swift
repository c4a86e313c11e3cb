// Structured log lines (logfmt) written straight to file descriptor 2.
import Glibc

public enum Log {
    /// Writes one logfmt line: `ts=… level=… msg=… key=value …`. Values are quoted when needed.
    public static func write(_ level: String, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        var line = "ts=\(Clock.isoNow()) level=\(level) msg=\(quote(message))"
        for (key, value) in fields { line += " \(key)=\(quote(value))" }
        line += "\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }

    public static func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { write("info", message, fields) }
    public static func warn(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { write("warn", message, fields) }
    public static func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { write("error", message, fields) }

    /// A logfmt value: bare when it is plain ASCII without spaces, `=`, quotes or backslashes;
    /// otherwise a quoted string with JSON escapes.
    static func quote(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.utf8.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: "\\") && $0 < 0x7f }
        return plain ? value : jsonString(value)
    }
}

/// Wall-clock and monotonic time without Foundation.
public enum Clock {
    /// Monotonic nanoseconds, for durations.
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// The current UTC time as `2026-11-21T20:43:51.123Z`.
    public static func isoNow() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}

/// `text` as a JSON string literal, quotes included (also used for logfmt values and audit details).
public func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
