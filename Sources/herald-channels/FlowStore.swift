// oauth_flows: a connection in progress, from "Connect" to the provider's callback. The state is
// random and stored hashed, the PKCE verifier sealed; the flow belongs to the session that started
// it, lasts 10 minutes and is claimed once.
import HeraldContent
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

/// A flow the callback has claimed: where it belongs, and the verifier to send with the code.
struct ClaimedFlow {
    let id: Int
    let platform: Platform
    let workspace: WorkspaceMembership
    let instanceURL: String?
    /// The account being reconnected, if that is what the flow is for.
    let accountID: Int?
    let verifier: String

    var channelsPath: String { "/w/\(workspace.slug)/channels" }
}

enum FlowStore {
    static let lifetimeMinutes = 10

    static func verifierField(_ id: Int) -> SealedField { SealedField(table: "oauth_flows", column: "code_verifier", rowID: id) }

    /// A new flow (inside a transaction with the tenant set); returns the state for the authorize
    /// URL and the verifier whose challenge goes with it. Finished and expired flows of the workspace go.
    static func create(
        _ db: Connection, _ access: WorkspaceAccess, platform: Platform, instanceURL: String?, accountID: Int?,
        vault: TokenVault
    ) throws -> (state: String, verifier: String) {
        try db.query("DELETE FROM oauth_flows WHERE workspace_id = $1 AND (used_at IS NOT NULL OR expires_at < now())", [.int(access.id)])
        let state = PKCE.state()
        let verifier = PKCE.verifier()
        let id = try db.queryRow(
            """
            INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, instance_url, account_id, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(mins => $8))
            RETURNING id
            """,
            [
                .int(access.id), .int(access.user.id), .int(access.user.sessionID), .text(platform.rawValue),
                .bytes(PKCE.stateHash(state)), .text(instanceURL), .int(accountID), .int(lifetimeMinutes),
            ])!.int(0)
        var bytes = Array(verifier.utf8)
        defer { Sodium.wipe(&bytes) }
        let sealed = try vault.seal(bytes, for: verifierField(id))
        try db.query(
            """
            UPDATE oauth_flows SET code_verifier_key_id = $3, code_verifier_nonce = $4, code_verifier_ciphertext = $5
            WHERE workspace_id = $1 AND id = $2
            """, [.int(access.id), .int(id), .int(sealed.keyID), .bytes(sealed.nonce), .bytes(sealed.ciphertext)])
        return (state, verifier)
    }

    static let notRecognised = HTTPError(
        400, "Connection not recognised",
        "Herald did not start this connection for you, or the address was changed on the way. Go back to Channels and connect again.")

    /// Finds the flow the state names among the user's own, checks it, and marks it used (once).
    static func claim(_ c: RequestContext, user: CurrentUser, platform: Platform, state: String) throws -> ClaimedFlow {
        try c.db().transaction(user: user.id) { db in
            guard state.utf8.count <= 100,
                let row = try db.queryRow(
                    """
                    SELECT id, workspace_id, platform, session_id, expires_at <= now(), used_at IS NOT NULL, instance_url, account_id,
                           code_verifier_key_id, code_verifier_nonce, code_verifier_ciphertext
                    FROM oauth_flows WHERE state_hash = $1 AND user_id = $2
                    """, [.bytes(PKCE.stateHash(state)), .int(user.id)])
            else { throw notRecognised }
            let id = try row.int(0)
            guard try row.string(2) == platform.rawValue else { throw notRecognised }
            guard try row.int(3) == user.sessionID else {
                throw HTTPError(
                    403, "Started in another session",
                    "This connection was started in another session (another browser, or before you logged in again). Go back to Channels and connect again."
                )
            }
            guard try !row.bool(5) else {
                throw HTTPError(
                    400, "Connection already finished",
                    "This connection was already completed or refused. Go back to Channels to see the account, or connect again.")
            }
            guard try !row.bool(4) else {
                throw HTTPError(
                    400, "Connection expired",
                    "A connection must be approved within \(lifetimeMinutes) minutes. Go back to Channels and connect again.")
            }
            let workspaceID = try row.int(1)
            guard let workspace = try Memberships.of(userID: user.id, db).first(where: { $0.workspaceID == workspaceID }) else { throw notRecognised }
            guard workspace.role.may(.manageChannels) else {
                throw HTTPError(
                    403, "Not allowed",
                    "Connecting accounts in \(workspace.name) is for owners and admins, and you are now \(workspace.role.withArticle) there.")
            }
            try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(workspaceID))])
            // The compare-and-set that makes a state single-use, even for two callbacks at once.
            let claimed = try db.query(
                "UPDATE oauth_flows SET used_at = now() WHERE workspace_id = $1 AND id = $2 AND used_at IS NULL",
                [.int(workspaceID), .int(id)]
            ).affectedRows
            guard claimed == 1 else {
                throw HTTPError(
                    400, "Connection already finished", "This connection was already completed or refused. Go back to Channels and connect again.")
            }
            guard let keyID = try row.optionalInt(8) else { throw notRecognised }
            let sealed = SealedValue(keyID: keyID, nonce: try row.bytes(9), ciphertext: try row.bytes(10))
            let verifier: String
            do {
                guard let text = try c.services.vault.open(sealed, for: verifierField(id)).string() else {
                    throw VaultError.malformed(verifierField(id))
                }
                verifier = text
            } catch {
                Log.error("cannot open an OAuth flow's verifier", ["flow": String(id), "error": String(describing: error)])
                throw HTTPError(
                    503, "Connection cannot be finished",
                    "Herald cannot read back what it stored for this connection (its keyring changed). Go back to Channels and connect again.")
            }
            return ClaimedFlow(
                id: id, platform: platform, workspace: workspace, instanceURL: row.optionalString(6),
                accountID: try row.optionalInt(7), verifier: verifier)
        }
    }
}
