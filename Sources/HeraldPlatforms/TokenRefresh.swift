// Renewing an account's access token with its refresh token (the refresh_token grant; Bluesky's
// refreshSession). The queue worker calls it before tokens expire; a refusal (invalid_grant) or an
// expired token without a refresh token marks the account needs_reconnect.
import HeraldContent
public import HeraldCrypto
public import HeraldDatabase
import HeraldIdentity
import HeraldSupport

/// What a refresh did.
public enum RefreshOutcome: Sendable, Equatable {
    /// New tokens are sealed and stored; the account is active.
    case refreshed
    /// The platform refused (or the token expired with nothing to renew it): marked needs_reconnect.
    case needsReconnect(String)
    /// It may work later (platform unreachable, keyring problem): noted in last_error, status unchanged.
    case failed(String)
    /// Nothing to do: disconnected, or no refresh token and the access token does not expire.
    case notRefreshable(String)
}

/// Refreshes accounts' tokens; everything it needs is Sendable, so one can serve every thread.
public struct TokenRefresher: Sendable {
    public let config: OAuthConfig
    public let vault: TokenVault
    public let http: HTTPFetch

    public init(config: OAuthConfig, vault: TokenVault, http: HTTPFetch) {
        self.config = config
        self.vault = vault
        self.http = http
    }

    /// Refreshes one account. The row stays locked (FOR UPDATE) during the call to the platform,
    /// so two refreshes of one account never race with a refresh token that rotates.
    public func refresh(_ db: Connection, workspace: Int, account id: Int) throws -> RefreshOutcome {
        try db.transaction(workspace: workspace) { db in
            guard let account = try SocialAccounts.find(db, workspace: workspace, id: id, lock: true) else {
                return .notRefreshable("no such account")
            }
            guard account.status != "revoked" else { return .notRefreshable("the account is disconnected") }
            guard let platform = account.platform else { return .notRefreshable("Herald cannot connect \(account.platformName) accounts") }
            guard let sealedRefresh = account.refresh else {
                guard account.isExpired || account.access == nil else {
                    return .notRefreshable("\(platform.label) gave no refresh token, and the access token does not expire")
                }
                return try needsReconnect(
                    db, account, "The \(platform.label) token expired and \(platform.label) gave no refresh token: connect the account again.")
            }
            let refreshToken: String
            do {
                guard let text = try vault.open(sealedRefresh, for: SocialAccounts.refreshField(id)).string() else {
                    throw VaultError.malformed(SocialAccounts.refreshField(id))
                }
                refreshToken = text
            } catch {
                return try failed(db, account, "Herald cannot open this account's refresh token: \(error)")
            }
            do {
                let tokens = try renew(platform, account, refreshToken, db)
                try SocialAccounts.storeTokens(db, workspace: workspace, id: id, tokens: tokens, keepRefresh: true, vault: vault)
                return .refreshed
            } catch OAuthError.invalidGrant(let why) {
                return try needsReconnect(db, account, "\(why). Connect the account again.")
            } catch let error as OAuthError {
                return try failed(db, account, "Refreshing the token failed: \(error)")
            } catch let error as VaultError {
                return try failed(db, account, "Herald cannot seal the new token: \(error)")
            }
        }
    }

    private func renew(_ platform: Platform, _ account: SocialAccount, _ refreshToken: String, _ db: Connection) throws -> TokenSet {
        switch platform {
        case .bluesky:
            return try Bluesky.refreshSession(service: account.instanceURL ?? config.blueskyServiceURL, refreshJWT: refreshToken, http: http).tokens
        case .mastodon:
            guard let instance = account.instanceURL,
                let provider = try MastodonApps.cachedProvider(instance: instance, scopes: nil, redirectURI: nil, vault: vault, db: db)
            else {
                throw OAuthError.invalidGrant("Herald's app on \(account.instanceURL ?? "the Mastodon server") is gone")
            }
            return try provider.refresh(refreshToken: refreshToken, http: http)
        case .x, .linkedin, .reddit:
            guard let provider = OAuthProvider(platform, config) else {
                throw OAuthError.refused("\(platform.label) is not configured on this Herald")
            }
            return try provider.refresh(refreshToken: refreshToken, http: http)
        }
    }

    private func needsReconnect(_ db: Connection, _ account: SocialAccount, _ reason: String) throws -> RefreshOutcome {
        try SocialAccounts.markNeedsReconnect(db, workspace: account.workspaceID, id: account.id, reason: reason)
        try Audit.record(
            db, workspace: account.workspaceID, actor: nil, action: "channel.needs_reconnect", targetType: "social_account",
            targetID: account.id, details: ["platform": account.platformName, "reason": String(reason.prefix(300))])
        Log.info("account needs reconnecting", ["workspace": String(account.workspaceID), "account": String(account.id), "reason": reason])
        return .needsReconnect(reason)
    }

    private func failed(_ db: Connection, _ account: SocialAccount, _ reason: String) throws -> RefreshOutcome {
        try SocialAccounts.recordError(db, workspace: account.workspaceID, id: account.id, reason: reason)
        Log.warn("token refresh failed", ["workspace": String(account.workspaceID), "account": String(account.id), "reason": reason])
        return .failed(reason)
    }
}
