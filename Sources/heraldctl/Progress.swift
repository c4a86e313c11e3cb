// A progress bar on standard error: redrawn in place on a terminal, one line a second otherwise.
import Glibc
import HeraldSupport

final class Progress {
    private let label: String
    private var total: Int
    private(set) var done = 0
    private let started = Clock.monotonicNanos()
    private var drawnAt: UInt64 = 0
    private let terminal = isatty(2) == 1

    init(_ label: String, total: Int) {
        self.label = label
        self.total = total
    }

    var seconds: Double { Double(Clock.monotonicNanos() - started) / 1e9 }
    var rate: Double { seconds > 0 ? Double(done) / seconds : 0 }

    func advance(_ rows: Int) {
        done += rows
        total = max(total, done)
        let now = Clock.monotonicNanos()
        if now - drawnAt >= (terminal ? 100_000_000 : 1_000_000_000) {
            drawnAt = now
            draw()
        }
    }

    /// The last figures, and the end of the line on a terminal.
    func finish() {
        draw()
        if terminal { write("\n") }
    }

    private func draw() {
        let percent = total > 0 ? done * 100 / total : 100
        let width = 24
        let filled = total > 0 ? done * width / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = rate > 0 ? formatDuration(Double(total - done) / rate) : "-"
        let line = "\(label) [\(bar)] \(done)/\(total) rows \(percent)%  \(Int(rate.rounded())) rows/s  ETA \(eta)"
        write(terminal ? "\r\u{1B}[K" + line : line + "\n")
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// A plain line on standard error (progress notes, not failures).
func note(_ text: String) {
    var bytes = Array((text + "\n").utf8)
    bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
}

/// `1:05` for 65 seconds, `1:02:03` past an hour.
func formatDuration(_ seconds: Double) -> String {
    let s = max(0, Int(seconds.rounded()))
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
}

/// One decimal place.
func formatTenths(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
