// Mastodon: a status's counters from GET /api/v1/statuses/:id on the account's server
// (favourites_count, reblogs_count, replies_count, and quotes_count from Mastodon 4.5 on), the
// follower count from GET /api/v1/accounts/verify_credentials (followers_count).
//   docs.joinmastodon.org/methods/statuses/#get, docs.joinmastodon.org/entities/Status/
//   docs.joinmastodon.org/methods/accounts/#verify_credentials, docs.joinmastodon.org/api/rate-limits/
// Herald asks for read:accounts but not read:statuses (HERALD_MASTODON_SCOPES), and Mastodon refuses
// a token without it any status with 403, public or not. Herald's statuses are public, so on a 403
// the status is read again without the token, as anyone can (unless the server closes its API to
// visitors: then the counts are not available to this connection).
import HeraldContent
import HeraldSupport

struct MastodonMetrics: PlatformMetricsReader {
    let http: HTTPFetch

    func postMetrics(_ request: MetricsRequest) -> MetricsOutcome {
        do {
            return .counts(try counts(status(request)))
        } catch {
            return error.post
        }
    }

    func followers(_ request: MetricsRequest) -> FollowersOutcome {
        do {
            let response = try Outcomes.read(
                http, try server(request) + "/api/v1/accounts/verify_credentials", bearer: request.accessToken, .mastodon)
            return .count(try followerCount(response))
        } catch {
            return error.followers
        }
    }

    /// The status as the token may see it, else as a visitor sees it.
    func status(_ request: MetricsRequest) throws(MetricsFailure) -> FetchResponse {
        let url = try server(request) + "/api/v1/statuses/" + HTTPFetch.formComponent(request.externalPostID)
        let response = try Outcomes.read(http, url, bearer: request.accessToken, .mastodon)
        guard response.status == 403 else { return response }
        let visitor = try Outcomes.read(http, url, bearer: nil, .mastodon)
        if visitor.status == 401 || visitor.status == 403 {
            throw .unavailable(
                "Mastodon shows this server's statuses only to connections with the read:statuses permission, which this one lacks "
                    + "(\(Outcomes.message(response))). Add read:statuses to HERALD_MASTODON_SCOPES and reconnect the account.")
        }
        return visitor
    }

    func counts(_ response: FetchResponse) throws(MetricsFailure) -> PostMetricsSnapshot {
        guard response.status == 200 else { throw refusal(response) }
        guard let status = response.json, status.string("id") != nil else { throw Outcomes.unreadable(response, .mastodon) }
        return PostMetricsSnapshot(
            likes: status.counter("favourites_count"), comments: status.counter("replies_count"), shares: status.counter("reblogs_count"),
            quotes: status.counter("quotes_count"))
    }

    func followerCount(_ response: FetchResponse) throws(MetricsFailure) -> Int64 {
        guard response.status == 200 else { throw refusal(response) }
        guard let account = response.json else { throw Outcomes.unreadable(response, .mastodon) }
        guard let count = account.counter("followers_count") else { throw .unavailable("Mastodon did not say the account's follower count") }
        return count
    }

    func refusal(_ response: FetchResponse) -> MetricsFailure {
        Outcomes.refusal(response, .mastodon, message: Outcomes.message(response), waitSeconds: MastodonPublisher(http: http).waitSeconds(response))
    }

    func server(_ request: MetricsRequest) throws(MetricsFailure) -> String {
        guard var server = request.serverURL?.trimmed, !server.isEmpty else {
            throw .unavailable("This Mastodon account has no server address: connect it again.")
        }
        while server.hasSuffix("/") { server.removeLast() }
        return server
    }
}
