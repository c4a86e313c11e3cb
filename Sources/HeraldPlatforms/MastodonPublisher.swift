// Mastodon: POST /api/v1/statuses on the account's server, with an Idempotency-Key the server keeps
// for an hour (docs.joinmastodon.org/methods/statuses/#create), so replaying the same key within
// that hour cannot make a second status. Rate limits: X-RateLimit-Remaining and X-RateLimit-Reset
// (an ISO 8601 time; docs.joinmastodon.org/api/rate-limits/).
import HeraldContent
import HeraldSupport

struct MastodonPublisher: PlatformPublisher {
    let http: HTTPFetch
    /// Mastodon keeps an Idempotency-Key for an hour; replay only well inside it.
    static let replayWindowSeconds = 50 * 60

    func publish(_ request: PublishRequest) -> PublishOutcome {
        guard let server = request.serverURL else { return .permanent(reason: "This Mastodon account has no server address: connect it again.") }
        let response: FetchResponse
        do {
            response = try http.send(
                "POST", server + "/api/v1/statuses",
                headers: [
                    ("Authorization", "Bearer " + request.accessToken), ("Idempotency-Key", request.requestKey),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ],
                body: Array(HTTPFetch.formEncode([("status", request.text), ("visibility", "public")]).utf8))
        } catch {
            return Outcomes.noAnswer(error, .mastodon)
        }
        return outcome(response)
    }

    func outcome(_ response: FetchResponse) -> PublishOutcome {
        switch response.status {
        case 200, 201:
            guard let json = response.json, let id = json.string("id") else {
                return .unknown(reason: "Mastodon accepted the status but its answer has no id: \(response.snippet)")
            }
            return .published(externalID: id, url: json.string("url") ?? json.string("uri"))
        case 401:
            return .reconnect(reason: "Mastodon refused the token: \(Outcomes.message(response)). Reconnect this account.")
        case 429:
            return .transient(reason: "Mastodon's rate limit: \(Outcomes.message(response))", waitSeconds: waitSeconds(response))
        case let status where Outcomes.isTransient(status):
            return .transient(reason: "Mastodon answered \(status): \(Outcomes.message(response))", waitSeconds: waitSeconds(response))
        default:
            return .permanent(reason: "Mastodon refused the status: \(Outcomes.message(response))")
        }
    }

    /// Seconds until X-RateLimit-Reset when the limit is used up.
    func waitSeconds(_ response: FetchResponse) -> Int? {
        guard response.status == 429 || response.header("X-RateLimit-Remaining") == "0",
            let reset = response.header("X-RateLimit-Reset")
        else { return nil }
        return Outcomes.secondsUntil(iso8601: reset, now: ISO8601.now())
    }

    /// Within the hour the server keeps the key, the same request again answers the status it made
    /// (or makes it now, once). Later, the account's recent statuses are searched for the text.
    func reconcile(_ request: PublishRequest) -> ReconcileOutcome {
        if request.secondsSinceFirstSend < MastodonPublisher.replayWindowSeconds { return Outcomes.reconciled(publish(request)) }
        guard let server = request.serverURL else { return .undecided(reason: "no server address", waitSeconds: nil) }
        let response: FetchResponse
        do {
            response = try http.get(
                server
                    + "/api/v1/accounts/\(HTTPFetch.formComponent(MastodonPublisher.localID(request.accountID)))/statuses?limit=40&exclude_replies=true&exclude_reblogs=true",
                bearer: request.accessToken)
        } catch {
            return .undecided(reason: error.description, waitSeconds: nil)
        }
        guard response.status == 200, let statuses = JSONObject.array(parsing: response.body) else {
            if response.status == 401 { return .reconnect(reason: "Mastodon refused the token. Reconnect this account.") }
            return .undecided(reason: "Mastodon answered \(response.status) to the status list", waitSeconds: waitSeconds(response))
        }
        let wanted = PlainText.normalized(request.text)
        for status in statuses where PlainText.normalized(PlainText.fromHTML(status.string("content") ?? "")) == wanted {
            if let id = status.string("id") { return .found(externalID: id, url: status.string("url")) }
        }
        return .notFound
    }
}

extension MastodonPublisher {
    /// Herald stores a Mastodon account as `id@host` (ids are per server); the API wants the id.
    static func localID(_ accountID: String) -> String { String(accountID.split(separator: "@").first ?? Substring(accountID)) }
}
