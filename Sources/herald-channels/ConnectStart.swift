// Starting an OAuth 2.0 connection (POST /w/{slug}/channels/connect/{platform}, and reconnects):
// check role and plan, register on the Mastodon instance if needed, store a flow (state hashed,
// PKCE verifier sealed) and send the browser to the provider's authorize URL.
import HeraldContent
import HeraldCrypto
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum ConnectStart {
    /// Either a page to show now (a refusal), or go ahead.
    enum Gate {
        case page(Response)
        case go(WorkspaceAccess, instance: String?)
    }

    static func start(_ c: RequestContext) throws -> Response {
        let platform = try oauthPlatform(c)
        let instanceInput = platform == .mastodon ? (try c.form()["instance"] ?? "") : ""
        let gate = try c.inWorkspace(.manageChannels) { access, db -> Gate in
            if let refusal = try ChannelsPage.planRefusal(db, access) {
                return .page(try ChannelsPage.respond(c, access, db, flash: refusal, status: RefusalKind.conflict.httpStatus))
            }
            guard platform == .mastodon else {
                guard ChannelSetup.shared.oauth.client(platform)?.isConfigured == true else {
                    return .page(try ChannelsPage.respond(c, access, db, flash: notConfigured(platform), status: 409))
                }
                return .go(access, instance: nil)
            }
            do throws(InstanceRefusal) {
                return .go(access, instance: try MastodonApps.checkInstance(instanceInput, config: ChannelSetup.shared.oauth))
            } catch {
                return .page(
                    try ChannelsPage.respond(
                        c, access, db, forms: ConnectForms(mastodonInstance: instanceInput, mastodonError: error.message), status: 422))
            }
        }
        switch gate {
        case .page(let response): return response
        case .go(let access, let instance): return try begin(c, access, platform, instance: instance, accountID: nil)
        }
    }

    static func notConfigured(_ platform: Platform) -> Flash {
        Flash(.error, "\(platform.label) is not configured on this Herald yet: an administrator registers an app there first (see below).")
    }

    /// The provider (registering Herald on a Mastodon instance the first time), a new flow, and the
    /// page that takes the browser to the provider.
    static func begin(_ c: RequestContext, _ access: WorkspaceAccess, _ platform: Platform, instance: String?, accountID: Int?) throws -> Response {
        let setup = ChannelSetup.shared
        let redirectURI = c.redirectURI(platform)
        let provider: OAuthProvider
        do {
            if platform == .mastodon, let instance {
                provider = try MastodonApps.provider(
                    instance: instance, redirectURI: redirectURI, website: c.config.baseURL, config: setup.oauth,
                    vault: c.services.vault, http: setup.http, db: c.db(), register: true)
            } else if let configured = OAuthProvider(platform, setup.oauth) {
                provider = configured
            } else {
                throw HTTPError(409, "\(platform.label) is not configured", notConfigured(platform).message)
            }
        } catch let error as OAuthError {
            Log.warn("cannot register on the Mastodon instance", ["instance": instance ?? "-", "error": error.description])
            return try c.inWorkspace(.manageChannels) { access, db in
                try ChannelsPage.respond(
                    c, access, db,
                    forms: ConnectForms(
                        mastodonInstance: instance ?? "",
                        mastodonError: "Herald could not register with this server: \(error.description)"),
                    status: 502)
            }
        } catch let error as VaultError {
            throw ChannelErrors.keyring(error)
        }
        let flow: (state: String, verifier: String)
        do {
            flow = try c.db().transaction(workspace: access.id, user: access.user.id) { db in
                try FlowStore.create(db, access, platform: platform, instanceURL: instance, accountID: accountID, vault: c.services.vault)
            }
        } catch let error as VaultError {
            throw ChannelErrors.keyring(error)
        }
        let url = provider.authorizationURL(redirectURI: redirectURI, state: flow.state, challenge: PKCE.challenge(for: flow.verifier))
        return try handOff(c, platform, url)
    }

    /// A page that sends the browser on to the provider. Not a redirect: the Content-Security-Policy's
    /// `form-action 'self'` applies to the redirects after a form submission, so a 303 to another
    /// site would be blocked; a Refresh (and the link, for browsers that ignore it) is a new navigation.
    static func handOff(_ c: RequestContext, _ platform: Platform, _ url: String) throws -> Response {
        var response = try c.page("Continue to \(platform.label)", HandOffView.render(platform: platform.label, url: url))
        response.setHeader("Refresh", "0; url=\(url)")
        return response
    }
}
