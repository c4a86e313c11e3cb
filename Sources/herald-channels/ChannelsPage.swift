// /w/{slug}/channels: the workspace's social accounts as cards, and for owners and admins the ways
// to connect one. Also the page every connect and reconnect refusal answers with.
import HeraldBilling
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldPlatforms
import HeraldWeb

enum ChannelsPage {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try respond(c, access, db, flash: Notice.from(c)) }
    }

    /// Loads the accounts with their details, tries their tokens with the keyring, and shows the
    /// page; `forms` fills the Mastodon and Bluesky forms in again after a refusal.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, flash: Flash? = nil,
        forms: ConnectForms = ConnectForms(), status: Int = 200
    ) throws -> Response {
        let accounts = try SocialAccounts.all(db, workspace: access.id)
        let details = try ChannelStore.cardDetails(db, workspace: access.id, timeZone: access.user.timeZone)
        let csrf = Layout.csrfField(try c.csrfToken())
        let cards = accounts.map { account in
            ChannelCard(account: account, status: CardStatus.of(account, vault: c.services.vault), details: details[account.id])
        }
        let oauth = ChannelSetup.shared.oauth
        let setup = ConnectSetup(
            fixed: [Platform.x, .linkedin, .reddit].map { platform in
                (platform, oauth.client(platform)?.isConfigured == true, c.redirectURI(platform))
            },
            mastodonInstances: oauth.mastodonInstances)
        return try c.page(
            "Channels · \(access.workspace.name)", flash: flash, current: access.path("/channels"), status: status,
            ChannelsView.render(access, cards: cards, setup: setup, forms: forms, csrf: csrf))
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
}
