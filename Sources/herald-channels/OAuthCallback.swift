// /oauth/{platform}/callback: the provider sends the browser back with `code` and `state` (or
// `error`). The state must name an unused, unexpired flow of this user's session; the code is
// exchanged with the PKCE verifier, the account read, its tokens sealed and stored.
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum OAuthCallback {
    static func handle(_ c: RequestContext) throws -> Response {
        let platform = try oauthPlatform(c)
        let user = try c.requireUser()
        let query = c.request.query
        guard let state = query["state"], !state.isEmpty else { throw FlowStore.notRecognised }
        let flow = try FlowStore.claim(c, user: user, platform: platform, state: state)
        if let error = query["error"] {
            return try refusal(c, flow, error: error, description: query["error_description"])
        }
        guard let code = query["code"], !code.isEmpty, code.utf8.count <= 2000 else {
            throw HTTPError.badRequest("\(platform.label) sent Herald back without an authorization code. Go back to Channels and connect again.")
        }
        let setup = ChannelSetup.shared
        let provider = try self.provider(c, flow, setup)
        let redirectURI = c.redirectURI(platform)
        let tokens: TokenSet
        let profile: AccountProfile
        do throws(OAuthError) {
            tokens = try provider.exchange(code: code, verifier: flow.verifier, redirectURI: redirectURI, http: setup.http)
        } catch .invalidGrant {
            // A replayed or stale code: the provider's invalid_grant.
            throw HTTPError(
                400, "Approval no longer valid",
                "\(platform.label) says this approval was already used or has expired. Go back to Channels and connect again.")
        } catch {
            Log.warn("token exchange failed", ["platform": platform.rawValue, "error": String(describing: error)])
            throw ChannelErrors.platform(platform, error)
        }
        do throws(OAuthError) {
            profile = try provider.profile(accessToken: tokens.accessToken, http: setup.http)
        } catch {
            Log.warn("reading the connected account failed", ["platform": platform.rawValue, "error": String(describing: error)])
            discard(provider, tokens, setup)
            throw ChannelErrors.platform(platform, error)
        }
        return try ConnectedAccount.save(
            c, workspace: flow.workspace, user: user, platform: platform, profile: profile, tokens: tokens,
            instanceURL: flow.instanceURL, reconnecting: flow.accountID
        ) { discard(provider, tokens, setup) }
    }

    /// The client the flow was started with: the configured one, or the one registered on the Mastodon instance.
    static func provider(_ c: RequestContext, _ flow: ClaimedFlow, _ setup: ChannelSetup) throws -> OAuthProvider {
        if flow.platform == .mastodon, let instance = flow.instanceURL {
            do {
                return try MastodonApps.provider(
                    instance: instance, redirectURI: c.redirectURI(.mastodon), website: c.config.baseURL,
                    config: setup.oauth, vault: c.services.vault, http: setup.http, db: c.db(), register: false)
            } catch let error as OAuthError {
                throw ChannelErrors.platform(.mastodon, error)
            }
        }
        guard let provider = OAuthProvider(flow.platform, setup.oauth) else {
            throw HTTPError(
                503, "\(flow.platform.label) is not configured",
                "This Herald no longer has a \(flow.platform.label) client configured, so the connection cannot be finished.")
        }
        return provider
    }

    /// The provider sent `error` instead of a code: the user cancelled, or the provider refused.
    static func refusal(_ c: RequestContext, _ flow: ClaimedFlow, error: String, description: String?) throws -> Response {
        if error == "access_denied" {
            return try c.page("Connection cancelled", OAuthRefusalView.cancelled(platform: flow.platform.label, back: flow.channelsPath))
        }
        Log.warn("the provider refused the authorization", ["platform": flow.platform.rawValue, "error": String(error.prefix(100))])
        return try c.page(
            "\(flow.platform.label) refused", status: 502,
            OAuthRefusalView.refused(platform: flow.platform.label, error: error, description: description, back: flow.channelsPath))
    }

    /// Revokes tokens Herald is not keeping; failures are only logged.
    static func discard(_ provider: OAuthProvider, _ tokens: TokenSet, _ setup: ChannelSetup) {
        guard provider.revokeURL != nil else { return }
        do {
            try provider.revoke(
                token: tokens.refreshToken ?? tokens.accessToken, hint: tokens.refreshToken == nil ? "access_token" : "refresh_token",
                http: setup.http)
        } catch {
            Log.warn("could not revoke tokens Herald did not keep", ["platform": provider.platform.rawValue, "error": String(describing: error)])
        }
    }
}
