// One connected account as a card: platform, handle, name, status badge, token expiry in the
// viewer's zone, the last problem, and (for owners and admins) reconnect and disconnect.
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms

/// Everything one card shows.
struct ChannelCard {
    let account: SocialAccount
    let status: CardStatus
    let details: CardDetails?
}

enum ChannelCardView {
    static func render(_ card: ChannelCard, _ access: WorkspaceAccess, csrf: HTML) -> HTML {
        let (account, status, details) = (card.account, card.status, card.details)
        let label = account.platform?.label ?? account.platformName
        var facts: [HTML] = []
        if let name = account.displayName, name != account.handle { facts.append("<dt>Name</dt><dd>\(name)</dd>") }
        if let instance = account.instanceURL, account.platform == .mastodon { facts.append("<dt>Server</dt><dd>\(instance)</dd>") }
        if status != .revoked {
            let expiry: HTML
            if let expires = details?.expires {
                expiry =
                    details?.expired == true
                    ? "expired \(expires)\(account.refresh == nil ? HTML() : HTML(" (renewed with the refresh token)"))"
                    : "\(expires) <span class=\"muted small\">\(access.user.timeZone)</span>"
            } else {
                expiry = account.access == nil ? "no token" : "does not expire"
            }
            facts.append("<dt>Token expires</dt><dd>\(expiry)</dd>")
        }
        if let details {
            facts.append("<dt>Connected</dt><dd>\(details.connectedOn)\(details.connectedBy.map { HTML(" by \($0)") })</dd>")
        }
        var problem = HTML()
        if case .needsAttention(let why) = status {
            problem = "<p class=\"error\">\(why)</p>"
        } else if let error = account.lastError, status != .active {
            problem = "<p class=\"muted small\">\(error)</p>"
        }
        var actions = HTML()
        if access.role.may(.manageChannels), account.platform != nil {
            actions = """
                <div class="actions"><form method="post" action="\(access.path("/channels/\(account.id)/reconnect"))" class="inline">\(csrf)\
                <button class="button small\(status == .active ? HTML() : HTML(" primary"))">Reconnect</button></form>
                """
            if status != .revoked {
                actions.append(
                    """
                     <form method="post" action="\(access.path("/channels/\(account.id)/disconnect"))" class="inline">\(csrf)\
                    <button class="button small danger">Disconnect</button></form>
                    """)
            }
            actions.append("</div>")
        }
        return """
            <section class="card channel-card" id="account-\(account.id)"><p class="muted small">\(label)</p>
            <h3>\(account.handle) \(badge(status))</h3>
            <dl class="details">\(facts)</dl>\(problem)\(actions)</section>
            """
    }

    static func badge(_ status: CardStatus) -> HTML {
        switch status {
        case .active: return "<span class=\"badge ok\">active</span>"
        case .needsReconnect: return "<span class=\"badge warn\">needs reconnect</span>"
        case .needsAttention: return "<span class=\"badge danger\">needs attention</span>"
        case .revoked: return "<span class=\"badge muted\">disconnected</span>"
        }
    }
}
