// X: POST /2/tweets with {"text"} (201 {"data": {"id", "text"}}). X has no idempotency key, so a
// post whose answer was lost is found again in the account's recent posts (GET /2/users/:id/tweets),
// by its text with the links left out (X shows each one as a t.co address). X refuses a text the
// account already posted (403 "duplicate content"): that post is looked up and adopted.
//   docs.x.com/x-api/posts/manage-tweets/quickstart, docs.x.com/x-api/posts/timelines/introduction
//   docs.x.com/x-api/fundamentals/response-codes-and-errors (RFC 7807 problems: title, detail)
//   docs.x.com/fundamentals/rate-limits (x-rate-limit-reset: a Unix time in seconds)
import HeraldContent
import HeraldSupport

struct XPublisher: PlatformPublisher {
    let http: HTTPFetch
    let apiURL: String
    /// How far before the first try a post found by its text may have been made (clock skew, and
    /// the time between X creating a post and answering).
    static let slackSeconds = 15 * 60

    func publish(_ request: PublishRequest) -> PublishOutcome {
        let response: FetchResponse
        do {
            response = try http.send(
                "POST", apiURL + "/2/tweets",
                headers: [("Authorization", "Bearer " + request.accessToken), ("Content-Type", "application/json")],
                body: Outcomes.json(["text": request.text]))
        } catch {
            return Outcomes.noAnswer(error, .x)
        }
        return outcome(response, request)
    }

    func outcome(_ response: FetchResponse, _ request: PublishRequest) -> PublishOutcome {
        switch response.status {
        case 200, 201:
            guard let id = response.json?.object("data")?.string("id") else {
                return .unknown(reason: "X accepted the post but its answer has no id: \(response.snippet)")
            }
            return .published(externalID: id, url: postURL(request, id))
        case 401:
            return .reconnect(reason: "X refused the token: \(message(response)). Reconnect this account.")
        case 403 where message(response).lowercased().contains("duplicate"):
            // Already posted: by an earlier try of this post, or by hand before it.
            switch lookUp(request) {
            case .found(let id, let url): return .published(externalID: id, url: url)
            case .notFound: return .permanent(reason: "X refused the post: \(message(response))")
            case .reconnect(let reason): return .reconnect(reason: reason)
            case .undecided(let reason, let wait): return .transient(reason: "X says the post is a duplicate; \(reason)", waitSeconds: wait)
            }
        case 429:
            return .transient(reason: "X's rate limit: \(message(response))", waitSeconds: waitSeconds(response))
        case let status where Outcomes.isTransient(status):
            return .transient(reason: "X answered \(status): \(message(response))", waitSeconds: waitSeconds(response))
        default:
            return .permanent(reason: "X refused the post: \(message(response))")
        }
    }

    func reconcile(_ request: PublishRequest) -> ReconcileOutcome { lookUp(request) }

    /// The account's last 20 posts, searched for this text, made since shortly before the first try.
    func lookUp(_ request: PublishRequest) -> ReconcileOutcome {
        let url = apiURL + "/2/users/\(HTTPFetch.formComponent(request.accountID))/tweets?max_results=20&tweet.fields=created_at"
        let response: FetchResponse
        do {
            response = try http.get(url, bearer: request.accessToken)
        } catch {
            return .undecided(reason: error.description, waitSeconds: nil)
        }
        if response.status == 401 { return .reconnect(reason: "X refused the token: \(message(response)). Reconnect this account.") }
        guard response.status == 200, let json = response.json else {
            return .undecided(
                reason: "X answered \(response.status) to the account's posts: \(message(response))", waitSeconds: waitSeconds(response))
        }
        let posts = json.objects("data")
        if posts.isEmpty && json.object("meta") == nil {
            return .undecided(reason: "X did not list the account's posts: \(message(response))", waitSeconds: nil)
        }
        let wanted = SentText.withoutURLs(request.text)
        let since = ISO8601.now() - request.secondsSinceFirstSend - XPublisher.slackSeconds
        for post in posts where SentText.withoutURLs(SentText.decodingXEntities(post.string("text") ?? "")) == wanted {
            if let created = SentText.seconds(iso8601: post.string("created_at")), created < since { continue }
            if let id = post.string("id") { return .found(externalID: id, url: postURL(request, id)) }
        }
        return .notFound
    }

    func postURL(_ request: PublishRequest, _ id: String) -> String {
        let name = request.handle.hasPrefix("@") ? String(request.handle.dropFirst()) : request.handle
        return "https://x.com/\(name.isEmpty ? "i/web" : name)/status/\(id)"
    }

    /// X's own words: the first error's message (a 400 lists them), else the problem's detail.
    func message(_ response: FetchResponse) -> String {
        if let json = response.json, let first = json.objects("errors").first, let text = first.string("message") ?? first.string("detail") {
            return text
        }
        return Outcomes.message(response, keys: ["detail", "title", "error_description", "error"])
    }

    /// Seconds until x-rate-limit-reset when the limit is used up.
    func waitSeconds(_ response: FetchResponse) -> Int? {
        guard response.status == 429 || response.header("x-rate-limit-remaining") == "0" else { return Outcomes.retryAfter(response) }
        return Outcomes.secondsUntil(reset: response.header("x-rate-limit-reset"), now: ISO8601.now()) ?? Outcomes.retryAfter(response)
    }
}
