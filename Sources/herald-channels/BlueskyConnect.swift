// Connecting (or reconnecting) a Bluesky account with a handle and an app password: Herald signs in
// with com.atproto.server.createSession and keeps the session's JWTs sealed, never the password.
import HeraldFastCGI
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

enum BlueskyConnect {
    static func connect(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        var handle = (form["handle"] ?? "").trimmed.lowercased()
        while handle.hasPrefix("@") { handle.removeFirst() }
        let password = form["app_password"] ?? ""
        let accountID = form["account"].flatMap { Int($0) }
        var forms = ConnectForms(blueskyHandle: handle, blueskyAccountID: accountID)
        if handle.isEmpty || handle.utf8.count > 253 || handle.contains(where: { $0.isWhitespace || $0 == "/" }) {
            forms.blueskyError = "Enter your Bluesky handle, e.g. yourname.bsky.social."
        } else if password.isEmpty || password.utf8.count > 100 {
            forms.blueskyError = "Enter an app password (Settings → Privacy and security → App passwords)."
        }
        let gate = try c.inWorkspace(.manageChannels) { [forms] access, db -> ConnectStart.Gate in
            if forms.blueskyError != nil { return .page(try ChannelsPage.respond(c, access, db, forms: forms, status: 422)) }
            var comingBack = accountID == nil
            if let accountID {
                guard let account = try SocialAccounts.find(db, workspace: access.id, id: accountID), account.platform == .bluesky else {
                    throw HTTPError.notFound
                }
                comingBack = account.status == "revoked"
            }
            if comingBack, let refusal = try ChannelsPage.planRefusal(db, access) {
                return .page(try ChannelsPage.respond(c, access, db, flash: refusal, forms: forms, status: RefusalKind.conflict.httpStatus))
            }
            return .go(access, instance: nil)
        }
        guard case .go(let access, _) = gate else {
            if case .page(let response) = gate { return response }
            throw HTTPError.notFound
        }
        let setup = ChannelSetup.shared
        let service = setup.oauth.blueskyServiceURL
        let session: BlueskySession
        do throws(OAuthError) {
            session = try Bluesky.createSession(service: service, identifier: handle, password: password, http: setup.http)
        } catch {
            var refused = false
            if case .refused = error { refused = true }
            forms.blueskyError =
                refused
                ? "\(error.description). Check the handle, and use an app password, not your main password."
                : "Herald could not reach Bluesky: \(error.description). Try again in a moment."
            return try c.inWorkspace(.manageChannels) { [forms] access, db in
                try ChannelsPage.respond(c, access, db, forms: forms, status: refused ? 422 : 502)
            }
        }
        return try ConnectedAccount.save(
            c, workspace: access.workspace, user: access.user, platform: .bluesky, profile: session.profile,
            tokens: session.tokens, instanceURL: service, reconnecting: accountID
        ) {
            do {
                try Bluesky.deleteSession(service: service, refreshJWT: session.tokens.refreshToken ?? "", http: setup.http)
            } catch {
                Log.warn("could not end a Bluesky session Herald did not keep", ["error": String(describing: error)])
            }
        }
    }
}
