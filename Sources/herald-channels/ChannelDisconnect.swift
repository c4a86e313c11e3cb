// Disconnecting an account (POST /w/{slug}/channels/{id}/disconnect): revoke its tokens at the
// platform where it has a revoke endpoint (X, Reddit, Mastodon; Bluesky ends the session), then
// delete them here and mark it disconnected. A failed revoke is logged and said, never a reason
// to keep the tokens.
import HeraldCrypto
import HeraldFastCGI
import HeraldIdentity
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum ChannelDisconnect {
    enum Revocation: String {
        case revoked, failed, unsupported, nothing
    }

    static func disconnect(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let account = try c.inWorkspace(.manageChannels) { access, db in
            guard let account = try SocialAccounts.find(db, workspace: access.id, id: id) else { throw HTTPError.notFound }
            return account
        }
        // The platform is called outside any transaction: it may take seconds.
        let (revocation, problem) = account.status == "revoked" ? (.nothing, nil) : revoke(c, account)
        if let problem {
            Log.warn(
                "revoking at the platform failed; deleting the tokens here anyway",
                ["account": String(account.id), "platform": account.platformName, "error": problem])
        }
        return try c.inWorkspace(.manageChannels) { access, db in
            try SocialAccounts.disconnect(db, workspace: access.id, id: id, note: problem.map { "Revoking at the platform failed: \($0)" })
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "channel.disconnected", targetType: "social_account", targetID: id,
                details: ["platform": account.platformName, "handle": account.handle, "revocation": revocation.rawValue],
                ip: c.request.remoteAddress)
            let notice = revocation == .failed ? "disconnected-unrevoked" : revocation == .unsupported ? "disconnected-no-revoke" : "disconnected"
            return .redirect(to: access.path("/channels?notice=\(notice)"))
        }
    }

    /// Revokes the refresh token (which ends the grant) and the access token; the problem, if any.
    static func revoke(_ c: RequestContext, _ account: SocialAccount) -> (Revocation, String?) {
        let setup = ChannelSetup.shared
        let vault = c.services.vault
        func open(_ value: SealedValue?, _ field: SealedField) throws -> String? {
            guard let value else { return nil }
            return try vault.open(value, for: field).string()
        }
        let access: String?
        let refresh: String?
        do {
            access = try open(account.access, SocialAccounts.accessField(account.id))
            refresh = try open(account.refresh, SocialAccounts.refreshField(account.id))
        } catch {
            return (.failed, "the stored tokens do not open (\(error))")
        }
        guard access != nil || refresh != nil else { return (.nothing, nil) }
        do {
            switch account.platform {
            case .bluesky?:
                guard let refresh else { return (.unsupported, nil) }
                try Bluesky.deleteSession(service: account.instanceURL ?? setup.oauth.blueskyServiceURL, refreshJWT: refresh, http: setup.http)
            case .mastodon?:
                guard let instance = account.instanceURL,
                    let provider = try MastodonApps.cachedProvider(instance: instance, scopes: nil, redirectURI: nil, vault: vault, db: c.db())
                else {
                    return (.failed, "Herald's app on \(account.instanceURL ?? "the server") is gone")
                }
                try revokeBoth(provider, access, refresh, setup.http)
            case let platform?:
                guard let provider = OAuthProvider(platform, setup.oauth), provider.revokeURL != nil else { return (.unsupported, nil) }
                try revokeBoth(provider, access, refresh, setup.http)
            case nil:
                return (.unsupported, nil)
            }
            return (.revoked, nil)
        } catch {
            return (.failed, String(describing: error))
        }
    }

    static func revokeBoth(_ provider: OAuthProvider, _ access: String?, _ refresh: String?, _ http: HTTPFetch) throws {
        if let refresh { try provider.revoke(token: refresh, hint: "refresh_token", http: http) }
        if let access { try provider.revoke(token: access, hint: "access_token", http: http) }
    }
}
