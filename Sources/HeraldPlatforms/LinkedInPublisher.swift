// LinkedIn: POST /rest/posts (the versioned Posts API) as the member, LinkedIn-Version and Rest.li
// 2.0.0 headers; 201 with the post's urn in x-restli-id. The commentary is in LinkedIn's "little"
// text format, whose reserved characters are escaped with a backslash.
//   learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
//   learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
//   learn.microsoft.com/en-us/linkedin/marketing/versioning (a retired version answers 426)
//   learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling
// LinkedIn has no idempotency key, and reading a member's posts needs a permission LinkedIn keeps
// for its partners. What it does have is a duplicate check: the same commentary again answers 422
// "Content is a duplicate of urn:li:share:…". So the duplicate's urn is adopted, and a reconcile is
// the same request sent again: either the first send made the post (the 422 names it) or it did
// not and this one makes it; one post either way.
import HeraldContent
import HeraldSupport

struct LinkedInPublisher: PlatformPublisher {
    let http: HTTPFetch
    let apiURL: String
    /// LinkedIn-Version, YYYYMM (HERALD_LINKEDIN_VERSION).
    let version: String

    /// The characters "little" reserves; each is sent as `\` and itself.
    static let reserved: Set<Unicode.Scalar> = ["|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "\\", "*", "_", "~"]

    func publish(_ request: PublishRequest) -> PublishOutcome {
        do {
            return outcome(try send(request))
        } catch {
            return Outcomes.noAnswer(error, .linkedin)
        }
    }

    func send(_ request: PublishRequest) throws(FetchError) -> FetchResponse {
        let author = request.accountID.hasPrefix("urn:li:") ? request.accountID : "urn:li:person:" + request.accountID
        let post: [String: Any] = [
            "author": author, "commentary": LinkedInPublisher.littleText(request.text), "visibility": "PUBLIC",
            "distribution": ["feedDistribution": "MAIN_FEED", "targetEntities": [String](), "thirdPartyDistributionChannels": [String]()],
            "lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": false,
        ]
        return try http.send(
            "POST", apiURL + "/rest/posts",
            headers: [
                ("Authorization", "Bearer " + request.accessToken), ("LinkedIn-Version", version), ("X-Restli-Protocol-Version", "2.0.0"),
                ("Content-Type", "application/json"),
            ],
            body: Outcomes.json(post))
    }

    func outcome(_ response: FetchResponse) -> PublishOutcome {
        switch response.status {
        case 200, 201:
            guard let urn = response.header("x-restli-id") ?? response.header("x-linkedin-id") ?? response.json?.string("id") else {
                return .unknown(reason: "LinkedIn accepted the post but did not say its id")
            }
            return .published(externalID: urn, url: LinkedInPublisher.postURL(urn))
        case 401:
            return .reconnect(reason: "LinkedIn refused the token: \(message(response)). Reconnect this account.")
        case 426:
            return .permanent(
                reason: "LinkedIn no longer accepts API version \(version), which HERALD_LINKEDIN_VERSION names: it is retired. "
                    + "Set HERALD_LINKEDIN_VERSION to a current version (YYYYMM) and restart herald-worker. LinkedIn said: \(message(response))")
        case 422 where isDuplicate(response):
            guard let urn = originalURN(response) else { return .permanent(reason: "LinkedIn refused the post: \(message(response))") }
            return .published(externalID: urn, url: LinkedInPublisher.postURL(urn))
        case 429:
            return .transient(reason: "LinkedIn's rate limit: \(message(response))", waitSeconds: Outcomes.retryAfter(response))
        case let status where Outcomes.isTransient(status):
            return .transient(reason: "LinkedIn answered \(status): \(message(response))", waitSeconds: Outcomes.retryAfter(response))
        default:
            return .permanent(reason: "LinkedIn refused the post: \(message(response))")
        }
    }

    /// The same request again (see the top of this file). A refusal of the content itself (400, or
    /// a 422 that is not the duplicate) means the first send, the same bytes, was refused too: no
    /// post. Any other refusal (a retired version, a lost permission) says nothing about the first
    /// send: undecided.
    func reconcile(_ request: PublishRequest) -> ReconcileOutcome {
        let response: FetchResponse
        do {
            response = try send(request)
        } catch {
            return .undecided(reason: error.description, waitSeconds: nil)
        }
        if response.status == 422 && isDuplicate(response) && originalURN(response) == nil {
            return .undecided(reason: "LinkedIn says the post is a duplicate but not of which post: \(message(response))", waitSeconds: nil)
        }
        let outcome = outcome(response)
        if case .permanent = outcome, response.status == 400 || response.status == 422 { return .notFound }
        return Outcomes.reconciled(outcome)
    }

    /// The 422 LinkedIn answers to a commentary the author already posted.
    func isDuplicate(_ response: FetchResponse) -> Bool {
        let codes = response.json?.object("errorDetails")?.objects("inputErrors").compactMap { $0.string("code") } ?? []
        return codes.contains("DUPLICATE_POST") || message(response).lowercased().contains("duplicate")
    }

    /// The urn in "Content is a duplicate of urn:li:share:7012345678901234567".
    func originalURN(_ response: FetchResponse) -> String? {
        guard let match = message(response).firstMatch(of: /urn:li:[A-Za-z]+:[A-Za-z0-9_-]+/) else { return nil }
        return String(match.output)
    }

    func message(_ response: FetchResponse) -> String { Outcomes.message(response, keys: ["message", "error_description", "error"]) }

    static func postURL(_ urn: String) -> String { "https://www.linkedin.com/feed/update/\(urn)/" }

    /// Plain text as "little" commentary: each reserved character escaped.
    static func littleText(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if reserved.contains(scalar) { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
