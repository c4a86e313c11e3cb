// GET /admin/keys: for each key id, how many stored values it seals, per sealed column (the database
// function sealed_values_per_key counts every one: social accounts' access and refresh tokens,
// Mastodon app secrets, OAuth flows' code verifiers), and what this program's keyring says of each
// key (primary, active, retired, or missing). Without a readable keyring, the ids from the data only.
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldWeb

enum KeysPage {
    static let columns = [
        "social_accounts.access_token", "social_accounts.refresh_token", "mastodon_apps.client_secret", "oauth_flows.code_verifier",
    ]

    static func show(_ c: RequestContext) throws -> Response {
        try AdminGate.transaction(c) { user, db in
            let census = try db.query("SELECT key_id, sealed_column, sealed_values FROM sealed_values_per_key()").rows.map {
                (key: try $0.int(0), column: try $0.string(1), values: try $0.int(2))
            }
            let keyring: KeysView.Keyring
            do {
                let loaded = try c.services.vault.keyring()
                keyring = .loaded(entries: loaded.entries.map { (id: $0.id, status: $0.status.rawValue) }, primary: loaded.primaryID)
            } catch {
                keyring = .unavailable(String(describing: error))
            }
            return try AdminPage.render(
                c, user, db, .keys, title: "Keys", KeysView.render(census: census, columns: columns, keyring: keyring, path: c.config.keyringFile))
        }
    }
}
