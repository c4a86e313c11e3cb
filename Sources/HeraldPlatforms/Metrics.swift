// Reading what became of published posts: one post's counters (likes, replies, reposts, …) and the
// account's follower count, as each platform reports them, for herald-worker's metrics runs. Each
// network has its own reader (MastodonMetrics, BlueskyMetrics, …); like the publishers they are
// stateless and get all they need in the request. A counter a platform does not report stays nil.
public import HeraldContent

/// Counters as the platform reported them; nil = this platform (or this token's scope) does not report it. Never 0 for "unknown".
public struct PostMetricsSnapshot: Sendable, Equatable {
    /// X impression_count.
    public var views: Int64?
    /// Mastodon favourites_count, Bluesky likeCount, X like_count, LinkedIn likes.
    public var likes: Int64?
    /// Replies: Mastodon replies_count, Bluesky replyCount, X reply_count, LinkedIn comments, Reddit num_comments.
    public var comments: Int64?
    /// Mastodon reblogs_count, Bluesky repostCount, X retweet_count.
    public var shares: Int64?
    /// Link clicks, where a platform reports them (none of the endpoints read here does).
    public var clicks: Int64?
    /// Bluesky quoteCount, X quote_count, Mastodon quotes_count when the server sends it.
    public var quotes: Int64?
    /// X bookmark_count, Bluesky bookmarkCount when the AppView sends it.
    public var saves: Int64?
    /// Reddit score (may be negative).
    public var score: Int64?

    public init(
        views: Int64? = nil, likes: Int64? = nil, comments: Int64? = nil, shares: Int64? = nil, clicks: Int64? = nil, quotes: Int64? = nil,
        saves: Int64? = nil, score: Int64? = nil
    ) {
        self.views = views
        self.likes = likes
        self.comments = comments
        self.shares = shares
        self.clicks = clicks
        self.quotes = quotes
        self.saves = saves
        self.score = score
    }
}

/// What reading one post's counters found.
public enum MetricsOutcome: Sendable, Equatable {
    case counts(PostMetricsSnapshot)
    /// The post no longer exists at the platform (404, or absent from the answer): stop fetching it.
    case gone(reason: String)
    /// The platform, or this token's scope, gives no metrics (LinkedIn's 403 without r_member_social):
    /// stop, and show "not available".
    case unavailable(reason: String)
    /// 5xx, 429, a timeout, no answer: try later. `waitSeconds`: the platform's rate-limit reset or
    /// Retry-After, when it gave one.
    case transient(reason: String, waitSeconds: Int?)
    /// 401: the token is refused.
    case reconnect(reason: String)
}

/// What reading the account's follower count found.
public enum FollowersOutcome: Sendable, Equatable {
    case count(Int64)
    case unavailable(reason: String)
    case transient(reason: String, waitSeconds: Int?)
    case reconnect(reason: String)
}

/// Everything a reader needs for one call, opened and ready: no database, no keyring.
public struct MetricsRequest: Sendable {
    public let platform: Platform
    /// As stored (PublishRequest.accountID has the same meaning).
    public let accountID: String
    public let handle: String
    /// The account's server (Mastodon instance, Bluesky PDS); nil for the central platforms.
    public let serverURL: String?
    public let accessToken: String
    /// post_targets.external_post_id as the publishers store it (Mastodon: the status id, Bluesky: the
    /// at:// URI, X: the post id, LinkedIn: the URN, Reddit: the t3_ fullname); "" for follower calls.
    public let externalPostID: String

    public init(platform: Platform, accountID: String, handle: String, serverURL: String?, accessToken: String, externalPostID: String) {
        self.platform = platform
        self.accountID = accountID
        self.handle = handle
        self.serverURL = serverURL
        self.accessToken = accessToken
        self.externalPostID = externalPostID
    }
}

/// One network's metrics. Each call is one read (Mastodon: two when the token may not read statuses);
/// reading again is always safe.
public protocol PlatformMetricsReader: Sendable {
    func postMetrics(_ request: MetricsRequest) -> MetricsOutcome
    func followers(_ request: MetricsRequest) -> FollowersOutcome
}

extension Publishers {
    public func metricsReader(for platform: Platform) -> any PlatformMetricsReader {
        switch platform {
        case .mastodon: return MastodonMetrics(http: http)
        case .bluesky: return BlueskyMetrics(http: http, serviceURL: settings.blueskyServiceURL)
        case .x: return XMetrics(http: http, apiURL: settings.xAPIURL)
        case .linkedin: return LinkedInMetrics(http: http, apiURL: settings.linkedinAPIURL, version: settings.linkedinVersion)
        case .reddit: return RedditMetrics(http: http, apiURL: settings.redditAPIURL)
        }
    }
}

/// A read that brought no counts, the same for a post and for the follower count; the readers throw
/// it so that each reads as "fetch, check, take the numbers".
enum MetricsFailure: Error, Sendable, Equatable {
    case gone(String)
    case unavailable(String)
    case transient(String, waitSeconds: Int?)
    case reconnect(String)

    var post: MetricsOutcome {
        switch self {
        case .gone(let reason): return .gone(reason: reason)
        case .unavailable(let reason): return .unavailable(reason: reason)
        case .transient(let reason, let wait): return .transient(reason: reason, waitSeconds: wait)
        case .reconnect(let reason): return .reconnect(reason: reason)
        }
    }

    /// An account has no "gone": a follower call that finds nothing has nothing to show.
    var followers: FollowersOutcome {
        switch self {
        case .gone(let reason), .unavailable(let reason): return .unavailable(reason: reason)
        case .transient(let reason, let wait): return .transient(reason: reason, waitSeconds: wait)
        case .reconnect(let reason): return .reconnect(reason: reason)
        }
    }
}

extension Outcomes {
    /// A GET for a reader: no answer is worth another try (a read changes nothing at the platform).
    static func read(_ http: HTTPFetch, _ url: String, headers: [(String, String)] = [], bearer: String?, _ platform: Platform)
        throws(MetricsFailure) -> FetchResponse
    {
        do {
            return try http.send("GET", url, headers: (bearer.map { [("Authorization", "Bearer " + $0)] } ?? []) + headers)
        } catch {
            throw unanswered(error, platform)
        }
    }

    /// A read that produced no HTTP answer.
    static func unanswered(_ error: FetchError, _ platform: Platform) -> MetricsFailure {
        if case .badURL = error { return .unavailable(error.description) }
        return .transient("\(platform.label) could not be reached: \(error.description)", waitSeconds: nil)
    }

    /// What the statuses every platform uses alike mean for a read: 401 the token, 403 a permission
    /// this token lacks, 404 and 410 a post that is gone, 408/429/5xx later; any other refusal will
    /// not change by asking again.
    static func refusal(_ response: FetchResponse, _ platform: Platform, message: String, waitSeconds: Int?) -> MetricsFailure {
        switch response.status {
        case 401: return .reconnect("\(platform.label) refused the token: \(message). Reconnect this account.")
        case 403: return .unavailable("\(platform.label) does not let this connection read it: \(message)")
        case 404, 410: return .gone("\(platform.label) no longer has it: \(message)")
        case let status where isTransient(status):
            return .transient("\(platform.label) answered \(status): \(message)", waitSeconds: waitSeconds)
        default: return .unavailable("\(platform.label) answered \(response.status): \(message)")
        }
    }

    /// A 200 whose body is not the JSON the platform documents (a proxy's page, a cut-off answer).
    static func unreadable(_ response: FetchResponse, _ platform: Platform) -> MetricsFailure {
        .transient("\(platform.label)'s answer could not be read: \(response.snippet)", waitSeconds: nil)
    }
}

extension JSONObject {
    /// A counter: a whole number, or nil when absent or null (never 0 for "not sent").
    func counter(_ key: String) -> Int64? { int(key).map(Int64.init) }
}
