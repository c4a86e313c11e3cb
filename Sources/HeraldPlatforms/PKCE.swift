// Proof Key for Code Exchange (RFC 7636) with the S256 method, and the OAuth `state`.
import HeraldCrypto

public enum PKCE {
    /// A fresh code verifier: 32 random bytes, base64url without padding (43 characters, within 43–128).
    public static func verifier() -> String { Sodium.randomToken(bytes: 32) }

    /// BASE64URL(SHA256(ASCII(verifier))), the `code_challenge` for `code_challenge_method=S256`.
    public static func challenge(for verifier: String) -> String { Sodium.base64URLEncode(Sodium.sha256(verifier)) }

    /// A fresh `state`: 256 random bits. Only its SHA-256 is stored.
    public static func state() -> String { Sodium.randomToken(bytes: 32) }

    /// What the database keeps of a state.
    public static func stateHash(_ state: String) -> [UInt8] { Sodium.sha256(state) }
}
