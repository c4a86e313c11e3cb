// X: a post's public_metrics from GET /2/tweets/:id?tweet.fields=public_metrics (impression_count,
// like_count, reply_count, retweet_count, quote_count, bookmark_count), the follower count from
// GET /2/users/me?user.fields=public_metrics (followers_count). Both with the account's user token
// (tweet.read and users.read, which Herald asks for). A deleted post is a 404, or a 200 whose errors
// name it a "Not Found Error" (resource-not-found) without data: gone either way.
//   docs.x.com/x-api/posts/lookup/integrate (deleted posts), docs.x.com/x-api/fundamentals/fields
//   docs.x.com/x-api/users/lookup/quickstart/authenticated-lookup (public_metrics of /2/users/me)
//   docs.x.com/x-api/fundamentals/response-codes-and-errors (partial errors in a 200)
//   docs.x.com/fundamentals/rate-limits (x-rate-limit-reset: a Unix time in seconds)
import HeraldContent
import HeraldSupport

struct XMetrics: PlatformMetricsReader {
    let http: HTTPFetch
    let apiURL: String

    static let notFoundType = "https://api.twitter.com/2/problems/resource-not-found"

    func postMetrics(_ request: MetricsRequest) -> MetricsOutcome {
        let url = apiURL + "/2/tweets/" + HTTPFetch.formComponent(request.externalPostID) + "?tweet.fields=public_metrics"
        do {
            return .counts(try counts(Outcomes.read(http, url, bearer: request.accessToken, .x)))
        } catch {
            return error.post
        }
    }

    func followers(_ request: MetricsRequest) -> FollowersOutcome {
        do {
            return .count(try followerCount(Outcomes.read(http, apiURL + "/2/users/me?user.fields=public_metrics", bearer: request.accessToken, .x)))
        } catch {
            return error.followers
        }
    }

    func counts(_ response: FetchResponse) throws(MetricsFailure) -> PostMetricsSnapshot {
        let metrics = try publicMetrics(response, of: "post")
        return PostMetricsSnapshot(
            views: metrics.counter("impression_count"), likes: metrics.counter("like_count"), comments: metrics.counter("reply_count"),
            shares: metrics.counter("retweet_count"), quotes: metrics.counter("quote_count"), saves: metrics.counter("bookmark_count"))
    }

    func followerCount(_ response: FetchResponse) throws(MetricsFailure) -> Int64 {
        guard let count = try publicMetrics(response, of: "account").counter("followers_count") else {
            throw .unavailable("X did not say the account's follower count")
        }
        return count
    }

    /// `data.public_metrics` of a lookup; a 200 without data carries the reason in `errors`.
    func publicMetrics(_ response: FetchResponse, of thing: String) throws(MetricsFailure) -> JSONObject {
        let publisher = XPublisher(http: http, apiURL: apiURL)
        guard response.status == 200 else {
            throw Outcomes.refusal(response, .x, message: publisher.message(response), waitSeconds: publisher.waitSeconds(response))
        }
        guard let json = response.json else { throw Outcomes.unreadable(response, .x) }
        guard let data = json.object("data") else {
            let errors = json.objects("errors")
            if errors.contains(where: { $0.string("type") == XMetrics.notFoundType || $0.string("title") == "Not Found Error" }) {
                throw .gone("X no longer has this \(thing): \(publisher.message(response))")
            }
            guard errors.isEmpty else { throw .unavailable("X does not show this \(thing): \(publisher.message(response))") }
            throw Outcomes.unreadable(response, .x)
        }
        guard let metrics = data.object("public_metrics") else { throw .unavailable("X sent no public_metrics for this \(thing)") }
        return metrics
    }
}
