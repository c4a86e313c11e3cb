// The keyring: versioned 256-bit keys, one primary, and its text format (parsed without copying
// key material into Strings).
import CSodium

/// What a key may do. `primary` seals new values (exactly one key is primary); `active` only
/// opens; `retired` keeps its id (ids are never reused) but the key itself has been destroyed.
public enum KeyStatus: String, Sendable {
    case primary, active, retired
}

/// A keyring that cannot be read, parsed or changed as asked; the message never holds key material.
public struct KeyringError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// An immutable set of keys. Changes (`adding`, `promoting`, `retiring`) return a new keyring.
public final class Keyring: Sendable {
    /// One line of the keyring file.
    public struct Entry: Sendable {
        public let id: Int
        public let status: KeyStatus
        /// The key; nil once retired.
        let key: SecretBytes?
    }

    /// 256-bit keys (XChaCha20-Poly1305).
    public static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_keybytes())

    /// Every key, by ascending id.
    public let entries: [Entry]

    init(entries: [Entry]) throws {
        let sorted = entries.sorted { $0.id < $1.id }
        guard sorted.filter({ $0.status == .primary }).count == 1 else { throw KeyringError("the keyring must have exactly one primary key") }
        guard Set(sorted.map(\.id)).count == sorted.count else { throw KeyringError("the keyring has a key id twice") }
        self.entries = sorted
    }

    /// The id of the key that seals new values.
    public var primaryID: Int { entries.first { $0.status == .primary }!.id }

    /// The key with this id, nil if unknown or retired.
    func key(_ id: Int) -> SecretBytes? { entries.first { $0.id == id }?.key }

    public func status(of id: Int) -> KeyStatus? { entries.first { $0.id == id }?.status }

    /// A new keyring with one fresh key, id 1, primary.
    public static func generate() -> Keyring {
        try! Keyring(entries: [Entry(id: 1, status: .primary, key: .random(count: keyBytes))])
    }

    /// This keyring plus a fresh active key under the next id; returns it and the id.
    public func addingKey() -> (Keyring, Int) {
        let id = (entries.map(\.id).max() ?? 0) + 1
        return (try! Keyring(entries: entries + [Entry(id: id, status: .active, key: .random(count: Keyring.keyBytes))]), id)
    }

    /// Makes an active key primary; the old primary stays active so it still opens its rows.
    public func promoting(_ id: Int) throws -> Keyring {
        switch status(of: id) {
        case nil: throw KeyringError("the keyring has no key \(id)")
        case .retired: throw KeyringError("key \(id) is retired: it no longer exists")
        case .primary: throw KeyringError("key \(id) is already the primary key")
        case .active:
            return try Keyring(
                entries: entries.map { entry in
                    let status: KeyStatus = entry.id == id ? .primary : entry.status == .primary ? .active : entry.status
                    return Entry(id: entry.id, status: status, key: entry.key)
                })
        }
    }

    /// Destroys an active key, keeping its id as retired. The caller checks no row still uses it.
    public func retiring(_ id: Int) throws -> Keyring {
        switch status(of: id) {
        case nil: throw KeyringError("the keyring has no key \(id)")
        case .retired: throw KeyringError("key \(id) is already retired")
        case .primary: throw KeyringError("key \(id) is the primary key: promote another key first")
        case .active:
            return try Keyring(entries: entries.map { $0.id == id ? Entry(id: id, status: .retired, key: nil) : $0 })
        }
    }

    // MARK: Text format

    static let header = """
        # Herald keyring (HERALD_KEYRING_FILE). Secret: mode 0600; keys never go in the database or logs.
        # Change it with `heraldctl keys add | promote | retire`, not by hand.
        # One key per line: id, status (primary seals new values; active only opens; retired: destroyed),
        # 256-bit key in base64url without padding ("-" once retired).

        """

    /// Parses the file's bytes. Errors name the file and line, never the line's content.
    static func parse(_ text: UnsafeRawBufferPointer, path: String) throws -> Keyring {
        var entries: [Entry] = []
        var lineNumber = 0
        var start = 0
        while start < text.count {
            lineNumber += 1
            var end = start
            while end < text.count && text[end] != UInt8(ascii: "\n") { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: text[start..<end])
            start = end + 1
            let fields = splitFields(line)
            if fields.isEmpty || line[fields[0].lowerBound] == UInt8(ascii: "#") { continue }
            func fail(_ what: String) -> KeyringError { KeyringError("\(path), line \(lineNumber): \(what)") }
            guard fields.count == 3 else { throw fail("expected three fields: id, status, key") }
            guard let id = parseID(UnsafeRawBufferPointer(rebasing: line[fields[0]])) else {
                throw fail("the key id must be a whole number from 1 to 2147483647")
            }
            guard let status = KeyStatus(rawValue: String(decoding: line[fields[1]], as: UTF8.self)) else {
                throw fail("the status must be primary, active or retired")
            }
            let keyField = UnsafeRawBufferPointer(rebasing: line[fields[2]])
            if status == .retired {
                guard keyField.count == 1 && keyField[0] == UInt8(ascii: "-") else { throw fail("a retired key is written as \"-\"") }
                entries.append(Entry(id: id, status: status, key: nil))
            } else {
                guard let key = decodeKey(keyField) else { throw fail("the key must be \(keyBytes) bytes in base64url without padding") }
                entries.append(Entry(id: id, status: status, key: key))
            }
        }
        do {
            return try Keyring(entries: entries)
        } catch let error as KeyringError {
            throw KeyringError("\(path): \(error.description)")
        }
    }

    /// The file's bytes; the caller wipes them once written.
    func serialized() -> [UInt8] {
        let encodedLength = sodium_base64_encoded_len(Keyring.keyBytes, Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        var out = [UInt8]()
        // Room for everything up front, so the array never reallocates and leaves key copies behind.
        out.reserveCapacity(Keyring.header.utf8.count + entries.count * (encodedLength + 32))
        out.append(contentsOf: Keyring.header.utf8)
        for entry in entries {
            out.append(contentsOf: "\(entry.id) \(entry.status.rawValue) ".utf8)
            if let key = entry.key {
                let at = out.count
                out.append(contentsOf: repeatElement(0, count: encodedLength))
                out.withUnsafeMutableBytes { buffer in
                    key.withUnsafeBytes { raw in
                        _ = sodium_bin2base64(
                            (buffer.baseAddress! + at).assumingMemoryBound(to: CChar.self), encodedLength,
                            raw.baseAddress!.assumingMemoryBound(to: UInt8.self), raw.count,
                            Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING))
                    }
                }
                out.removeLast()  // the terminating NUL
            } else {
                out.append(UInt8(ascii: "-"))
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    private static func splitFields(_ line: UnsafeRawBufferPointer) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") }
        while i < line.count {
            while i < line.count && isSpace(line[i]) { i += 1 }
            let begin = i
            while i < line.count && !isSpace(line[i]) { i += 1 }
            if i > begin { fields.append(begin..<i) }
        }
        return fields
    }

    private static func parseID(_ digits: UnsafeRawBufferPointer) -> Int? {
        guard (1...10).contains(digits.count), digits[0] != UInt8(ascii: "0") else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= Int(Int32.max) ? value : nil
    }

    /// Decodes straight into locked memory.
    private static func decodeKey(_ text: UnsafeRawBufferPointer) -> SecretBytes? {
        let key = SecretBytes(count: keyBytes, locked: true)
        var written = 0
        let rc = key.initialize { out in
            sodium_base642bin(
                out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count,
                text.baseAddress!.assumingMemoryBound(to: CChar.self), text.count, nil, &written, nil,
                Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        }
        return rc == 0 && written == keyBytes ? key : nil
    }
}
