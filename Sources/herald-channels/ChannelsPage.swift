// /w/{slug}/channels: the workspace's social accounts as cards, and for owners and admins the ways
// to connect one: X, LinkedIn and Reddit (OAuth 2.0, or "not configured" with the setup hint),
// Mastodon (the user names the server) and Bluesky (handle and app password).
import HeraldBilling
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms
import HeraldWeb

/// What the Mastodon and Bluesky forms show again after a refusal.
struct ConnectForms {
    var mastodonInstance = ""
    var mastodonError: String?
    var blueskyHandle = ""
    var blueskyError: String?
    /// The Bluesky account being reconnected, if any.
    var blueskyAccountID: Int?
}

enum ChannelsPage {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try render(c, access, db, flash: Notice.from(c)) }
    }

    static func render(_ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, flash: Flash? = nil,
                       forms: ConnectForms = ConnectForms(), status: Int = 200) throws -> Response {
        let accounts = try SocialAccounts.all(db, workspace: access.id)
        let details = try ChannelCard.details(db, workspace: access.id, timeZone: access.user.timeZone)
        let csrf = Layout.csrfField(try c.csrfToken())
        let cards = accounts.map { account in
            ChannelCard.render(account, CardStatus.of(account, vault: c.services.vault), details[account.id], access, csrf: csrf)
        }
        let list: HTML = accounts.isEmpty
            ? "<section class=\"card\"><p class=\"empty\">No accounts connected yet.\(access.role.may(.manageChannels) ? HTML(" Connect one below.") : HTML())</p></section>"
            : "<div class=\"grid channel-grid\">\(cards)</div>"
        let connect = access.role.may(.manageChannels)
            ? connectSection(c, access, csrf: csrf, forms: forms)
            : "<p class=\"muted\">Owners and admins connect and disconnect accounts.</p>"
        return try c.page("Channels · \(access.workspace.name)", flash: flash, current: access.path("/channels"), status: status, """
            <h1>Channels</h1>
            <p class="lead">The social accounts \(access.workspace.name) publishes to. Their tokens are stored encrypted.</p>
            \(list)
            \(connect)
            """)
    }

    /// The plan's refusal of one more channel as a message, or nil when there is room.
    static func planRefusal(_ db: Connection, _ access: WorkspaceAccess) throws -> Flash? {
        do {
            try PlanLimits.check(db, workspace: access.id, .channels)
            return nil
        } catch let error as PlanLimitError {
            return Flash(.error, error.message)
        }
    }

    static func connectSection(_ c: RequestContext, _ access: WorkspaceAccess, csrf: HTML, forms: ConnectForms) -> HTML {
        let oauth = ChannelSetup.shared.oauth
        let fixed = [Platform.x, .linkedin, .reddit].map { platform -> HTML in
            guard oauth.client(platform)?.isConfigured == true else {
                return """
                    <section class="card connect-card"><h3>\(platform.label) <span class="badge muted">not configured</span></h3>
                    <p class="hint">\(setupHint(platform)) Register the callback URL <code>\(c.redirectURI(platform))</code>, then set \
                    <code>\(OAuthConfig.prefix(platform))CLIENT_ID</code> and <code>\(OAuthConfig.prefix(platform))CLIENT_SECRET</code> \
                    and restart herald-channels (README: Connecting social accounts).</p></section>
                    """
            }
            return """
                <section class="card connect-card"><h3>\(platform.label)</h3>
                <p class="muted small">You approve Herald on \(platform.label), then come back here.</p>
                <form method="post" action="\(access.path("/channels/connect/\(platform.rawValue)"))">\(csrf)\
                <button class="button primary">Connect \(platform.label)</button></form></section>
                """
        }
        let allowed = oauth.mastodonInstances.isEmpty ? HTML()
            : HTML("<p class=\"hint\">This Herald connects accounts on: \(oauth.mastodonInstances.joined(separator: ", ")).</p>")
        let reconnecting: HTML = forms.blueskyAccountID.map { HTML("<input type=\"hidden\" name=\"account\" value=\"\($0)\">") } ?? HTML()
        return """
            <h2 id="connect">Connect an account</h2>
            <div class="grid connect-grid">\(fixed)
            <section class="card connect-card"><h3>Mastodon</h3>
            <form class="form" method="post" action="\(access.path("/channels/connect/mastodon"))" novalidate>\(csrf)
            \(Form.field("instance", label: "Your server", value: forms.mastodonInstance, error: forms.mastodonError,
                         hint: "The address of your Mastodon server, e.g. mastodon.social.", maxLength: 300))\(allowed)
            <div class="actions"><button class="button primary">Connect Mastodon</button></div></form></section>
            <section class="card connect-card" id="bluesky"><h3>Bluesky</h3>
            <form class="form" method="post" action="\(access.path("/channels/connect/bluesky"))" novalidate>\(csrf)\(reconnecting)
            \(Form.field("handle", label: "Handle", value: forms.blueskyHandle, error: forms.blueskyError,
                         hint: "e.g. yourname.bsky.social", autocomplete: "off", maxLength: 253))
            \(Form.field("app_password", label: "App password", type: "password",
                         hint: "Create one in Bluesky under Settings → Privacy and security → App passwords. Never use your main password.",
                         autocomplete: "new-password", maxLength: 100))
            <div class="actions"><button class="button primary">\(forms.blueskyAccountID == nil ? "Connect Bluesky" : "Reconnect Bluesky")</button></div></form></section>
            </div>
            """
    }

    /// Where an administrator registers Herald on each platform.
    static func setupHint(_ platform: Platform) -> String {
        switch platform {
        case .x: return "Create a project and app at developer.x.com, turn on OAuth 2.0 (type: Web App, confidential client)."
        case .linkedin: return "Create an app at linkedin.com/developers and add the products “Sign In with LinkedIn using OpenID Connect” and “Share on LinkedIn”."
        case .reddit: return "Create a “web app” at reddit.com/prefs/apps."
        case .mastodon, .bluesky: return ""
        }
    }
}
