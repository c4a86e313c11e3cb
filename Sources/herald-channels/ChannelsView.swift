// The channels page's markup: the account cards, and for owners and admins the ways to connect
// one: X, LinkedIn and Reddit (OAuth 2.0, or "not configured" with the setup hint), Mastodon (the
// user names the server) and Bluesky (handle and app password).
import HeraldContent
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms

/// What the Mastodon and Bluesky forms show again after a refusal.
struct ConnectForms {
    var mastodonInstance = ""
    var mastodonError: String?
    var blueskyHandle = ""
    var blueskyError: String?
    /// The Bluesky account being reconnected, if any.
    var blueskyAccountID: Int?
}

/// How this Herald is set up to connect accounts.
struct ConnectSetup {
    /// X, LinkedIn and Reddit: whether a client is configured, and the callback URL to register.
    let fixed: [(platform: Platform, configured: Bool, redirectURI: String)]
    /// The only Mastodon servers allowed; empty for any public one.
    let mastodonInstances: [String]
}

enum ChannelsView {
    static func render(_ access: WorkspaceAccess, cards: [ChannelCard], setup: ConnectSetup, forms: ConnectForms, csrf: HTML) -> HTML {
        let list: HTML =
            cards.isEmpty
            ? "<section class=\"card\"><p class=\"empty\">No accounts connected yet.\(access.role.may(.manageChannels) ? HTML(" Connect one below.") : HTML())</p></section>"
            : "<div class=\"grid channel-grid\">\(cards.map { ChannelCardView.render($0, access, csrf: csrf) })</div>"
        let connect =
            access.role.may(.manageChannels)
            ? connectSection(access, setup, csrf: csrf, forms: forms)
            : "<p class=\"muted\">Owners and admins connect and disconnect accounts.</p>"
        return """
            <h1>Channels</h1>
            <p class="lead">The social accounts \(access.workspace.name) publishes to. Their tokens are stored encrypted.</p>
            \(list)
            \(connect)
            """
    }

    static func connectSection(_ access: WorkspaceAccess, _ setup: ConnectSetup, csrf: HTML, forms: ConnectForms) -> HTML {
        let fixed = setup.fixed.map { platform, configured, redirectURI -> HTML in
            guard configured else {
                return """
                    <section class="card connect-card"><h3>\(platform.label) <span class="badge muted">not configured</span></h3>
                    <p class="hint">\(setupHint(platform)) Register the callback URL <code>\(redirectURI)</code>, then set \
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
        let allowed =
            setup.mastodonInstances.isEmpty
            ? HTML()
            : HTML("<p class=\"hint\">This Herald connects accounts on: \(setup.mastodonInstances.joined(separator: ", ")).</p>")
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
        case .linkedin:
            return
                "Create an app at linkedin.com/developers and add the products “Sign In with LinkedIn using OpenID Connect” and “Share on LinkedIn”."
        case .reddit: return "Create a “web app” at reddit.com/prefs/apps."
        case .mastodon, .bluesky: return ""
        }
    }
}
