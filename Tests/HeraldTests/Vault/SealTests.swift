import Testing

// Sealing: round trip, and every kind of tampering or misplacement fails to open.
@testable import HeraldCrypto

@Suite struct SealTests {
    /// Keys 1, 2 and 3, with 2 primary: key id 2 with its low bit flipped names key 3, which exists.
    let keyring: Keyring
    let field = SealedField(table: "social_accounts", column: "access_token", rowID: 41)
    let plaintext = Array("an OAuth access token, 40 bytes long....".utf8)

    init() throws {
        try Sodium.initialize()
        keyring = try Keyring.generate().addingKey().0.addingKey().0.promoting(2)
    }

    func expectFails(_ value: SealedValue, _ field: SealedField, _ comment: Comment) {
        do {
            _ = try keyring.open(value, for: field)
            Issue.record("opened: \(comment)")
        } catch {
            switch error {
            case .cannotOpen, .unknownKey: break
            default: Issue.record("\(comment): unexpected \(error)")
            }
        }
    }

    @Test func roundTrip() throws {
        let sealed = keyring.seal(plaintext, for: field)
        #expect(sealed.keyID == 2)
        #expect(sealed.nonce.count == 24)
        #expect(sealed.ciphertext.count == plaintext.count + 16)
        #expect(sealed.ciphertext.prefix(plaintext.count).elementsEqual(plaintext) == false)
        let opened = try keyring.open(sealed, for: field)
        #expect(opened.equals(plaintext))
        #expect(opened.string() == String(decoding: plaintext, as: UTF8.self))
        // An empty secret works too.
        #expect(try keyring.open(keyring.seal([UInt8](), for: field), for: field).count == 0)
        // Values sealed under an older key still open after a promotion.
        let newer = try keyring.addingKey().0.promoting(4)
        #expect(try newer.open(sealed, for: field).equals(plaintext))
        #expect(newer.seal(plaintext, for: field).keyID == 4)
    }

    @Test func aFlippedBitInTheNonceFails() {
        let sealed = keyring.seal(plaintext, for: field)
        for bit in 0..<(sealed.nonce.count * 8) {
            var changed = sealed
            changed.nonce[bit / 8] ^= UInt8(1 << (bit % 8))
            expectFails(changed, field, "nonce bit \(bit)")
        }
    }

    @Test func aFlippedBitInTheCiphertextFails() {
        let sealed = keyring.seal(plaintext, for: field)
        for bit in 0..<(sealed.ciphertext.count * 8) {
            var changed = sealed
            changed.ciphertext[bit / 8] ^= UInt8(1 << (bit % 8))
            expectFails(changed, field, "ciphertext bit \(bit)")
        }
    }

    @Test func aFlippedBitInTheKeyIDFails() throws {
        let sealed = keyring.seal(plaintext, for: field)
        for bit in 0..<31 {
            var changed = sealed
            changed.keyID ^= 1 << bit
            expectFails(changed, field, "key id bit \(bit)")
        }
        // Relabelled as key 3, which exists: the key id is authenticated, and key 3 is another key anyway.
        var relabelled = sealed
        relabelled.keyID = 3
        #expect(throws: VaultError.cannotOpen(field, keyID: 3)) { try keyring.open(relabelled, for: field) }
    }

    @Test func aFlippedBitInTheAssociatedDataFails() {
        let sealed = keyring.seal(plaintext, for: field)
        for bit in 0..<62 {
            expectFails(sealed, SealedField(table: field.table, column: field.column, rowID: field.rowID ^ (1 << bit)), "row id bit \(bit)")
        }
        expectFails(sealed, SealedField(table: "social_accountz", column: field.column, rowID: field.rowID), "table")
        expectFails(sealed, SealedField(table: field.table, column: "access_tokem", rowID: field.rowID), "column")
    }

    @Test func aCiphertextMovedToAnotherRowOrColumnFails() {
        let sealed = keyring.seal(plaintext, for: field)
        expectFails(sealed, SealedField(table: "social_accounts", column: "access_token", rowID: 42), "another row")
        expectFails(sealed, SealedField(table: "social_accounts", column: "refresh_token", rowID: 41), "another column")
        expectFails(sealed, SealedField(table: "webhooks", column: "access_token", rowID: 41), "another table")
    }

    @Test func anUnknownKeyIsItsOwnError() {
        var sealed = keyring.seal(plaintext, for: field)
        sealed.keyID = 9
        #expect(throws: VaultError.unknownKey(9)) { try keyring.open(sealed, for: field) }
        #expect(VaultError.unknownKey(9).description.contains("no key 9"))
    }

    @Test func malformedValuesAreRefused() {
        var sealed = keyring.seal(plaintext, for: field)
        sealed.nonce.removeLast()
        #expect(throws: VaultError.malformed(field)) { try keyring.open(sealed, for: field) }
        sealed = keyring.seal(plaintext, for: field)
        sealed.ciphertext = Array(sealed.ciphertext.prefix(15))
        #expect(throws: VaultError.malformed(field)) { try keyring.open(sealed, for: field) }
    }

    @Test func aHundredThousandSealsOfOneSecretHaveDistinctNonces() {
        var nonces = Set<[UInt8]>()
        var ciphertexts = Set<[UInt8]>()
        nonces.reserveCapacity(100_000)
        ciphertexts.reserveCapacity(100_000)
        for _ in 0..<100_000 {
            let sealed = keyring.seal(plaintext, for: field)
            nonces.insert(sealed.nonce)
            ciphertexts.insert(sealed.ciphertext)
        }
        #expect(nonces.count == 100_000)
        #expect(ciphertexts.count == 100_000)
    }
}
