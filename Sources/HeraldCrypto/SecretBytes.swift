// Secret bytes (keys, opened tokens) wiped with sodium_memzero when dropped.
import CSodium
import Glibc

/// A fixed-size buffer for secrets, overwritten with `sodium_memzero` in `deinit`. Long-lived
/// keys are `locked`: `sodium_malloc` memory (guard pages, kept out of swap and core dumps);
/// short-lived plaintexts use plain `malloc`, since `sodium_malloc` costs several system calls
/// and pages per buffer. Immutable once filled, so it can be shared between threads.
public final class SecretBytes: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    private let locked: Bool
    /// Number of bytes.
    public let count: Int

    /// `count` zero bytes, to be filled through `initialize`.
    init(count: Int, locked: Bool = false) {
        // Keep at least one byte: sodium_malloc(0) and malloc(0) may return NULL.
        guard let raw = locked ? sodium_malloc(max(1, count)) : malloc(max(1, count)) else { fatalError("out of memory for a secret buffer") }
        sodium_memzero(raw, max(1, count))
        base = raw
        self.locked = locked
        self.count = count
    }

    /// Copies the bytes of `source`. The caller wipes its own copy.
    public convenience init(copying source: [UInt8]) {
        self.init(count: source.count)
        source.withUnsafeBytes { if let from = $0.baseAddress { base.copyMemory(from: from, byteCount: source.count) } }
    }

    /// `count` random bytes in locked memory (a fresh key).
    public static func random(count: Int) -> SecretBytes {
        let secret = SecretBytes(count: count, locked: true)
        randombytes_buf(secret.base, count)
        return secret
    }

    deinit {
        sodium_memzero(base, max(1, count))
        if locked { sodium_free(base) } else { free(base) }
    }

    /// Fills the buffer once, right after allocation; only the core module writes secrets.
    func initialize<T>(_ body: (UnsafeMutableRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// Read access without copying; the pointer must not escape `body`.
    public func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy as an array, which the caller should wipe (`Sodium.wipe`) when done.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes as UTF-8 text (nil if invalid). The String is an ordinary copy that cannot be
    /// wiped: take it only where a String is required (an HTTP header), as late as possible.
    public func string() -> String? { withUnsafeBytes { String(validating: $0, as: UTF8.self) } }

    /// Constant-time comparison with plain bytes.
    public func equals(_ other: [UInt8]) -> Bool {
        guard other.count == count else { return false }
        if count == 0 { return true }
        return other.withUnsafeBytes { sodium_memcmp($0.baseAddress, base, count) == 0 }
    }
}
