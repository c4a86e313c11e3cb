// What a channel's card says about its account: the stored state, and whether its sealed tokens
// still open with the keyring.
import HeraldCrypto
import HeraldPlatforms

/// What the card says about an account.
enum CardStatus: Equatable {
    case active
    case needsReconnect
    /// The stored tokens cannot be opened (keyring problem, altered row): the reason.
    case needsAttention(String)
    case revoked

    /// Reads the stored state, and tries the tokens with the keyring: one that does not open is
    /// the account's problem, shown on its card, never an error for the page.
    static func of(_ account: SocialAccount, vault: TokenVault) -> CardStatus {
        if account.status == "revoked" { return .revoked }
        if account.status == "needs_reconnect" { return .needsReconnect }
        let sealed = [(account.access, SocialAccounts.accessField(account.id)), (account.refresh, SocialAccounts.refreshField(account.id))]
        for case (let value?, let field) in sealed {
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
            return
                "Herald's keyring has no key \(id), which this account's token is sealed with (the key was retired, or this server has another keyring). Reconnect the account, or restore the keyring."
        case .keyringUnavailable:
            return "Herald's keyring cannot be used, so this account's token cannot be read. An administrator should check HERALD_KEYRING_FILE."
        case .cannotOpen, .malformed:
            return "This account's stored token does not open: it was altered or copied from elsewhere. Reconnect the account."
        }
    }
}
