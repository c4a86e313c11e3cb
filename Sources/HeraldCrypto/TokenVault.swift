// Sealing secrets for the database (XChaCha20-Poly1305 with associated data naming the row and
// column), and the vault that keeps a program's keyring current without a restart.
import CSodium
import HeraldSupport
import Synchronization

/// A sealed secret as stored: key id, 24-byte random nonce, ciphertext with its 16-byte tag.
public struct SealedValue: Sendable, Equatable {
    public var keyID: Int
    public var nonce: [UInt8]
    public var ciphertext: [UInt8]

    public init(keyID: Int, nonce: [UInt8], ciphertext: [UInt8]) {
        self.keyID = keyID
        self.nonce = nonce
        self.ciphertext = ciphertext
    }
}

/// Where a sealed value lives. It is authenticated with the value, so a ciphertext copied to
/// another row, column or table, or relabelled with another key id, fails to open.
public struct SealedField: Sendable, Equatable {
    public var table: String
    public var column: String
    public var rowID: Int

    /// `table` and `column` are identifiers (lower-case letters, digits, `_`).
    public init(table: String, column: String, rowID: Int) {
        precondition(SealedField.isIdentifier(table) && SealedField.isIdentifier(column), "not an identifier")
        self.table = table
        self.column = column
        self.rowID = rowID
    }

    /// `herald:v1:<table>.<column>:<row id>:<key id>`; unambiguous because identifiers hold no `.` or `:`.
    public func associatedData(keyID: Int) -> [UInt8] { Array("herald:v1:\(table).\(column):\(rowID):\(keyID)".utf8) }

    private static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
    }
}

/// Why a sealed value could not be opened. Each concerns one value: show its owner (an account)
/// as needing attention and carry on; none of them is a reason to stop the program.
public enum VaultError: Error, CustomStringConvertible, Equatable {
    /// The keyring file cannot be used (missing, loose permissions, malformed).
    case keyringUnavailable(String)
    /// The value names a key this keyring does not have (retired, or from another keyring).
    case unknownKey(Int)
    /// Authentication failed: the value was altered, or belongs to another row, column or key id.
    case cannotOpen(SealedField, keyID: Int)
    /// The nonce or ciphertext has an impossible length.
    case malformed(SealedField)

    public var description: String {
        switch self {
        case .keyringUnavailable(let why): return "the keyring cannot be used: \(why)"
        case .unknownKey(let id): return "the keyring has no key \(id) (retired, or this program has another keyring)"
        case .cannotOpen(let field, let keyID):
            return
                "the sealed \(field.table).\(field.column) of row \(field.rowID) does not open with key \(keyID): altered, or copied from elsewhere"
        case .malformed(let field): return "the sealed \(field.table).\(field.column) of row \(field.rowID) has a malformed nonce or ciphertext"
        }
    }
}

extension Keyring {
    static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_npubbytes())
    static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_abytes())

    /// Seals with the primary key and a fresh random nonce.
    public func seal(_ plaintext: UnsafeRawBufferPointer, for field: SealedField) -> SealedValue {
        let keyID = primaryID
        let key = self.key(keyID)!
        let ad = field.associatedData(keyID: keyID)
        var nonce = [UInt8](repeating: 0, count: Keyring.nonceBytes)
        nonce.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + Keyring.tagBytes)
        var length: UInt64 = 0
        key.withUnsafeBytes { k in
            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                &ciphertext, &length, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                ad, UInt64(ad.count), nil, nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return SealedValue(keyID: keyID, nonce: nonce, ciphertext: ciphertext)
    }

    public func seal(_ plaintext: [UInt8], for field: SealedField) -> SealedValue {
        plaintext.withUnsafeBytes { seal($0, for: field) }
    }

    /// Seals a String's UTF-8 (the String itself cannot be wiped; prefer bytes where there is a choice).
    public func seal(_ plaintext: String, for field: SealedField) -> SealedValue {
        var bytes = Array(plaintext.utf8)
        defer { Sodium.wipe(&bytes) }
        return seal(bytes, for: field)
    }

    public func seal(_ plaintext: SecretBytes, for field: SealedField) -> SealedValue {
        plaintext.withUnsafeBytes { seal($0, for: field) }
    }

    /// Opens with the key the value names. The plaintext comes back in locked memory wiped when
    /// the returned buffer is dropped.
    public func open(_ value: SealedValue, for field: SealedField) throws(VaultError) -> SecretBytes {
        guard let key = self.key(value.keyID) else { throw .unknownKey(value.keyID) }
        guard value.nonce.count == Keyring.nonceBytes, value.ciphertext.count >= Keyring.tagBytes else { throw .malformed(field) }
        let ad = field.associatedData(keyID: value.keyID)
        let plaintext = SecretBytes(count: value.ciphertext.count - Keyring.tagBytes)
        var length: UInt64 = 0
        let rc = plaintext.initialize { out in
            key.withUnsafeBytes { k in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, nil, value.ciphertext, UInt64(value.ciphertext.count),
                    ad, UInt64(ad.count), value.nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard rc == 0 else { throw .cannotOpen(field, keyID: value.keyID) }
        return plaintext
    }
}

/// A program's keyring, loaded on first use (programs that never seal need no keyring file) and
/// re-read when the file changed: checked at most every `checkInterval` seconds on use, and at
/// once on `reload()` (SIGHUP). A keyring that fails to reload is logged and the previous one kept.
public final class TokenVault: Sendable {
    private struct State {
        var keyring: Keyring?
        var stamp: FileStamp?
        /// When the file was last looked at; nil forces a look at the next use.
        var checkedAt: UInt64?
    }

    public let path: String
    private let checkIntervalNanos: UInt64
    private let state: Mutex<State>

    /// How often programs look at the keyring file at most; `heraldctl keys` waits a little longer
    /// than this after a change before relying on every program having it.
    public static let defaultCheckInterval = 5.0

    public init(path: String, checkInterval: Double = TokenVault.defaultCheckInterval) {
        self.path = path
        checkIntervalNanos = UInt64(max(0, checkInterval) * 1e9)
        state = Mutex(State())
    }

    /// The current keyring, re-read if the file changed since the last check.
    public func keyring() throws(VaultError) -> Keyring {
        try state.withLock { (s: inout State) throws(VaultError) -> Keyring in
            let now = Clock.monotonicNanos()
            if let current = s.keyring, let checkedAt = s.checkedAt, now &- checkedAt < checkIntervalNanos { return current }
            s.checkedAt = now
            if let current = s.keyring, let stamp = FileStamp.of(path), stamp == s.stamp { return current }
            do {
                let (loaded, stamp) = try Keyring.loadWithStamp(path: path)
                if s.keyring != nil {
                    Log.info(
                        "keyring reloaded",
                        [
                            "file": path, "primary": String(loaded.primaryID),
                            "keys": loaded.entries.filter { $0.status != .retired }.map { String($0.id) }.joined(separator: ","),
                        ])
                }
                s.keyring = loaded
                s.stamp = stamp
                return loaded
            } catch {
                if let current = s.keyring {
                    Log.error("cannot reload the keyring; keeping the keys loaded before", ["error": String(describing: error)])
                    return current
                }
                throw .keyringUnavailable(String(describing: error))
            }
        }
    }

    /// Re-reads the keyring now if one was loaded (SIGHUP); otherwise it loads on first use.
    public func reload() {
        let loaded = state.withLock { (s: inout State) -> Bool in
            s.stamp = nil
            s.checkedAt = nil
            return s.keyring != nil
        }
        if loaded { _ = try? keyring() }
    }

    /// Seals with the current primary key.
    public func seal(_ plaintext: [UInt8], for field: SealedField) throws(VaultError) -> SealedValue {
        try keyring().seal(plaintext, for: field)
    }

    /// Opens with the key the value names; see `Keyring.open`.
    public func open(_ value: SealedValue, for field: SealedField) throws(VaultError) -> SecretBytes {
        try keyring().open(value, for: field)
    }
}
