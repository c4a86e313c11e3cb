// What herald-channels needs beyond the shared Services: the platforms' configuration and the
// outbound HTTP client, read once at start (a bad value stops the program with its name).
import Glibc
import HeraldContent
import HeraldPlatforms
import HeraldSupport
import HeraldWeb

struct ChannelSetup: Sendable {
    let oauth: OAuthConfig
    let http: HTTPFetch

    static let shared: ChannelSetup = {
        do {
            let oauth = try OAuthConfig.fromEnvironment()
            let configured = [Platform.x, .linkedin, .reddit].filter { oauth.client($0)?.isConfigured == true }.map(\.rawValue)
            Log.info(
                "platforms",
                [
                    "configured": configured.isEmpty ? "none" : configured.joined(separator: ","),
                    "mastodon_instances": oauth.mastodonInstances.isEmpty ? "any public" : oauth.mastodonInstances.joined(separator: ","),
                    "bluesky": oauth.blueskyServiceURL,
                ])
            return ChannelSetup(oauth: oauth, http: HTTPFetch(timeoutSeconds: Double(oauth.timeoutSeconds)))
        } catch {
            Log.error("cannot start herald-channels: \(error)")
            exit(1)
        }
    }()

    /// Reads the configuration now, so a mistake stops the program before it serves.
    static func load() { _ = shared }
}

extension RequestContext {
    /// The redirect URI registered with `platform`: HERALD_BASE_URL + /oauth/{platform}/callback.
    func redirectURI(_ platform: Platform) -> String { OAuthConfig.redirectURI(platform, baseURL: config.baseURL) }
}
