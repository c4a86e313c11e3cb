// social_accounts as the connect, refresh and disconnect code needs them: one function per query,
// run inside a transaction with the tenant set, always scoped by workspace_id. Tokens are sealed
// bound to the row: the row is inserted (or found) first, then its sealed columns are updated.
import Glibc
public import HeraldContent
public import HeraldCrypto
public import HeraldDatabase

/// One connected account with its sealed tokens.
public struct SocialAccount: Sendable {
    public let id: Int
    public let workspaceID: Int
    /// nil for platforms the schema allows but Herald cannot connect yet.
    public let platform: Platform?
    public let platformName: String
    public let externalID: String
    public let handle: String
    public let displayName: String?
    public let status: String
    public let access: SealedValue?
    public let refresh: SealedValue?
    /// Seconds since 1970; nil when the token does not expire (or there is none).
    public let expiresAt: Int?
    public let instanceURL: String?
    public let lastError: String?

    public var isExpired: Bool { expiresAt.map { $0 <= Int(time(nil)) } ?? false }
}

public enum SocialAccounts {
    /// Where each token of a row is sealed; key rotation re-seals the same two columns.
    public static func accessField(_ id: Int) -> SealedField { SealedField(table: "social_accounts", column: "access_token", rowID: id) }
    public static func refreshField(_ id: Int) -> SealedField { SealedField(table: "social_accounts", column: "refresh_token", rowID: id) }

    static let columns = """
        id, workspace_id, platform, external_id, handle, display_name, status,
        access_token_key_id, access_token_nonce, access_token_ciphertext,
        refresh_token_key_id, refresh_token_nonce, refresh_token_ciphertext,
        extract(epoch FROM token_expires_at)::bigint, instance_url, last_error
        """

    public static func find(_ db: Connection, workspace: Int, id: Int, lock: Bool = false) throws -> SocialAccount? {
        try db.queryRow(
            "SELECT \(columns) FROM social_accounts WHERE workspace_id = $1 AND id = $2\(lock ? " FOR UPDATE" : "")",
            [.int(workspace), .int(id)]
        ).map(account)
    }

    /// The workspace's accounts, connected ones first, then by platform and handle.
    public static func all(_ db: Connection, workspace: Int) throws -> [SocialAccount] {
        try db.query(
            """
            SELECT \(columns) FROM social_accounts WHERE workspace_id = $1
            ORDER BY status = 'revoked', platform, lower(handle), id
            """, [.int(workspace)]
        ).rows.map(account)
    }

    /// The account with this platform id in the workspace, if any: (id, status).
    public static func existing(_ db: Connection, workspace: Int, platform: Platform, externalID: String) throws -> (id: Int, status: String)? {
        try db.queryRow(
            "SELECT id, status FROM social_accounts WHERE workspace_id = $1 AND platform = $2 AND external_id = $3",
            [.int(workspace), .text(platform.rawValue), .text(externalID)]
        ).map { (try $0.int(0), try $0.string(1)) }
    }

    /// Inserts the account, or refreshes the names of the one already there; returns its id. A new
    /// row has no token yet, so it starts as needs_reconnect until `storeTokens` seals them.
    public static func upsert(
        _ db: Connection, workspace: Int, platform: Platform, profile: AccountProfile, instanceURL: String?,
        connectedBy: Int
    ) throws -> Int {
        try db.queryRow(
            """
            INSERT INTO social_accounts (workspace_id, platform, external_id, handle, display_name, status, instance_url, connected_by)
            VALUES ($1, $2, $3, $4, $5, 'needs_reconnect', $6, $7)
            ON CONFLICT ON CONSTRAINT social_accounts_workspace_platform_external_key DO UPDATE
            SET handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, instance_url = EXCLUDED.instance_url,
                connected_by = EXCLUDED.connected_by, updated_at = now()
            RETURNING id
            """,
            [
                .int(workspace), .text(platform.rawValue), .text(profile.externalID), .text(profile.handle),
                .text(profile.displayName), .text(instanceURL), .int(connectedBy),
            ])!.int(0)
    }

    /// Seals and stores new tokens and makes the account active. Without a new refresh token the
    /// old one is kept when `keepRefresh` (a refresh that does not rotate it), else cleared.
    public static func storeTokens(_ db: Connection, workspace: Int, id: Int, tokens: TokenSet, keepRefresh: Bool, vault: TokenVault) throws {
        var access = Array(tokens.accessToken.utf8)
        defer { Sodium.wipe(&access) }
        let sealedAccess = try vault.seal(access, for: accessField(id))
        var sealedRefresh: SealedValue?
        if let refresh = tokens.refreshToken {
            var bytes = Array(refresh.utf8)
            defer { Sodium.wipe(&bytes) }
            sealedRefresh = try vault.seal(bytes, for: refreshField(id))
        }
        let keep = keepRefresh && sealedRefresh == nil
        try db.query(
            """
            UPDATE social_accounts
            SET status = 'active', last_error = NULL, updated_at = now(),
                access_token_key_id = $3, access_token_nonce = $4, access_token_ciphertext = $5,
                refresh_token_key_id = CASE WHEN $9 THEN refresh_token_key_id ELSE $6 END,
                refresh_token_nonce = CASE WHEN $9 THEN refresh_token_nonce ELSE $7 END,
                refresh_token_ciphertext = CASE WHEN $9 THEN refresh_token_ciphertext ELSE $8 END,
                token_expires_at = CASE WHEN $10::int IS NULL THEN NULL ELSE now() + make_interval(secs => $10::int) END,
                scopes = coalesce($11, scopes)
            WHERE workspace_id = $1 AND id = $2
            """,
            [
                .int(workspace), .int(id), .int(sealedAccess.keyID), .bytes(sealedAccess.nonce), .bytes(sealedAccess.ciphertext),
                .int(sealedRefresh?.keyID), sealedRefresh.map { .bytes($0.nonce) } ?? .null, sealedRefresh.map { .bytes($0.ciphertext) } ?? .null,
                .bool(keep), .int(tokens.expiresIn), .text(tokens.scope.map { String($0.prefix(2000)) }),
            ])
    }

    /// The platform no longer accepts the tokens: someone must connect the account again.
    public static func markNeedsReconnect(_ db: Connection, workspace: Int, id: Int, reason: String) throws {
        try db.query(
            """
            UPDATE social_accounts SET status = 'needs_reconnect', last_error = $3, updated_at = now()
            WHERE workspace_id = $1 AND id = $2 AND status <> 'revoked'
            """, [.int(workspace), .int(id), .text(String(reason.prefix(2000)))])
    }

    /// Notes a problem that may pass (the platform unreachable) without changing the status.
    public static func recordError(_ db: Connection, workspace: Int, id: Int, reason: String) throws {
        try db.query(
            "UPDATE social_accounts SET last_error = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2",
            [.int(workspace), .int(id), .text(String(reason.prefix(2000)))])
    }

    /// Disconnected: the tokens are deleted, the row stays (its posts keep their history).
    public static func disconnect(_ db: Connection, workspace: Int, id: Int, note: String?) throws {
        try db.query(
            """
            UPDATE social_accounts
            SET status = 'revoked', last_error = $3, updated_at = now(), token_expires_at = NULL,
                access_token_key_id = NULL, access_token_nonce = NULL, access_token_ciphertext = NULL,
                refresh_token_key_id = NULL, refresh_token_nonce = NULL, refresh_token_ciphertext = NULL
            WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(id), .text(note.map { String($0.prefix(2000)) })])
    }

    static func account(_ row: Row) throws -> SocialAccount {
        func sealed(_ column: Int) throws -> SealedValue? {
            guard let keyID = try row.optionalInt(column) else { return nil }
            return SealedValue(keyID: keyID, nonce: try row.bytes(column + 1), ciphertext: try row.bytes(column + 2))
        }
        let platform = try row.string(2)
        return SocialAccount(
            id: try row.int(0), workspaceID: try row.int(1), platform: Platform(rawValue: platform), platformName: platform,
            externalID: try row.string(3), handle: try row.string(4), displayName: row.optionalString(5),
            status: try row.string(6), access: try sealed(7), refresh: try sealed(10), expiresAt: try row.optionalInt(13),
            instanceURL: row.optionalString(14), lastError: row.optionalString(15))
    }
}
