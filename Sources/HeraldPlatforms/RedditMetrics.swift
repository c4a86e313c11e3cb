// Reddit: a post's score and comment count from GET /api/info?id=<t3_ fullname> (a Listing whose
// child is the post; a post Reddit no longer has is left out, and one its author deleted stays with
// removed_by_category "deleted": gone either way), the follower count from GET /api/v1/me
// (subreddit.subscribers: the followers of the user's profile, which older accounts may not have).
// Reddit sends no likes apart from the score (`likes` there is the reader's own vote) and no views.
//   www.reddit.com/dev/api#GET_api_info (scope read), www.reddit.com/dev/api#GET_api_v1_me (scope identity)
//   support.reddithelp.com/hc/en-us/articles/16160319875092-Reddit-Data-API-Wiki (x-ratelimit-reset:
//   the seconds left in the current period)
import HeraldContent
import HeraldSupport

struct RedditMetrics: PlatformMetricsReader {
    let http: HTTPFetch
    let apiURL: String

    func postMetrics(_ request: MetricsRequest) -> MetricsOutcome {
        let fullname = RedditMetrics.fullname(request.externalPostID)
        let url = apiURL + "/api/info?id=" + HTTPFetch.formComponent(fullname) + "&raw_json=1"
        do {
            return .counts(try counts(Outcomes.read(http, url, bearer: request.accessToken, .reddit), fullname: fullname))
        } catch {
            return error.post
        }
    }

    func followers(_ request: MetricsRequest) -> FollowersOutcome {
        do {
            return .count(try followerCount(Outcomes.read(http, apiURL + "/api/v1/me?raw_json=1", bearer: request.accessToken, .reddit)))
        } catch {
            return error.followers
        }
    }

    func counts(_ response: FetchResponse, fullname: String) throws(MetricsFailure) -> PostMetricsSnapshot {
        guard response.status == 200 else { throw refusal(response) }
        guard let listing = response.json?.object("data") else { throw Outcomes.unreadable(response, .reddit) }
        let posts = listing.objects("children").compactMap { $0.object("data") }
        guard let post = posts.first(where: { $0.string("name") == fullname }) else {
            throw .gone("Reddit no longer has this post (api/info does not list it)")
        }
        if post.string("removed_by_category") == "deleted" { throw .gone("The post was deleted on Reddit") }
        return PostMetricsSnapshot(comments: post.counter("num_comments"), score: post.counter("score"))
    }

    func followerCount(_ response: FetchResponse) throws(MetricsFailure) -> Int64 {
        guard response.status == 200 else { throw refusal(response) }
        guard let me = response.json else { throw Outcomes.unreadable(response, .reddit) }
        guard let count = me.object("subreddit")?.counter("subscribers") else {
            throw .unavailable("This Reddit account has no profile page that people can follow")
        }
        return count
    }

    func refusal(_ response: FetchResponse) -> MetricsFailure {
        let publisher = RedditPublisher(http: http, apiURL: apiURL)
        let wait = response.status == 429 ? publisher.resetSeconds(response) : Outcomes.retryAfter(response)
        return Outcomes.refusal(response, .reddit, message: publisher.message(response), waitSeconds: wait)
    }

    /// The publishers store the t3_ fullname; a bare id is one too.
    static func fullname(_ id: String) -> String { id.hasPrefix("t3_") ? id : "t3_" + id }
}
