// Storing an account the platform just vouched for (OAuth callback, Bluesky sign-in): the plan's
// channel limit, the upsert on (workspace, platform, external id), the tokens sealed to the row,
// the audit event. Tokens that end up not stored are revoked at the platform where possible.
import HeraldBilling
import HeraldContent
import HeraldCrypto
import HeraldFastCGI
import HeraldIdentity
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum ConnectedAccount {
    /// Saves the account in one transaction and redirects to the channels page. `discard` revokes
    /// the fresh tokens (best effort) when Herald refuses to keep them.
    static func save(
        _ c: RequestContext, workspace: WorkspaceMembership, user: CurrentUser, platform: Platform, profile: AccountProfile,
        tokens: TokenSet, instanceURL: String?, reconnecting accountID: Int?, discard: () -> Void
    ) throws -> Response {
        let outcome: (id: Int, isNew: Bool)
        do {
            outcome = try c.db().transaction(workspace: workspace.workspaceID, user: user.id) { db in
                let existing = try SocialAccounts.existing(db, workspace: workspace.workspaceID, platform: platform, externalID: profile.externalID)
                if let accountID, existing?.id != accountID {
                    let expected = try SocialAccounts.find(db, workspace: workspace.workspaceID, id: accountID)?.handle ?? "the account"
                    throw HTTPError(
                        409, "Another account was approved",
                        "You were reconnecting \(expected), but \(platform.label) approved \(profile.handle). Log in to \(platform.label) as \(expected) and reconnect again, or use Connect to add \(profile.handle) as another account."
                    )
                }
                // A new account, or a disconnected one coming back, counts against the plan.
                if existing == nil || existing?.status == "revoked" {
                    try PlanLimits.check(db, workspace: workspace.workspaceID, .channels)
                }
                let id = try SocialAccounts.upsert(
                    db, workspace: workspace.workspaceID, platform: platform, profile: profile,
                    instanceURL: instanceURL, connectedBy: user.id)
                // Reconnecting keeps the refresh token Herald has when the platform sends no new one
                // (a reconnect must never leave an account unable to renew itself).
                let keepRefresh = existing != nil && existing?.status != "revoked"
                try SocialAccounts.storeTokens(
                    db, workspace: workspace.workspaceID, id: id, tokens: tokens, keepRefresh: keepRefresh, vault: c.services.vault)
                try Audit.record(
                    db, workspace: workspace.workspaceID, actor: user.id, action: existing == nil ? "channel.connected" : "channel.reconnected",
                    targetType: "social_account", targetID: id,
                    details: ["platform": platform.rawValue, "handle": profile.handle], ip: c.request.remoteAddress)
                return (id, existing == nil)
            }
        } catch let error as HTTPError {
            discard()
            throw error
        } catch let error as VaultError {
            discard()
            Log.error("cannot seal tokens", ["error": error.description])
            throw ChannelErrors.keyring(error)
        }
        Log.info("account connected", ["workspace": String(workspace.workspaceID), "account": String(outcome.id), "platform": platform.rawValue])
        return .redirect(to: "/w/\(workspace.slug)/channels?notice=\(outcome.isNew ? "connected" : "reconnected")")
    }
}

/// The errors several pages share.
enum ChannelErrors {
    /// The keyring is missing or unusable: nothing can be sealed, so nothing is connected.
    static func keyring(_ error: VaultError) -> HTTPError {
        HTTPError(
            503, "Tokens cannot be stored",
            "Herald cannot seal tokens right now (\(error.description)). Nothing was connected. An administrator sets up the keyring with `heraldctl keys init` (README: Keys and rotation)."
        )
    }

    /// The platform answered something Herald cannot use, or nothing at all.
    static func platform(_ platform: Platform, _ error: OAuthError) -> HTTPError {
        switch error {
        case .unreachable:
            return HTTPError(
                502, "\(platform.label) did not answer",
                "Herald could not reach \(platform.label) to finish the connection (\(error.description)). Nothing was connected; try again in a moment."
            )
        default:
            return HTTPError(
                502, "\(platform.label) refused", "\(platform.label) did not complete the connection: \(error.description). Nothing was connected.")
        }
    }
}
