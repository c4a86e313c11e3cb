// Bluesky: a post's counters from app.bsky.feed.getPosts (likeCount, repostCount, replyCount,
// quoteCount, and bookmarkCount where the AppView sends it), the follower count from
// app.bsky.actor.getProfile (followersCount). Both are AppView methods, asked of the account's PDS
// with its access JWT, as BlueskyPublisher does; the PDS passes them on (service proxying, as the
// getPosts page says of authenticated requests).
//   docs.bsky.app/docs/api/app-bsky-feed-get-posts, docs.bsky.app/docs/api/app-bsky-actor-get-profile
//   docs.bsky.app/docs/advanced-guides/rate-limits (RateLimit-Reset: a Unix time in seconds)
// getPosts leaves out a post that no longer exists (a deleted record) instead of refusing: that is gone.
import HeraldContent
import HeraldSupport

struct BlueskyMetrics: PlatformMetricsReader {
    let http: HTTPFetch
    /// The server of accounts that have none of their own (HERALD_BLUESKY_SERVICE_URL).
    let serviceURL: String

    func postMetrics(_ request: MetricsRequest) -> MetricsOutcome {
        let url = server(request) + "/xrpc/app.bsky.feed.getPosts?uris=" + HTTPFetch.formComponent(request.externalPostID)
        do {
            return .counts(try counts(Outcomes.read(http, url, bearer: request.accessToken, .bluesky), uri: request.externalPostID))
        } catch {
            return error.post
        }
    }

    func followers(_ request: MetricsRequest) -> FollowersOutcome {
        let url = server(request) + "/xrpc/app.bsky.actor.getProfile?actor=" + HTTPFetch.formComponent(request.accountID)
        do {
            return .count(try followerCount(Outcomes.read(http, url, bearer: request.accessToken, .bluesky)))
        } catch {
            return error.followers
        }
    }

    func counts(_ response: FetchResponse, uri: String) throws(MetricsFailure) -> PostMetricsSnapshot {
        guard response.status == 200 else { throw refusal(response) }
        guard let json = response.json else { throw Outcomes.unreadable(response, .bluesky) }
        guard let post = json.objects("posts").first(where: { $0.string("uri") == uri }) else {
            throw .gone("Bluesky no longer has this post (getPosts does not list it)")
        }
        return PostMetricsSnapshot(
            likes: post.counter("likeCount"), comments: post.counter("replyCount"), shares: post.counter("repostCount"),
            quotes: post.counter("quoteCount"), saves: post.counter("bookmarkCount"))
    }

    func followerCount(_ response: FetchResponse) throws(MetricsFailure) -> Int64 {
        guard response.status == 200 else { throw refusal(response) }
        guard let profile = response.json else { throw Outcomes.unreadable(response, .bluesky) }
        guard let count = profile.counter("followersCount") else { throw .unavailable("Bluesky did not say the account's follower count") }
        return count
    }

    /// XRPC errors: an expired or invalid access JWT comes as a 400 with its error name, as for
    /// publishing; any other 400 (a profile not found, an account taken down) will not change by asking again.
    func refusal(_ response: FetchResponse) -> MetricsFailure {
        let publisher = BlueskyPublisher(http: http, serviceURL: serviceURL)
        let code = response.json?.string("error")
        if code == "ExpiredToken" || code == "InvalidToken" {
            return .reconnect("Bluesky refused the session: \(publisher.message(response)). Reconnect this account.")
        }
        return Outcomes.refusal(response, .bluesky, message: publisher.message(response), waitSeconds: publisher.waitSeconds(response))
    }

    func server(_ request: MetricsRequest) -> String {
        var server = request.serverURL ?? serviceURL
        while server.hasSuffix("/") { server.removeLast() }
        return server
    }
}
