import CSodium
import Testing

@testable import HeraldCrypto
// libsodium wrappers: tokens, hashes, encodings, constant-time comparison, Argon2id.
@testable import herald_auth

@Suite struct CryptoTests {
    init() throws { try Sodium.initialize() }

    @Test func sha256MatchesKnownVector() {
        #expect(Sodium.hex(Sodium.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Sodium.hex(Sodium.sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func randomTokensAre256BitsAndDistinct() {
        let tokens = (0..<1000).map { _ in Sodium.randomToken() }
        #expect(Set(tokens).count == 1000)
        for token in tokens.prefix(10) {
            #expect(token.utf8.count == 43)
            #expect(Sodium.base64URLDecode(token)?.count == 32)
        }
    }

    @Test func base64URLRoundTripAndRejectsGarbage() {
        for length in 0..<40 {
            let bytes = Sodium.randomBytes(length)
            #expect(Sodium.base64URLDecode(Sodium.base64URLEncode(bytes)) == bytes)
        }
        #expect(Sodium.base64URLEncode([0xfb, 0xff]) == "-_8")
        #expect(Sodium.base64URLDecode("not base64!") == nil)
        #expect(Sodium.base64URLDecode("ab+/") == nil)
    }

    @Test func constantTimeEquals() {
        #expect(Sodium.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Sodium.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Sodium.constantTimeEquals([1, 2], [1, 2, 3]))
        #expect(Sodium.constantTimeEquals("token", "token"))
        #expect(!Sodium.constantTimeEquals("token", "Token"))
    }

    @Test func keyedHashDependsOnKeyAndMessage() {
        let k1 = Sodium.randomBytes(32)
        let k2 = Sodium.randomBytes(32)
        let m = Array("message".utf8)
        #expect(Sodium.keyedHash(key: k1, message: m) == Sodium.keyedHash(key: k1, message: m))
        #expect(Sodium.keyedHash(key: k1, message: m) != Sodium.keyedHash(key: k2, message: m))
        #expect(Sodium.keyedHash(key: k1, message: m) != Sodium.keyedHash(key: k1, message: Array("other".utf8)))
    }

    @Test func wipeZeroesTheBuffer() {
        var secret = Sodium.randomBytes(64)
        secret[0] = 1
        Sodium.wipe(&secret)
        #expect(secret == [UInt8](repeating: 0, count: 64))
    }

    @Test func argon2idHashVerifiesAndCarriesItsParameters() throws {
        let hasher = PasswordHasher(opsLimit: 0, memLimit: 0)
        let hash = try hasher.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$argon2id$"))
        #expect(hash.contains("m=65536"), "at least libsodium's INTERACTIVE memory limit")
        #expect(hasher.verify("correct horse battery staple", against: hash))
        #expect(!hasher.verify("correct horse battery stapler", against: hash))
        #expect(!hasher.verify("", against: hash))
        #expect(!hasher.verify("x", against: "not a hash"))
        #expect(try hasher.hash("same") != hasher.hash("same"), "each hash has its own salt")
    }

    @Test func rehashIsNeededOnlyWhenLimitsRise() throws {
        let interactive = PasswordHasher(opsLimit: 0, memLimit: 0)
        let hash = try interactive.hash("password one two")
        #expect(!interactive.needsRehash(hash))
        let stronger = PasswordHasher(opsLimit: Int(crypto_pwhash_opslimit_interactive()) + 1, memLimit: 0)
        #expect(stronger.needsRehash(hash))
        #expect(stronger.verify("password one two", against: hash), "old hashes still verify")
    }

    @Test func decoyHashIsARealArgon2idHash() {
        let hasher = PasswordHasher(opsLimit: 0, memLimit: 0)
        #expect(hasher.decoyHash.hasPrefix("$argon2id$"))
        #expect(!hasher.verify("", against: hasher.decoyHash))
    }
}

@Suite struct PasswordPolicyTests {
    @Test func lengthLimits() {
        #expect(PasswordPolicy.problem(with: "short") != nil)
        #expect(PasswordPolicy.problem(with: "seven77") != nil)
        #expect(PasswordPolicy.problem(with: "eight8!x") == nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "x", count: 129)) != nil)
        #expect(PasswordPolicy.problem(with: "zq" + String(repeating: "x", count: 126)) == nil)
    }

    @Test func countsCharactersNotBytes() {
        #expect(PasswordPolicy.problem(with: "ééééééé") != nil, "7 characters")
        #expect(PasswordPolicy.problem(with: "éééééééé") == nil, "8 characters, 16 bytes")
    }

    @Test(arguments: ["password", "PASSWORD", "12345678", "qwertyuiop", "iloveyou", "letmein1", "baseball"])
    func rejectsCommonPasswords(_ password: String) {
        #expect(PasswordPolicy.problem(with: password)?.contains("common") == true)
    }

    /// The 10,000 most common passwords, less those shorter than the minimum length, which the
    /// length rule refuses first (3,395 of them are 8 characters or longer).
    @Test func listKeepsTheCommonPasswordsOfEightCharactersOrMore() {
        #expect(PasswordPolicy.common.count == 3_395)
        #expect(PasswordPolicy.common.allSatisfy { $0.count >= PasswordPolicy.minimumLength })
    }

    @Test func noCompositionRules() {
        #expect(PasswordPolicy.problem(with: "all lowercase words here") == nil)
        #expect(PasswordPolicy.problem(with: "🦆🦆🦆🦆🦆🦆🦆🦆") == nil)
    }

    @Test func passwordMustNotBeTheEmail() {
        #expect(PasswordPolicy.problem(with: "Ann@Example.com", email: "ann@example.com") != nil)
    }
}
