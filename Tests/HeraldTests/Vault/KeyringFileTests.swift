// The keyring file: its format, owner-only permissions, the rules of promote and retire, and the
// vault re-reading a changed file without a restart.
import Foundation
import Testing

@testable import HeraldCrypto

@Suite struct KeyringFileTests {
    init() throws { try Sodium.initialize() }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    @Test func createWritesMode0600AndReadsBack() throws {
        let path = try VaultSupport.makeDirectory("create") + "/keyring"
        let created = try Keyring.create(path: path)
        #expect(try mode(path) == 0o600)
        let loaded = try Keyring.load(path: path)
        #expect(loaded.primaryID == 1)
        let sealed = created.seal(Array("secret".utf8), for: VaultSupport.field("access_token", 7))
        #expect(try loaded.open(sealed, for: VaultSupport.field("access_token", 7)).string() == "secret")
        #expect(throws: KeyringError.self) { try Keyring.create(path: path) }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o620, 0o660, 0o606])
    func aKeyringOthersMayReadOrWriteIsRefused(_ loose: Int) throws {
        let path = try VaultSupport.makeDirectory("loose") + "/keyring"
        _ = try Keyring.create(path: path)
        chmod(path, mode_t(loose))
        do {
            _ = try Keyring.load(path: path)
            Issue.record("mode \(String(loose, radix: 8)) accepted")
        } catch let error as KeyringError {
            #expect(error.description.contains(path), "names the file: \(error)")
            #expect(error.description.contains("chmod 600 \(path)"), "says how to fix it: \(error)")
            #expect(error.description.contains("0\(String(loose, radix: 8))"), "shows the mode: \(error)")
        }
        // A program's vault says the same, as an error for the value it was asked to seal.
        #expect {
            _ = try TokenVault(path: path).seal([1], for: VaultSupport.field("access_token", 1))
        } throws: { error in
            guard case .keyringUnavailable(let why) = error as? VaultError else { return false }
            return why.contains("chmod 600")
        }
        chmod(path, 0o400)
        #expect(try Keyring.load(path: path).primaryID == 1, "read-only for the owner is fine")
    }

    @Test(.enabled(if: TestEnvironment.isAvailable, "needs the heraldctl that `make test` built"))
    func heraldctlRefusesALooseKeyringToo() throws {
        let path = try VaultSupport.makeDirectory("loosectl") + "/keyring"
        _ = try Keyring.create(path: path)
        chmod(path, 0o644)
        let result = try VaultSupport.heraldctl(["keys", "status"], keyring: path)
        #expect(result.status != 0)
        #expect(result.errors.contains("chmod 600 \(path)"), "\(result.errors)")
    }

    @Test func aMissingKeyringSaysHowToCreateOne() throws {
        let path = try VaultSupport.makeDirectory("missing") + "/keyring"
        #expect(throws: KeyringError.self) { try Keyring.load(path: path) }
        do {
            _ = try TokenVault(path: path).keyring()
        } catch {
            #expect(error.description.contains("heraldctl keys init"))
        }
    }

    @Test func theFormatRoundTripsAndBadFilesAreRefusedWithoutEchoingKeys() throws {
        let keyring = try Keyring.generate().addingKey().0.addingKey().0.promoting(3).retiring(1)
        var text = keyring.serialized()
        defer { Sodium.wipe(&text) }
        let parsed = try text.withUnsafeBytes { try Keyring.parse($0, path: "k") }
        #expect(parsed.entries.map(\.id) == [1, 2, 3])
        #expect(parsed.entries.map(\.status) == [.retired, .active, .primary])
        #expect(String(decoding: text, as: UTF8.self).contains("\n1 retired -\n"))

        let key = "zQRM2TTcE9XoK_lno4AvCvaQISe42hEDqLEOJ0vI77w"
        let bad: [(String, String)] = [
            ("1 primary \(key)\n2 primary \(key)\n", "exactly one primary"),
            ("1 active \(key)\n", "exactly one primary"),
            ("1 primary \(key)\n1 active \(key)\n", "key id twice"),
            ("1 primary \(key)x\n", "line 1: the key must be 32 bytes"),
            ("# comment\n\n1 primary \(key.dropLast(2))\n", "line 3: the key must be 32 bytes"),
            ("1 sparkling \(key)\n", "line 1: the status"),
            ("0 primary \(key)\n", "line 1: the key id"),
            ("2147483648 primary \(key)\n", "line 1: the key id"),
            ("1 primary\n", "line 1: expected three fields"),
            ("1 retired \(key)\n2 primary \(key)\n", "line 1: a retired key"),
        ]
        for (file, expected) in bad {
            do {
                _ = try Array(file.utf8).withUnsafeBytes { try Keyring.parse($0, path: "/etc/herald/keyring") }
                Issue.record("accepted: \(file)")
            } catch let error as KeyringError {
                #expect(error.description.contains(expected), "\(error)")
                #expect(error.description.contains("/etc/herald/keyring"))
                #expect(!error.description.contains(key.prefix(12)), "never echoes key material")
            }
        }
    }

    @Test func promoteAndRetireKeepTheRules() throws {
        let (two, id) = Keyring.generate().addingKey()
        #expect(id == 2)
        #expect(two.primaryID == 1)
        #expect(throws: KeyringError.self) { try two.retiring(1) }  // the primary
        #expect(throws: KeyringError.self) { try two.promoting(1) }  // already primary
        #expect(throws: KeyringError.self) { try two.promoting(7) }  // unknown
        let promoted = try two.promoting(2)
        #expect(promoted.primaryID == 2)
        #expect(promoted.status(of: 1) == .active, "the old primary still opens its rows")
        let retired = try promoted.retiring(1)
        #expect(retired.status(of: 1) == .retired)
        #expect(throws: KeyringError.self) { try retired.promoting(1) }
        #expect(throws: KeyringError.self) { try retired.retiring(1) }
        #expect(retired.addingKey().1 == 3, "ids are never reused")
    }

    @Test func theVaultPicksUpAChangedKeyringWithoutARestart() throws {
        let path = try VaultSupport.makeDirectory("reload") + "/keyring"
        _ = try Keyring.create(path: path)
        let eager = TokenVault(path: path, checkInterval: 0)
        let lazy = TokenVault(path: path, checkInterval: 3600)
        let field = VaultSupport.field("refresh_token", 3)
        let old = try eager.seal(Array("before".utf8), for: field)
        #expect(old.keyID == 1)
        #expect(try lazy.seal([1], for: field).keyID == 1)

        _ = try Keyring.update(path: path) { ($0.addingKey().0, ()) }
        _ = try Keyring.update(path: path) { (try $0.promoting(2), ()) }
        #expect(try eager.seal([1], for: field).keyID == 2, "checked on use")
        #expect(try lazy.seal([1], for: field).keyID == 1, "not checked again yet")
        lazy.reload()  // what SIGHUP does
        #expect(try lazy.seal([1], for: field).keyID == 2)
        #expect(try lazy.open(old, for: field).string() == "before")

        // A keyring that turns bad is reported and the loaded keys kept; a fresh vault refuses it.
        chmod(path, 0o644)
        _ = try? Keyring.update(path: path) { ($0.addingKey().0, ()) }
        lazy.reload()
        #expect(try eager.seal([1], for: field).keyID == 2)
        #expect(throws: VaultError.self) { try TokenVault(path: path).keyring() }
    }

    @Test func aVaultWithoutAKeyringFileStillStartsAndFailsOnlyWhenUsed() throws {
        let path = try VaultSupport.makeDirectory("lazy") + "/no-such-keyring"
        let vault = TokenVault(path: path)
        vault.reload()  // SIGHUP before any use: nothing to do
        #expect(throws: VaultError.self) { try vault.seal([1], for: VaultSupport.field("access_token", 1)) }
    }
}
