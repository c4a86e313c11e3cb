// One connected account as a card: platform, handle, name, status badge, token expiry in the
// viewer's zone, the last problem, and (for owners and admins) reconnect and disconnect.
import HeraldCrypto
import HeraldDatabase
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms

/// What the card says about an account.
enum CardStatus: Equatable {
    case active
    case needsReconnect
    /// The stored tokens cannot be opened (keyring problem, altered row): the reason.
    case needsAttention(String)
    case revoked

    var badge: HTML {
        switch self {
        case .active: return "<span class=\"badge ok\">active</span>"
        case .needsReconnect: return "<span class=\"badge warn\">needs reconnect</span>"
        case .needsAttention: return "<span class=\"badge danger\">needs attention</span>"
        case .revoked: return "<span class=\"badge muted\">disconnected</span>"
        }
    }

    /// Reads the stored state, and tries the tokens with the keyring: one that does not open is
    /// the account's problem, shown on its card, never an error for the page.
    static func of(_ account: SocialAccount, vault: TokenVault) -> CardStatus {
        if account.status == "revoked" { return .revoked }
        if account.status == "needs_reconnect" { return .needsReconnect }
        let sealed = [(account.access, SocialAccounts.accessField(account.id)), (account.refresh, SocialAccounts.refreshField(account.id))]
        for case let (value?, field) in sealed {
            do {
                _ = try vault.open(value, for: field)
            } catch {
                return .needsAttention(explain(error))
            }
        }
        if account.access == nil || (account.isExpired && account.refresh == nil) { return .needsReconnect }
        return .active
    }

    static func explain(_ error: VaultError) -> String {
        switch error {
        case .unknownKey(let id):
            return "Herald's keyring has no key \(id), which this account's token is sealed with (the key was retired, or this server has another keyring). Reconnect the account, or restore the keyring."
        case .keyringUnavailable:
            return "Herald's keyring cannot be used, so this account's token cannot be read. An administrator should check HERALD_KEYRING_FILE."
        case .cannotOpen, .malformed:
            return "This account's stored token does not open: it was altered or copied from elsewhere. Reconnect the account."
        }
    }
}

/// Page details of an account, formatted by PostgreSQL in the viewer's zone.
struct CardDetails {
    let expires: String?
    let expired: Bool
    let connectedOn: String
    let connectedBy: String?
}

enum ChannelCard {
    static func details(_ db: Connection, workspace: Int, timeZone: String) throws -> [Int: CardDetails] {
        var out: [Int: CardDetails] = [:]
        for row in try db.query("""
            SELECT s.id, to_char(s.token_expires_at AT TIME ZONE $2, 'DD Mon YYYY, HH24:MI'), coalesce(s.token_expires_at <= now(), false),
                   to_char(s.created_at AT TIME ZONE $2, 'DD Mon YYYY'), u.name
            FROM social_accounts s LEFT JOIN users u ON u.id = s.connected_by
            WHERE s.workspace_id = $1
            """, [.int(workspace), .text(timeZone)]).rows {
            out[try row.int(0)] = CardDetails(expires: row.optionalString(1), expired: try row.bool(2),
                                              connectedOn: try row.string(3), connectedBy: row.optionalString(4))
        }
        return out
    }

    static func render(_ account: SocialAccount, _ status: CardStatus, _ details: CardDetails?, _ access: WorkspaceAccess, csrf: HTML) -> HTML {
        let label = account.platform?.label ?? account.platformName
        var facts: [HTML] = []
        if let name = account.displayName, name != account.handle { facts.append("<dt>Name</dt><dd>\(name)</dd>") }
        if let instance = account.instanceURL, account.platform == .mastodon { facts.append("<dt>Server</dt><dd>\(instance)</dd>") }
        if status != .revoked {
            let expiry: HTML
            if let expires = details?.expires {
                expiry = details?.expired == true
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
                actions.append("""
                     <form method="post" action="\(access.path("/channels/\(account.id)/disconnect"))" class="inline">\(csrf)\
                    <button class="button small danger">Disconnect</button></form>
                    """)
            }
            actions.append("</div>")
        }
        return """
            <section class="card channel-card" id="account-\(account.id)"><p class="muted small">\(label)</p>
            <h3>\(account.handle) \(status.badge)</h3>
            <dl class="details">\(facts)</dl>\(problem)\(actions)</section>
            """
    }
}
