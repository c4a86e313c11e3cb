// Argon2id password hashing (libsodium crypto_pwhash_str) with a cap on concurrent hashes.
import CSodium
import Dispatch
public import Glibc
import Synchronization

/// Hashes and verifies passwords. At most one hash per core runs at once; the rest wait, so a
/// burst of logins queues instead of exhausting memory (each hash takes `memLimit` bytes).
public final class PasswordHasher: Sendable {
    public let opsLimit: Int
    public let memLimit: Int
    private let slots: DispatchSemaphore
    private let decoy = Mutex<String?>(nil)

    /// A hash of a random password, verified against when the account does not exist, so an
    /// unknown email takes as long as a wrong password. Made on first use (an Argon2id hash takes
    /// `memLimit` bytes for a moment: only a program that logs people in should pay for it, and
    /// herald-auth makes it at start, so the first login is not slower than the others).
    public var decoyHash: String {
        decoy.withLock { cached in
            if let cached { return cached }
            let made = (try? PasswordHasher.argon2id(Sodium.randomToken(), opsLimit: opsLimit, memLimit: memLimit)) ?? ""
            cached = made
            return made
        }
    }

    public init(opsLimit: Int, memLimit: Int, concurrency: Int = sysconf(Int32(_SC_NPROCESSORS_ONLN))) {
        self.opsLimit = max(opsLimit, Int(crypto_pwhash_opslimit_interactive()))
        self.memLimit = max(memLimit, Int(crypto_pwhash_memlimit_interactive()))
        self.slots = DispatchSemaphore(value: max(1, concurrency))
    }

    /// An encoded `$argon2id$…` string with its own salt and parameters.
    public func hash(_ password: String) throws -> String {
        slots.wait()
        defer { slots.signal() }
        return try PasswordHasher.argon2id(password, opsLimit: opsLimit, memLimit: memLimit)
    }

    private static func argon2id(_ password: String, opsLimit: Int, memLimit: Int) throws -> String {
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        var secret = Array(password.utf8)
        defer { Sodium.wipe(&secret) }
        let rc = secret.withUnsafeBufferPointer { pw in
            pw.withMemoryRebound(to: CChar.self) { chars in
                crypto_pwhash_str_alg(
                    &out, chars.baseAddress!, UInt64(chars.count), UInt64(opsLimit), memLimit,
                    crypto_pwhash_alg_argon2id13())
            }
        }
        guard rc == 0 else { throw CryptoError.hashingFailed }
        return out.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// True when `password` matches the stored hash.
    public func verify(_ password: String, against storedHash: String) -> Bool {
        var secret = Array(password.utf8)
        defer { Sodium.wipe(&secret) }
        slots.wait()
        defer { slots.signal() }
        return storedHash.withCString { hashPtr in
            secret.withUnsafeBufferPointer { pw in
                pw.withMemoryRebound(to: CChar.self) { chars in
                    crypto_pwhash_str_verify(hashPtr, chars.baseAddress!, UInt64(chars.count)) == 0
                }
            }
        }
    }

    /// True when a stored hash was made with weaker limits than the current ones.
    public func needsRehash(_ storedHash: String) -> Bool {
        storedHash.withCString { crypto_pwhash_str_needs_rehash($0, UInt64(opsLimit), memLimit) != 0 }
    }

}
