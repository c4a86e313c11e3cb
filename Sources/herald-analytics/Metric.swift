// The counters analytics shows, what each platform reports, and what "engagement" adds up.
import HeraldContent

enum Metric: String, CaseIterable, Sendable {
    case views, likes, comments, shares, quotes, saves, score

    var label: String {
        switch self {
        case .views: return "Views"
        case .likes: return "Likes"
        case .comments: return "Replies"
        case .shares: return "Shares"
        case .quotes: return "Quotes"
        case .saves: return "Saves"
        case .score: return "Score"
        }
    }

    /// The counters each platform's API reports for a post (MastodonMetrics, BlueskyMetrics, …):
    /// anything else is "not available from this platform", never 0. LinkedIn's need the
    /// r_member_social (or organization) scope. A counter reported anyway (Mastodon 4.5 sends
    /// quotes_count) is shown.
    static func reported(by platform: Platform?, scopes: String) -> Set<Metric> {
        switch platform {
        case .mastodon: return [.likes, .comments, .shares]
        case .bluesky: return [.likes, .comments, .shares, .quotes]
        case .x: return [.views, .likes, .comments, .shares, .quotes, .saves]
        case .reddit: return [.comments, .score]
        case .linkedin:
            let granted = scopes.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            return granted.contains("r_member_social") || granted.contains("r_organization_social") ? [.likes, .comments] : []
        case nil: return []
        }
    }

    /// Whether the platform gives follower counts (LinkedIn only for organization pages).
    static func followersReported(by platform: Platform?) -> Bool {
        switch platform {
        case .mastodon, .bluesky, .x, .reddit: return true
        case .linkedin, nil: return false
        }
    }

    /// What engagement adds up: every interaction a platform counts (views are reach, not engagement).
    static let engagement: [Metric] = [.likes, .comments, .shares, .quotes, .saves, .score]
}

/// One value per metric; nil where nothing reported it.
struct Counts: Sendable, Equatable {
    var values: [Metric: Int] = [:]

    subscript(_ metric: Metric) -> Int? { values[metric] }

    /// Likes, replies, shares, quotes, saves and Reddit's score together.
    var engagement: Int { Metric.engagement.reduce(0) { $0 + (values[$1] ?? 0) } }

    /// Adds `other`, keeping nil only where both are nil.
    mutating func add(_ other: Counts) {
        for (metric, value) in other.values { values[metric] = (values[metric] ?? 0) + value }
    }
}
