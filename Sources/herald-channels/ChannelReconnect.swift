// Reconnecting an account (POST /w/{slug}/channels/{id}/reconnect): the same flow as connecting,
// remembering which account it renews; for Bluesky, the app-password form for that handle.
import HeraldContent
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum ChannelReconnect {
    static func start(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let gate = try c.inWorkspace(.manageChannels) { access, db -> (Response?, WorkspaceAccess, Platform, String?) in
            guard let account = try SocialAccounts.find(db, workspace: access.id, id: id) else { throw HTTPError.notFound }
            guard let platform = account.platform else {
                throw HTTPError(409, "Cannot reconnect", "Herald cannot connect \(account.platformName) accounts yet.")
            }
            if account.status == "revoked", let refusal = try ChannelsPage.planRefusal(db, access) {
                return (try ChannelsPage.respond(c, access, db, flash: refusal, status: RefusalKind.conflict.httpStatus), access, platform, nil)
            }
            if platform == .bluesky {
                let forms = ConnectForms(blueskyHandle: String(account.handle.drop { $0 == "@" }), blueskyAccountID: account.id)
                let flash = Flash(.info, "Enter a new app password for \(account.handle) below to reconnect it.")
                return (try ChannelsPage.respond(c, access, db, flash: flash, forms: forms), access, platform, nil)
            }
            if platform != .mastodon && ChannelSetup.shared.oauth.client(platform)?.isConfigured != true {
                return (try ChannelsPage.respond(c, access, db, flash: ConnectStart.notConfigured(platform), status: 409), access, platform, nil)
            }
            return (nil, access, platform, account.instanceURL)
        }
        if let page = gate.0 { return page }
        return try ConnectStart.begin(c, gate.1, gate.2, instance: gate.3, accountID: id)
    }
}
