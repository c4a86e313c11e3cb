// heraldctl keys demo-tokens: connected demo accounts with sealed (random) tokens, spread over the
// existing workspaces, to try or benchmark `keys rotate`.
import ArgumentParser
import HeraldCrypto
import HeraldDatabase

extension Keys {
    struct DemoTokens: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo-tokens",
            abstract: "Add demo Mastodon accounts with random tokens sealed under the primary key (run `heraldctl demo` first).")
        @Option(help: "How many accounts (each with an access and a refresh token).") var count: Int = 100_000
        @Option(help: "Accounts per transaction.") var batch: Int = 1000

        func validate() throws {
            guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be from 1 to 10000000") }
            guard (1...100_000).contains(batch) else { throw ValidationError("--batch must be from 1 to 100000") }
        }

        func run() throws {
            let config = try Setup.config()
            let keyring = try Keyring.load(path: config.keyringFile)
            let db = try Setup.ownerConnection(config)
            let workspaces = try KeyUsage.workspaceIDs(db)
            guard !workspaces.isEmpty else { throw ValidationError("there is no workspace: run `heraldctl demo` first") }
            let run = Sodium.hex(Sodium.randomBytes(4))
            let progress = Progress("sealing demo tokens under key \(keyring.primaryID)", total: count)
            var made = 0
            while made < count {
                let workspace = workspaces[(made / batch) % workspaces.count]
                let size = min(batch, count - made)
                try db.transaction(workspace: workspace) { db in
                    // Inserted without tokens first: the row id is part of what each seal authenticates.
                    let ids = try db.query(
                        """
                        INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status)
                        SELECT $1::bigint, 'mastodon', 'demo-' || $2::text || '-' || i, '@demo' || i || '@social.example', 'needs_reconnect'
                        FROM generate_series($3::int, $4::int) AS i
                        RETURNING id
                        """, [.int(workspace), .text(run), .int(made + 1), .int(made + size)]
                    ).rows.map { try $0.int(0) }
                    var columns = (ids: [String](), an: [String](), ac: [String](), rn: [String](), rc: [String]())
                    for id in ids {
                        var token = Sodium.randomBytes(48)
                        let access = keyring.seal(token, for: SealedField(table: "social_accounts", column: "access_token", rowID: id))
                        Sodium.wipe(&token)
                        token = Sodium.randomBytes(48)
                        let refresh = keyring.seal(token, for: SealedField(table: "social_accounts", column: "refresh_token", rowID: id))
                        Sodium.wipe(&token)
                        columns.ids.append(String(id))
                        columns.an.append(Sodium.hex(access.nonce))
                        columns.ac.append(Sodium.hex(access.ciphertext))
                        columns.rn.append(Sodium.hex(refresh.nonce))
                        columns.rc.append(Sodium.hex(refresh.ciphertext))
                    }
                    func array(_ items: [String]) -> SQLValue { .text("{" + items.joined(separator: ",") + "}") }
                    try db.query(
                        """
                        UPDATE social_accounts s
                        SET status = 'active', token_expires_at = now() + interval '2 hours',
                            access_token_key_id = $2, access_token_nonce = decode(u.an, 'hex'), access_token_ciphertext = decode(u.ac, 'hex'),
                            refresh_token_key_id = $2, refresh_token_nonce = decode(u.rn, 'hex'), refresh_token_ciphertext = decode(u.rc, 'hex')
                        FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, an, ac, rn, rc)
                        WHERE s.workspace_id = $1 AND s.id = u.id
                        """,
                        [
                            .int(workspace), .int(keyring.primaryID), array(columns.ids), array(columns.an), array(columns.ac),
                            array(columns.rn), array(columns.rc),
                        ])
                }
                made += size
                progress.advance(size)
            }
            progress.finish()
            print(
                "sealed \(count) demo accounts' tokens under key \(keyring.primaryID) in \(workspaces.count) workspaces in \(formatTenths(progress.seconds)) s"
            )
        }
    }
}
