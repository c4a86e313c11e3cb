// libsodium primitives Herald uses: random tokens, hashing, constant-time comparison, encodings.
import CSodium

public enum Sodium {
    /// Initialises libsodium; call once at process start. Fails only if no entropy source exists.
    public static func initialize() throws {
        guard sodium_init() >= 0 else { throw CryptoError.initializationFailed }
    }

    /// `count` cryptographically random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return bytes
    }

    /// A random token of `bytes` bytes, base64url-encoded without padding (32 bytes → 43 characters).
    public static func randomToken(bytes: Int = 32) -> String { base64URLEncode(randomBytes(bytes)) }

    /// SHA-256 of the input.
    public static func sha256(_ input: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        input.withUnsafeBufferPointer { inp in
            _ = crypto_hash_sha256(&out, inp.baseAddress, UInt64(inp.count))
        }
        return out
    }

    public static func sha256(_ text: String) -> [UInt8] { sha256(Array(text.utf8)) }

    /// Keyed BLAKE2b (libsodium's generic hash), 32-byte output. The key must be 16–64 bytes.
    public static func keyedHash(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        message.withUnsafeBufferPointer { msg in
            key.withUnsafeBufferPointer { k in
                _ = crypto_generichash(&out, 32, msg.baseAddress, UInt64(msg.count), k.baseAddress, k.count)
            }
        }
        return out
    }

    /// Compares two byte strings in time that depends only on their length.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in sodium_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 } }
    }

    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    /// Overwrites a buffer with zeros in a way the compiler will not optimise away.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }

    public static func base64URLEncode(_ bytes: [UInt8]) -> String {
        let variant = Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING)
        let length = sodium_base64_encoded_len(bytes.count, variant)
        var out = [CChar](repeating: 0, count: length)
        bytes.withUnsafeBufferPointer { inp in
            _ = sodium_bin2base64(&out, length, inp.baseAddress, inp.count, variant)
        }
        return out.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Decodes base64url without padding; nil for anything else.
    public static func base64URLDecode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        var out = [UInt8](repeating: 0, count: input.count * 3 / 4 + 3)
        var written = 0
        let rc = input.withUnsafeBufferPointer { inp in
            inp.withMemoryRebound(to: CChar.self) { chars in
                sodium_base642bin(
                    &out, out.count, chars.baseAddress, chars.count, nil, &written, nil,
                    Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING))
            }
        }
        guard rc == 0 else { return nil }
        return Array(out[0..<written])
    }

    /// Lower-case hexadecimal.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public enum CryptoError: Error, CustomStringConvertible {
    case initializationFailed
    case hashingFailed

    public var description: String {
        switch self {
        case .initializationFailed: return "libsodium could not be initialised"
        case .hashingFailed: return "password hashing failed (out of memory?)"
        }
    }
}
