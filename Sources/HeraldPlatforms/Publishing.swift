// Publishing one post target: what an adapter gets, what it answers, and the rules every adapter
// follows to decide an outcome from a platform's response. Each network has its own adapter
// (MastodonPublisher, BlueskyPublisher, …); herald-worker drives them.
public import HeraldContent
import HeraldSupport

/// Everything an adapter needs for one send, opened and ready: no database, no keyring.
public struct PublishRequest: Sendable {
    public let platform: Platform
    /// The account's id at the platform (Mastodon account id, Bluesky DID, X user id, LinkedIn
    /// member id, Reddit username).
    public let accountID: String
    public let handle: String
    /// The account's server (Mastodon instance, Bluesky PDS); nil for the central platforms.
    public let serverURL: String?
    public let accessToken: String
    public let text: String
    /// The post's title (Reddit needs one).
    public let title: String?
    /// Chosen and stored before the first call and sent with every try: Mastodon's Idempotency-Key,
    /// Bluesky's record key. Adapters that have no such thing ignore it.
    public let requestKey: String
    /// Seconds since the first try of this target was sent (0 for a first try): Mastodon keeps an
    /// Idempotency-Key for an hour, after which a reconcile must look instead of replaying.
    public let secondsSinceFirstSend: Int

    public init(
        platform: Platform, accountID: String, handle: String, serverURL: String?, accessToken: String, text: String, title: String?,
        requestKey: String, secondsSinceFirstSend: Int = 0
    ) {
        self.secondsSinceFirstSend = secondsSinceFirstSend
        self.platform = platform
        self.accountID = accountID
        self.handle = handle
        self.serverURL = serverURL
        self.accessToken = accessToken
        self.text = text
        self.title = title
        self.requestKey = requestKey
    }
}

/// What one call decided.
public enum PublishOutcome: Sendable, Equatable {
    /// Live: the platform's id for the post and its public address when known.
    case published(externalID: String, url: String?)
    /// Nothing was created and trying again may work (5xx, 429, the connection refused before
    /// sending). `waitSeconds`: the platform's own wait (its rate-limit reset), if it said one.
    case transient(reason: String, waitSeconds: Int?)
    /// Nothing was created and trying again will not help: the platform's own message.
    case permanent(reason: String)
    /// The token is refused (expired or revoked) and cannot be renewed here: reconnect the account.
    case reconnect(reason: String)
    /// The request may have been accepted: no answer, or a dropped connection after sending.
    /// Never send again blindly: reconcile first.
    case unknown(reason: String)
}

/// What asking the platform about an earlier, unanswered send found.
public enum ReconcileOutcome: Sendable, Equatable {
    /// The post is live: adopt it.
    case found(externalID: String, url: String?)
    /// The platform certainly has no such post: sending it now cannot make a second one.
    case notFound
    /// The platform could not tell now (unreachable, 5xx, 429): ask again later.
    case undecided(reason: String, waitSeconds: Int?)
    /// The token is refused: reconnect the account.
    case reconnect(reason: String)
}

/// One network's publishing. Adapters are stateless: all they know comes in the request.
public protocol PlatformPublisher: Sendable {
    /// Sends the post once.
    func publish(_ request: PublishRequest) -> PublishOutcome
    /// After an unknown outcome: is the post live? Mastodon replays its Idempotency-Key, Bluesky
    /// reads the record key, X and Reddit search the account's recent posts for the text.
    func reconcile(_ request: PublishRequest) -> ReconcileOutcome
}

/// The adapters, one per network Herald publishes to.
public struct Publishers: Sendable {
    public let http: HTTPFetch
    public let settings: PublishSettings

    public init(http: HTTPFetch, settings: PublishSettings) {
        self.http = http
        self.settings = settings
    }

    public func publisher(for platform: Platform) -> (any PlatformPublisher)? {
        switch platform {
        case .mastodon: return MastodonPublisher(http: http)
        case .bluesky: return BlueskyPublisher(http: http, serviceURL: settings.blueskyServiceURL)
        case .x: return XPublisher(http: http, apiURL: settings.xAPIURL)
        case .linkedin: return LinkedInPublisher(http: http, apiURL: settings.linkedinAPIURL, version: settings.linkedinVersion)
        case .reddit: return RedditPublisher(http: http, apiURL: settings.redditAPIURL)
        }
    }
}

/// Where the central platforms' APIs are, and LinkedIn's API version (overridable for the tests'
/// stand-in and for a version LinkedIn retires: it answers 426 to retired ones).
public struct PublishSettings: Sendable {
    public var xAPIURL: String
    public var linkedinAPIURL: String
    public var linkedinVersion: String
    public var redditAPIURL: String
    public var blueskyServiceURL: String

    public init(xAPIURL: String, linkedinAPIURL: String, linkedinVersion: String, redditAPIURL: String, blueskyServiceURL: String) {
        self.xAPIURL = xAPIURL
        self.linkedinAPIURL = linkedinAPIURL
        self.linkedinVersion = linkedinVersion
        self.redditAPIURL = redditAPIURL
        self.blueskyServiceURL = blueskyServiceURL
    }

    /// A LinkedIn-Version LinkedIn supports (each for at least a year: learn.microsoft.com/en-us/linkedin/marketing/versioning).
    public static let defaultLinkedInVersion = "202607"

    public static func fromEnvironment() throws -> PublishSettings {
        let env = Environment()
        return try load { try env.optional($0) }
    }

    /// Reads every variable through `value` (the environment, or a dictionary in tests) and validates it.
    public static func load(_ value: (String) throws -> String?) throws -> PublishSettings {
        func url(_ name: String, default fallback: String) throws -> String {
            guard var text = try value(name)?.trimmed else { return fallback }
            guard OAuthConfig.isHTTPURL(text) else { throw ConfigError(description: "\(name)=\(text) is not an http:// or https:// URL") }
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        let version = try value("HERALD_LINKEDIN_VERSION")?.trimmed ?? defaultLinkedInVersion
        guard isLinkedInVersion(version) else {
            throw ConfigError(description: "HERALD_LINKEDIN_VERSION=\(version) is not a LinkedIn API version like \(defaultLinkedInVersion) (YYYYMM)")
        }
        return PublishSettings(
            xAPIURL: try url("HERALD_X_API_URL", default: "https://api.x.com"),
            linkedinAPIURL: try url("HERALD_LINKEDIN_API_URL", default: "https://api.linkedin.com"),
            linkedinVersion: version,
            redditAPIURL: try url("HERALD_REDDIT_API_URL", default: "https://oauth.reddit.com"),
            blueskyServiceURL: try OAuthConfig.blueskyServiceURL(value))
    }

    /// `YYYYMM`, or `YYYYMM.NN` for a patch release (202508.02), from LinkedIn's first (202206) on.
    static func isLinkedInVersion(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: /(\d{4})(\d{2})(\.\d{2})?/), let year = Int(match.output.1), let month = Int(match.output.2) else {
            return false
        }
        return (1...12).contains(month) && year * 100 + month >= 202206
    }
}

/// Shared reading of responses.
enum Outcomes {
    /// A failed call that produced no HTTP answer.
    static func noAnswer(_ error: FetchError, _ platform: Platform) -> PublishOutcome {
        switch error {
        case .badURL: return .permanent(reason: error.description)
        case .notSent: return .transient(reason: "\(platform.label) could not be reached: \(error.description)", waitSeconds: nil)
        case .unreachable: return .unknown(reason: "no answer from \(platform.label) after sending: \(error.description)")
        }
    }

    /// 5xx and 429 are worth another try; the rest are the platform's final word.
    static func isTransient(_ status: Int) -> Bool { status == 429 || status >= 500 || status == 408 }

    /// Seconds until an ISO 8601 time (`2026-11-29T17:00:00.000Z`), from now; nil if unparseable.
    static func secondsUntil(iso8601 text: String, now: Int) -> Int? {
        guard let instant = ISO8601.seconds(text) else { return nil }
        return max(0, instant - now)
    }

    /// A short message from a platform's error body.
    static func message(_ response: FetchResponse, keys: [String] = ["error_description", "error", "message", "detail", "title"]) -> String {
        if let json = response.json {
            for key in keys { if let text = json.string(key), !text.isEmpty { return text } }
        }
        let snippet = response.snippet.trimmed
        return snippet.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(snippet)"
    }
}
