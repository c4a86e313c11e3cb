// What a program counts for Prometheus: requests by status, their durations as a histogram, and
// gauges it sets (database connections open, threads). Each program writes its own counters to a
// file in the text exposition format every few seconds (`<metrics dir>/<program>.prom`, replaced
// atomically); herald-admin serves them all with the database's gauges at `GET /metrics` on the
// local-only metrics listener. A file per program, as node_exporter's textfile collector does:
// the programs are separate processes and need no socket of their own for it.
import Glibc
import Synchronization

public final class ProgramMetrics: Sendable {
    /// Upper bounds of the duration histogram, in seconds.
    public static let bucketBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var requestsByStatus: [Int: UInt64] = [:]
        /// Non-cumulative counts per bucket; the last one is +Inf.
        var buckets = [UInt64](repeating: 0, count: ProgramMetrics.bucketBounds.count + 1)
        var durationSum: Double = 0
        var gauges: [String: Double] = [:]
    }

    public let program: String
    private let state = Mutex(State())

    public init(program: String) { self.program = program }

    /// One answered request.
    public func recordRequest(status: Int, seconds: Double) {
        let bucket = Self.bucketBounds.firstIndex { seconds <= $0 } ?? Self.bucketBounds.count
        state.withLock { state in
            state.requestsByStatus[status, default: 0] += 1
            state.buckets[bucket] += 1
            state.durationSum += seconds
        }
    }

    /// Sets a gauge `herald_<name>{program="…"}`.
    public func setGauge(_ name: String, _ value: Double) {
        state.withLock { $0.gauges[name] = value }
    }

    /// Adds to a gauge (negative to subtract).
    public func addToGauge(_ name: String, _ delta: Double) {
        state.withLock { $0.gauges[name, default: 0] += delta }
    }

    /// The program's metrics in Prometheus' text exposition format (version 0.0.4), without HELP/TYPE
    /// lines for the gauges set by name (herald-admin adds the families' headers once for all programs).
    public func render() -> String {
        let snapshot = state.withLock { $0 }
        let label = "program=\"\(Self.escapeLabel(program))\""
        var text = ""
        for (status, count) in snapshot.requestsByStatus.sorted(by: { $0.key < $1.key }) {
            text += "herald_http_requests_total{\(label),status=\"\(status)\"} \(count)\n"
        }
        var cumulative: UInt64 = 0
        for (index, bound) in Self.bucketBounds.enumerated() {
            cumulative += snapshot.buckets[index]
            text += "herald_http_request_duration_seconds_bucket{\(label),le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += snapshot.buckets[Self.bucketBounds.count]
        text += "herald_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(cumulative)\n"
        text += "herald_http_request_duration_seconds_sum{\(label)} \(snapshot.durationSum)\n"
        text += "herald_http_request_duration_seconds_count{\(label)} \(cumulative)\n"
        for (name, value) in snapshot.gauges.sorted(by: { $0.key < $1.key }) {
            text += "herald_\(name){\(label)} \(value)\n"
        }
        text += "herald_process_resident_bytes{\(label)} \(Self.residentBytes())\n"
        return text
    }

    /// Writes `render()` to `directory/<program>.prom` every `seconds`, replacing the file atomically
    /// (a reader never sees half of it), after `sample` has set the gauges it reads from elsewhere.
    /// The directory is made if missing.
    public func startWriting(directory: String, every seconds: Double = 2, sample: @escaping @Sendable () -> Void = {}) {
        mkdir(directory, 0o750)
        let path = "\(directory)/\(program).prom"
        startThread { [self] in
            while true {
                sample()
                self.write(to: path)
                usleep(UInt32(seconds * 1_000_000))
            }
        }
    }

    /// Writes the file once (also used by the writer thread).
    public func write(to path: String) {
        do {
            try FileIO.writeAtomically(path, Array(render().utf8), mode: 0o640, durable: false)
        } catch {
            Log.error("cannot write metrics file", ["path": path, "error": String(describing: error)])
        }
    }

    /// A label value escaped as the exposition format requires (backslash, quote, line feed).
    public static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// This process's resident set size, from /proc/self/statm (pages × page size); 0 if unreadable.
    static func residentBytes() -> Int {
        guard let text = try? FileIO.readText("/proc/self/statm") else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
