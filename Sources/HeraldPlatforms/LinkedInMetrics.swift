// LinkedIn: a post's likes and comments from GET /rest/socialActions/{post URN, URL-encoded}
// (likesSummary.totalLikes, commentsSummary.aggregatedTotalComments: comments and their replies),
// with the LinkedIn-Version and Rest.li 2.0.0 headers LinkedInPublisher sends. Reading them needs
// r_member_social, which LinkedIn grants select partners only and Herald does not ask for: without
// it LinkedIn answers 403, and the counts are not available (not "zero"). LinkedIn reports neither
// reshares nor impressions there. Follower counts exist for organization pages only
// (organizationalEntityFollowerStatistics, networkSizes); Herald connects members.
//   learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/network-update-social-actions
//   learn.microsoft.com/en-us/linkedin/marketing/versioning (a retired version answers 426)
//   learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling
import HeraldContent
import HeraldSupport

struct LinkedInMetrics: PlatformMetricsReader {
    let http: HTTPFetch
    let apiURL: String
    /// LinkedIn-Version, YYYYMM (HERALD_LINKEDIN_VERSION).
    let version: String

    func postMetrics(_ request: MetricsRequest) -> MetricsOutcome {
        let url = apiURL + "/rest/socialActions/" + HTTPFetch.formComponent(request.externalPostID)
        let headers = [("LinkedIn-Version", version), ("X-Restli-Protocol-Version", "2.0.0")]
        do {
            return .counts(try counts(Outcomes.read(http, url, headers: headers, bearer: request.accessToken, .linkedin)))
        } catch {
            return error.post
        }
    }

    func followers(_ request: MetricsRequest) -> FollowersOutcome {
        .unavailable(reason: "LinkedIn gives follower counts for organization pages only")
    }

    func counts(_ response: FetchResponse) throws(MetricsFailure) -> PostMetricsSnapshot {
        let message = LinkedInPublisher(http: http, apiURL: apiURL, version: version).message(response)
        switch response.status {
        case 200:
            guard let json = response.json else { throw Outcomes.unreadable(response, .linkedin) }
            let likes = json.object("likesSummary")
            let comments = json.object("commentsSummary")
            return PostMetricsSnapshot(
                likes: likes?.counter("totalLikes") ?? likes?.counter("aggregatedTotalLikes"),
                comments: comments?.counter("aggregatedTotalComments") ?? comments?.counter("totalFirstLevelComments"))
        case 403:
            throw .unavailable(
                "LinkedIn shows a post's likes and comments only to apps it has granted r_member_social, which it gives select partners: \(message)")
        case 426:
            // Worth another try once HERALD_LINKEDIN_VERSION names a current version.
            throw .transient(
                "LinkedIn no longer accepts API version \(version), which HERALD_LINKEDIN_VERSION names: set it to a current version (YYYYMM) "
                    + "and restart herald-worker. LinkedIn said: \(message)", waitSeconds: nil)
        default:
            throw Outcomes.refusal(response, .linkedin, message: message, waitSeconds: Outcomes.retryAfter(response))
        }
    }
}
