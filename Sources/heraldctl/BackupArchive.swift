// The backup directory that `heraldctl backup` fills and `heraldctl restore` reads (base backups
// and archived WAL), and times in UTC to the microsecond.
import Glibc
import HeraldSupport

/// A refusal or failure of a backup or restore step, said plainly.
struct BackupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `DIR/base/<name>/{data/, backup.info}`: finished base backups (a `.partial` one is being taken
/// or was abandoned); `DIR/wal/`: WAL files as the server's archive_command delivered them.
struct BackupArchive {
    let root: String
    var base: String { root + "/base" }
    var wal: String { root + "/wal" }

    init(_ path: String) { root = absolutePath(path) }

    /// The finished base backups, oldest first.
    func backups() throws -> [BaseBackup] {
        guard FileIO.exists(base) else { return [] }
        return try FileIO.listDirectory(base)
            .filter { !$0.hasSuffix(".partial") && !$0.hasPrefix(".") && FileIO.exists("\(base)/\($0)/backup.info") }
            .map { try BaseBackup(path: "\(base)/\($0)") }
            .sorted { $0.finished < $1.finished }
    }

    /// The archived WAL segment files (24 hex digits: timeline, log, segment), in order.
    func segments() throws -> [String] {
        guard FileIO.exists(wal) else { return [] }
        return try FileIO.listDirectory(wal).filter(isSegmentName)
    }

    /// The time of the newest commit in the archived segments from `first` on, read with
    /// pg_waldump from the newest segment backwards; nil when none of them holds a commit.
    func newestCommit(from first: String, major: Int) throws -> UTCTime? {
        let waldump = PostgresTools.path("pg_waldump", major: major)
        for segment in try segments().reversed() where segment >= first {
            // TZ=UTC: pg_waldump prints commit times in the local zone, with its abbreviation.
            let dump = try Subprocess.run(
                [waldump, "--path", wal, "--rmgr", "Transaction", segment, segment], environment: ["TZ": "UTC"], captureOutput: true,
                quietErrors: true)
            let times = dump.output.split(separator: "\n").compactMap { line -> UTCTime? in
                guard let range = line.firstRange(of: "desc: COMMIT ") else { return nil }
                let rest = line[range.upperBound...]
                return try? UTCTime(parsing: String(rest.prefix { $0 != ";" }))
            }
            if let newest = times.max() { return newest }
        }
        return nil
    }
}

private func isSegmentName(_ name: String) -> Bool {
    name.utf8.count == 24 && name.utf8.allSatisfy { (48...57).contains($0) || (65...70).contains($0) }
}

/// One finished base backup and what `backup.info` records of it.
struct BaseBackup {
    let name: String
    let path: String
    var data: String { path + "/data" }
    /// The server's clock when pg_basebackup began and after it ended (a restore may target any
    /// time from `finished` on).
    let started: UTCTime
    let finished: UTCTime
    /// The WAL segment recovery starts from (backup_label's START WAL LOCATION).
    let startSegment: String
    let systemIdentifier: String
    /// `server_version_num`, e.g. 150018.
    let serverVersion: Int
    var serverMajor: Int { serverVersion / 10000 }

    init(name: String, path: String, started: UTCTime, finished: UTCTime, startSegment: String, systemIdentifier: String, serverVersion: Int) {
        self.name = name
        self.path = path
        self.started = started
        self.finished = finished
        self.startSegment = startSegment
        self.systemIdentifier = systemIdentifier
        self.serverVersion = serverVersion
    }

    init(path: String) throws {
        let file = path + "/backup.info"
        var fields: [String: String] = [:]
        for line in try FileIO.readText(file).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let started = fields["started"], let finished = fields["finished"], let segment = fields["start_wal"], isSegmentName(segment),
            let system = fields["system_identifier"], let version = fields["server_version"].flatMap({ Int($0) })
        else { throw BackupError("\(file) is incomplete or damaged: it needs started, finished, start_wal, system_identifier and server_version") }
        self.init(
            name: String(path.split(separator: "/").last ?? ""), path: path, started: try UTCTime(parsing: started),
            finished: try UTCTime(parsing: finished), startSegment: segment, systemIdentifier: system, serverVersion: version)
    }

    func info() -> String {
        """
        # heraldctl backup: a base backup (pg_basebackup in data/, checked with pg_verifybackup); times are the server's clock
        started \(started.iso)
        finished \(finished.iso)
        start_wal \(startSegment)
        system_identifier \(systemIdentifier)
        server_version \(serverVersion)

        """
    }
}

/// A moment in UTC, to the microsecond.
struct UTCTime: Comparable, CustomStringConvertible {
    let micros: Int64

    init(micros: Int64) { self.micros = micros }

    static func now() -> UTCTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UTCTime(micros: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec / 1000))
    }

    static func < (a: UTCTime, b: UTCTime) -> Bool { a.micros < b.micros }

    /// Reads ISO 8601 with a time zone: `2026-05-01T14:30:00+02:00`, `2026-05-01 12:30Z`,
    /// `2026-05-01 12:30:00.25 UTC`. A time without a zone is refused rather than guessed.
    init(parsing text: String) throws {
        let usage = "write it as ISO 8601 with a time zone, e.g. 2026-05-01T14:30:00+02:00 or 2026-05-01 12:30Z"
        var s = TextScanner(text)
        guard let year = s.number(4), s.take("-"), let month = s.number(2), s.take("-"), let day = s.number(2), s.take("T") || s.take(" "),
            let hour = s.number(2), s.take(":"), let minute = s.number(2)
        else { throw BackupError("cannot read `\(text)` as a time: \(usage)") }
        var second = 0
        var fraction: Int64 = 0
        if s.take(":") {
            guard let value = s.number(2) else { throw BackupError("cannot read `\(text)` as a time: \(usage)") }
            second = value
            if s.take(".") || s.take(",") {
                var digits = 0
                while let digit = s.digit() {
                    if digits < 6 { fraction = fraction * 10 + Int64(digit) }
                    digits += 1
                }
                guard digits > 0 else { throw BackupError("cannot read `\(text)` as a time: \(usage)") }
                for _ in min(digits, 6)..<6 { fraction *= 10 }
            }
        }
        _ = s.take(" ")
        guard !s.atEnd else {
            throw BackupError("`\(text)` has no time zone: add one (Z for UTC, or an offset such as +02:00), so that nobody's clock is guessed")
        }
        var offsetMinutes = 0
        if !(s.take("Z") || s.take("z") || s.take("UTC")) {
            let sign = s.take("+") ? 1 : s.take("-") ? -1 : 0
            guard sign != 0, let hours = s.number(2) else { throw BackupError("cannot read `\(text)` as a time: \(usage)") }
            _ = s.take(":")
            let minutes = s.number(2) ?? 0
            guard hours <= 15, minutes < 60 else { throw BackupError("`\(text)` has an impossible time zone offset") }
            offsetMinutes = sign * (hours * 60 + minutes)
        }
        guard s.atEnd else { throw BackupError("cannot read `\(text)` as a time: \(usage)") }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        // timegm normalises 2026-02-30 to March 2nd; a date it had to move did not exist.
        guard (1...12).contains(month), hour < 24, minute < 60, second < 60, parts.tm_mday == Int32(day), parts.tm_mon == Int32(month - 1) else {
            throw BackupError("`\(text)` is not a valid date and time")
        }
        micros = (Int64(seconds) - Int64(offsetMinutes) * 60) * 1_000_000 + fraction
    }

    private var fields: (parts: tm, micros: Int) {
        var seconds = time_t(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (parts, Int(micros - Int64(seconds) * 1_000_000))
    }

    /// `2026-05-01T12:30:00.250000Z`
    var iso: String {
        let (p, us) = fields
        return "\(pad(p.tm_year + 1900, 4))-\(pad(p.tm_mon + 1, 2))-\(pad(p.tm_mday, 2))T\(pad(p.tm_hour, 2)):\(pad(p.tm_min, 2)):\(pad(p.tm_sec, 2))"
            + ".\(pad(Int32(us), 6))Z"
    }

    /// `20260501T123000Z`: a base backup's name.
    var compact: String {
        let p = fields.parts
        return "\(pad(p.tm_year + 1900, 4))\(pad(p.tm_mon + 1, 2))\(pad(p.tm_mday, 2))T\(pad(p.tm_hour, 2))\(pad(p.tm_min, 2))\(pad(p.tm_sec, 2))Z"
    }

    /// `2026-05-01 12:30:00.250000+00`, as PostgreSQL's settings read a timestamp with time zone.
    var postgres: String { String(iso.replacingFirst("T", with: " ").dropLast()) + "+00" }

    var description: String { iso }

    /// Seconds from `self` to `other`.
    func seconds(to other: UTCTime) -> Double { Double(other.micros - micros) / 1e6 }
}

private func pad(_ value: Int32, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension String {
    fileprivate func replacingFirst(_ old: Character, with new: String) -> String {
        guard let position = firstIndex(of: old) else { return self }
        return String(self[..<position]) + new + String(self[index(after: position)...])
    }
}

/// Reads a time character by character.
private struct TextScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) {
        var trimmed = Array(text.utf8)[...]
        while trimmed.first == 32 { trimmed.removeFirst() }
        while trimmed.last == 32 { trimmed.removeLast() }
        bytes = Array(trimmed)
    }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ literal: String) -> Bool {
        let wanted = Array(literal.utf8)
        guard bytes.count - index >= wanted.count, Array(bytes[index..<index + wanted.count]) == wanted else { return false }
        index += wanted.count
        return true
    }

    mutating func digit() -> Int? {
        guard index < bytes.count, (48...57).contains(bytes[index]) else { return nil }
        index += 1
        return Int(bytes[index - 1] - 48)
    }

    /// Exactly `count` digits.
    mutating func number(_ count: Int) -> Int? {
        let start = index
        var value = 0
        for _ in 0..<count {
            guard let d = digit() else {
                index = start
                return nil
            }
            value = value * 10 + d
        }
        return value
    }
}
