// Helpers for the vault tests: private directories, running heraldctl with a keyring, demo
// workspaces, and social accounts with sealed tokens.
import Foundation

@testable import HeraldCrypto
@testable import HeraldDatabase

enum VaultSupport {
    /// The vault tests' own database, migrated once per run: `keys rotate`, `retire` and `status` read
    /// every sealed column of the whole database, and the other suites seal values under the stack's
    /// keyring beside them (its key 1 is not these tests' key 1).
    static let databaseName = "herald_vault"
    private static let created: Result<Void, any Error> = Result {
        let admin = try TestEnvironment.connectSuperuser(database: "postgres")
        try admin.query("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        try admin.query("CREATE DATABASE \(databaseName) OWNER herald_owner")
        _ = try TestEnvironment.run(
            heraldctl, ["migrate", "up"],
            environment: ["HERALD_OWNER_DATABASE_URL": TestEnvironment.url(database: databaseName, user: "herald_owner")])
    }

    static func database() throws { try created.get() }
    static var ownerURL: String { TestEnvironment.url(database: databaseName, user: "herald_owner") }

    static func connectApp() throws -> Connection {
        try database()
        return try Connection(TestEnvironment.url(database: databaseName, user: "herald_app"))
    }

    static func connectSuperuser() throws -> Connection {
        try database()
        return try Connection(TestEnvironment.url(database: databaseName, user: "postgres"))
    }

    /// A fresh directory (mode 0700) under the test stack's temporary directory, or the system's.
    static func makeDirectory(_ tag: String) throws -> String {
        let base = TestEnvironment.isAvailable ? TestEnvironment.temporaryDirectory : NSTemporaryDirectory()
        let path = base + "/vault-\(tag)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// The heraldctl that `make test` built (HERALD_TEST_BIN), or the default debug build.
    static var heraldctl: String {
        let bin = TestEnvironment.variables["HERALD_TEST_BIN"] ?? #filePath.components(separatedBy: "/Tests/")[0] + "/.build/debug"
        return bin + "/heraldctl"
    }

    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs heraldctl with the given keyring against the test database; never throws on a non-zero exit.
    static func heraldctl(_ arguments: [String], keyring: String) throws -> Outcome {
        let process = try start(arguments, keyring: keyring)
        process.process.waitUntilExit()
        return Outcome(status: process.process.terminationStatus, output: try read(process.output), errors: try read(process.errors))
    }

    /// Starts heraldctl; its output and errors go to files (no pipe to fill up and block it).
    static func start(_ arguments: [String], keyring: String) throws -> (process: Process, output: String, errors: String) {
        let directory = (keyring as NSString).deletingLastPathComponent
        let tag = UUID().uuidString.prefix(8)
        let output = "\(directory)/heraldctl-\(tag).out"
        let errors = "\(directory)/heraldctl-\(tag).err"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: heraldctl)
        process.arguments = arguments
        var environment = TestEnvironment.variables
        environment["HERALD_KEYRING_FILE"] = keyring
        if TestEnvironment.isAvailable {
            try database()
            environment["HERALD_OWNER_DATABASE_URL"] = ownerURL
        }
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: errors)
        try process.run()
        return (process, output, errors)
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Demo workspaces (no posts) under a fresh prefix; returns their ids.
    static func makeWorkspaces(_ count: Int) throws -> [Int] {
        try database()
        let prefix = "v" + UUID().uuidString.prefix(8).lowercased().filter { $0.isLetter || $0.isNumber }
        _ = try TestEnvironment.run(
            heraldctl, ["demo", "--workspaces", String(count), "--posts", "0", "--metrics", "0", "--prefix", prefix],
            environment: ["HERALD_OWNER_DATABASE_URL": ownerURL])
        let admin = try connectSuperuser()
        return try (1...count).map { i in
            try admin.queryRow("SELECT id FROM workspaces WHERE slug = $1", [.text("\(prefix)-\(i)")])!.int(0)
        }
    }

    /// Removes the workspaces (and their accounts), so no sealed row outlives its test: `keys rotate`
    /// walks every workspace and must not meet another test's keyring.
    static func dropWorkspaces(_ ids: [Int]) {
        guard let admin = try? connectSuperuser() else { return }
        _ = try? admin.query("DELETE FROM workspaces WHERE id = ANY($1::bigint[])", [.text("{\(ids.map(String.init).joined(separator: ","))}")])
    }

    /// A social account's plaintext tokens, kept to check what the database holds.
    struct Account: Sendable {
        let id: Int
        let workspace: Int
        let access: [UInt8]
        let refresh: [UInt8]
    }

    static func field(_ column: String, _ row: Int) -> SealedField {
        SealedField(table: "social_accounts", column: column, rowID: row)
    }

    /// Inserts `count` active accounts into a workspace (as herald_app, like the programs), each with
    /// a random access and refresh token sealed under the keyring's primary key. The rows go in
    /// without tokens first because the row id is part of what each seal authenticates.
    static func insertAccounts(_ db: Connection, workspace: Int, count: Int, keyring: Keyring) throws -> [Account] {
        try db.transaction(workspace: workspace) { db in
            let tag = UUID().uuidString.prefix(8).lowercased()
            let ids = try db.query(
                """
                INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status)
                SELECT $1::bigint, 'x', $2::text || '-' || i, '@vault' || i, 'needs_reconnect'
                FROM generate_series(1, $3::int) AS i
                RETURNING id
                """, [.int(workspace), .text(String(tag)), .int(count)]
            ).rows.map { try $0.int(0) }
            var accounts: [Account] = []
            var columns = (ids: [String](), an: [String](), ac: [String](), rn: [String](), rc: [String]())
            for id in ids {
                let account = Account(
                    id: id, workspace: workspace, access: Array(Sodium.randomToken(bytes: 30).utf8),
                    refresh: Array(Sodium.randomToken(bytes: 45).utf8))
                let access = keyring.seal(account.access, for: field("access_token", id))
                let refresh = keyring.seal(account.refresh, for: field("refresh_token", id))
                columns.ids.append(String(id))
                columns.an.append(Sodium.hex(access.nonce))
                columns.ac.append(Sodium.hex(access.ciphertext))
                columns.rn.append(Sodium.hex(refresh.nonce))
                columns.rc.append(Sodium.hex(refresh.ciphertext))
                accounts.append(account)
            }
            func array(_ items: [String]) -> SQLValue { .text("{" + items.joined(separator: ",") + "}") }
            let updated = try db.query(
                """
                UPDATE social_accounts s
                SET status = 'active',
                    access_token_key_id = $2, access_token_nonce = decode(u.an, 'hex'), access_token_ciphertext = decode(u.ac, 'hex'),
                    refresh_token_key_id = $2, refresh_token_nonce = decode(u.rn, 'hex'), refresh_token_ciphertext = decode(u.rc, 'hex')
                FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, an, ac, rn, rc)
                WHERE s.workspace_id = $1 AND s.id = u.id
                """,
                [
                    .int(workspace), .int(keyring.primaryID), array(columns.ids), array(columns.an), array(columns.ac),
                    array(columns.rn), array(columns.rc),
                ]
            ).affectedRows
            guard updated == count else { throw TestFailure("sealed \(updated) of \(count) rows") }
            return accounts
        }
    }

    /// The two sealed tokens of one account as stored.
    static func sealedTokens(_ db: Connection, _ account: Account) throws -> (access: SealedValue, refresh: SealedValue)? {
        try db.transaction(workspace: account.workspace) { db in
            guard
                let row = try db.queryRow(
                    """
                    SELECT access_token_key_id, access_token_nonce, access_token_ciphertext,
                           refresh_token_key_id, refresh_token_nonce, refresh_token_ciphertext
                    FROM social_accounts WHERE workspace_id = $1 AND id = $2
                    """, [.int(account.workspace), .int(account.id)])
            else { return nil }
            return (
                SealedValue(keyID: try row.int(0), nonce: try row.bytes(1), ciphertext: try row.bytes(2)),
                SealedValue(keyID: try row.int(3), nonce: try row.bytes(4), ciphertext: try row.bytes(5))
            )
        }
    }
}
