// Reddit: POST /api/submit (form, api_type=json) of a text post to the user's own profile
// (sr=u_<name>). Reddit answers 200 to refusals too, with json.errors as [code, message, field]
// triples; RATELIMIT says in words how many minutes to wait. No idempotency key: a post whose
// answer was lost is found again in GET /user/<name>/submitted by its title and text.
//   www.reddit.com/dev/api#POST_api_submit, www.reddit.com/dev/api#GET_user_{username}_submitted
//   support.reddithelp.com/hc/en-us/articles/16160319875092-Reddit-Data-API-Wiki (rate limits:
//   x-ratelimit-reset is the seconds left in the current period; a descriptive User-Agent)
import HeraldContent
import HeraldSupport

struct RedditPublisher: PlatformPublisher {
    let http: HTTPFetch
    let apiURL: String
    static let titleLimit = 300

    func publish(_ request: PublishRequest) -> PublishOutcome {
        let fields = [
            ("sr", "u_" + RedditPublisher.username(request)), ("kind", "self"), ("title", RedditPublisher.title(request)), ("text", request.text),
            ("api_type", "json"), ("resubmit", "true"),
        ]
        let response: FetchResponse
        do {
            response = try http.postForm(apiURL + "/api/submit", fields, bearer: request.accessToken)
        } catch {
            return Outcomes.noAnswer(error, .reddit)
        }
        return outcome(response)
    }

    func outcome(_ response: FetchResponse) -> PublishOutcome {
        switch response.status {
        case 200, 201:
            guard let answer = response.json?.object("json") else {
                return .unknown(reason: "Reddit answered 200 without its JSON result: \(response.snippet)")
            }
            let errors = answer.arrays("errors")
            if let limit = errors.first(where: { $0.first == "RATELIMIT" }) {
                let text = limit.count > 1 ? limit[1] : "RATELIMIT"
                return .transient(reason: "Reddit's rate limit: \(text)", waitSeconds: RedditPublisher.seconds(in: text) ?? resetSeconds(response))
            }
            if !errors.isEmpty {
                let words = errors.map { $0.count > 1 ? $0[1] + ($0.count > 2 && !$0[2].isEmpty ? " (\($0[2]))" : "") : $0.first ?? "" }
                return .permanent(reason: "Reddit refused the post: \(words.joined(separator: "; "))")
            }
            guard let data = answer.object("data"), let name = data.string("name") ?? data.string("id").map({ "t3_" + $0 }) else {
                return .unknown(reason: "Reddit accepted the post but its answer has no id: \(response.snippet)")
            }
            return .published(externalID: name, url: data.string("url"))
        case 401:
            return .reconnect(reason: "Reddit refused the token: \(message(response)). Reconnect this account.")
        case 429:
            return .transient(reason: "Reddit's rate limit: \(message(response))", waitSeconds: resetSeconds(response))
        case let status where Outcomes.isTransient(status):
            return .transient(reason: "Reddit answered \(status): \(message(response))", waitSeconds: nil)
        default:
            return .permanent(reason: "Reddit refused the post: \(message(response))")
        }
    }

    /// The user's latest 25 submissions: the one with this title and text, made since a day before
    /// the first try.
    func reconcile(_ request: PublishRequest) -> ReconcileOutcome {
        let url = apiURL + "/user/\(HTTPFetch.formComponent(RedditPublisher.username(request)))/submitted?limit=25&raw_json=1"
        let response: FetchResponse
        do {
            response = try http.get(url, bearer: request.accessToken)
        } catch {
            return .undecided(reason: error.description, waitSeconds: nil)
        }
        if response.status == 401 { return .reconnect(reason: "Reddit refused the token: \(message(response)). Reconnect this account.") }
        guard response.status == 200, let listing = response.json?.object("data") else {
            return .undecided(
                reason: "Reddit answered \(response.status) to the user's posts: \(message(response))", waitSeconds: resetSeconds(response))
        }
        let title = PlainText.normalized(RedditPublisher.title(request))
        let text = PlainText.normalized(request.text)
        let since = ISO8601.now() - request.secondsSinceFirstSend - 86_400
        for child in listing.objects("children") {
            guard let post = child.object("data"), PlainText.normalized(post.string("title") ?? "") == title,
                PlainText.normalized(post.string("selftext") ?? "") == text
            else { continue }
            if let created = post.int("created_utc"), created < since { continue }
            guard let name = post.string("name") ?? post.string("id").map({ "t3_" + $0 }) else { continue }
            return .found(externalID: name, url: post.string("permalink").map { "https://www.reddit.com" + $0 } ?? post.string("url"))
        }
        return .notFound
    }

    /// The user name: the handle without `u/` (the account id is Reddit's t2 id, which no URL takes).
    static func username(_ request: PublishRequest) -> String {
        var name = Substring(request.handle.trimmed)
        for prefix in ["/u/", "u/", "@"] where name.hasPrefix(prefix) { name = name.dropFirst(prefix.count) }
        return name.isEmpty ? request.accountID : String(name)
    }

    /// The post's title, or else its first non-empty line, at most 300 characters.
    static func title(_ request: PublishRequest) -> String {
        let given = request.title?.trimmed ?? ""
        let line = given.isEmpty ? request.text.split(whereSeparator: \.isNewline).map(\.trimmed).first { !$0.isEmpty } ?? "" : given
        guard line.unicodeScalars.count > titleLimit else { return line }
        var cut = ""
        for character in line {
            guard cut.unicodeScalars.count + character.unicodeScalars.count <= titleLimit - 1 else { break }
            cut.append(character)
        }
        return cut + "…"
    }

    /// The wait a RATELIMIT message names: "Take a break for 9 minutes", "try again in 30 seconds".
    static func seconds(in message: String) -> Int? {
        var total = 0
        var found = false
        for match in message.lowercased().matches(of: /(\d+)\s*(hour|minute|second|millisecond)/) {
            guard let number = Int(match.output.1) else { continue }
            found = true
            switch match.output.2 {
            case "hour": total += number * 3600
            case "minute": total += number * 60
            case "second": total += number
            default: total += (number + 999) / 1000
            }
        }
        return found ? total : nil
    }

    /// x-ratelimit-reset: the seconds left in the current period.
    func resetSeconds(_ response: FetchResponse) -> Int? {
        Outcomes.secondsUntil(reset: response.header("x-ratelimit-reset"), now: ISO8601.now()) ?? Outcomes.retryAfter(response)
    }

    func message(_ response: FetchResponse) -> String { Outcomes.message(response, keys: ["message", "error_description", "explanation", "reason"]) }
}
