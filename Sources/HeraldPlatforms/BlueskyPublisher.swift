// Bluesky: com.atproto.repo.createRecord of an app.bsky.feed.post on the account's PDS, under a
// record key (a TID) chosen before the first try, so a second try cannot make a second post and
// com.atproto.repo.getRecord answers whether the first one is live.
//   docs.bsky.app/docs/api/com-atproto-repo-create-record, …/com-atproto-repo-get-record
//   atproto.com/specs/tid (record keys), docs.bsky.app/docs/advanced-guides/post-richtext (facets)
//   docs.bsky.app/docs/advanced-guides/rate-limits (RateLimit-Reset: a Unix time in seconds)
// A PDS answers a createRecord whose key is already taken with a 500 (the repository's insert
// fails; newer ones say RecordAlreadyExists), so a 500 is checked with getRecord before it counts as
// "try again": otherwise a post that went through would be retried, and refused, forever.
import Foundation
import HeraldContent
import HeraldSupport
import Synchronization

public struct BlueskyPublisher: PlatformPublisher {
    let http: HTTPFetch
    /// The server of accounts that have none of their own (HERALD_BLUESKY_SERVICE_URL).
    let serviceURL: String

    static let collection = "app.bsky.feed.post"

    /// A new record key: an atproto TID, 13 base32-sortable characters of the current microseconds
    /// and a random 10-bit clock id. The worker stores it before the first send.
    public static func newRecordKey() -> String { RecordKey.next() }

    public func publish(_ request: PublishRequest) -> PublishOutcome {
        let server = self.server(request)
        let facets = BlueskyFacets.detect(request.text) { handle in resolve(handle, server: server) }
        var record: [String: Any] = ["$type": BlueskyPublisher.collection, "text": request.text, "createdAt": BlueskyPublisher.now()]
        if !facets.isEmpty { record["facets"] = facets.map(\.json) }
        let body = Outcomes.json(["repo": request.accountID, "collection": BlueskyPublisher.collection, "rkey": request.requestKey, "record": record])
        let response: FetchResponse
        do {
            response = try http.send(
                "POST", server + "/xrpc/com.atproto.repo.createRecord",
                headers: [("Authorization", "Bearer " + request.accessToken), ("Content-Type", "application/json")], body: body)
        } catch {
            return Outcomes.noAnswer(error, .bluesky)
        }
        return outcome(response, request)
    }

    func outcome(_ response: FetchResponse, _ request: PublishRequest) -> PublishOutcome {
        let code = response.json?.string("error")
        if response.status == 200 {
            guard let uri = response.json?.string("uri") else {
                return .unknown(reason: "Bluesky accepted the post but its answer has no uri: \(response.snippet)")
            }
            return .published(externalID: uri, url: postURL(request))
        }
        if response.status == 401 || code == "ExpiredToken" || code == "InvalidToken" {
            return .reconnect(reason: "Bluesky refused the session: \(message(response)). Reconnect this account.")
        }
        if response.status == 429 {
            return .transient(reason: "Bluesky's rate limit: \(message(response))", waitSeconds: waitSeconds(response))
        }
        if response.status >= 500 || code == "RecordAlreadyExists" {
            // The record key may already be taken by an earlier try that went through.
            let reason = "Bluesky answered \(response.status): \(message(response))"
            if case .found(let uri, let url) = lookUp(request) { return .published(externalID: uri, url: url) }
            return .transient(reason: reason, waitSeconds: waitSeconds(response))
        }
        if Outcomes.isTransient(response.status) {
            return .transient(reason: "Bluesky answered \(response.status): \(message(response))", waitSeconds: waitSeconds(response))
        }
        return .permanent(reason: "Bluesky refused the post: \(message(response))")
    }

    /// The post's record key names it: read it back.
    public func reconcile(_ request: PublishRequest) -> ReconcileOutcome { lookUp(request) }

    func lookUp(_ request: PublishRequest) -> ReconcileOutcome {
        let query =
            "repo=\(HTTPFetch.formComponent(request.accountID))&collection=\(BlueskyPublisher.collection)&rkey=\(HTTPFetch.formComponent(request.requestKey))"
        let response: FetchResponse
        do {
            response = try http.get(server(request) + "/xrpc/com.atproto.repo.getRecord?" + query, bearer: request.accessToken)
        } catch {
            return .undecided(reason: error.description, waitSeconds: nil)
        }
        let code = response.json?.string("error")
        if response.status == 200, let uri = response.json?.string("uri") { return .found(externalID: uri, url: postURL(request)) }
        if code == "RecordNotFound" { return .notFound }
        if response.status == 401 || code == "ExpiredToken" || code == "InvalidToken" {
            return .reconnect(reason: "Bluesky refused the session: \(message(response)). Reconnect this account.")
        }
        return .undecided(reason: "Bluesky answered \(response.status) to getRecord: \(message(response))", waitSeconds: waitSeconds(response))
    }

    func server(_ request: PublishRequest) -> String {
        var server = request.serverURL ?? serviceURL
        while server.hasSuffix("/") { server.removeLast() }
        return server
    }

    /// bsky.app's address of the post, by DID (a handle can change).
    func postURL(_ request: PublishRequest) -> String { "https://bsky.app/profile/\(request.accountID)/post/\(request.requestKey)" }

    /// The DID of a mentioned handle, or nil (then the mention stays plain text).
    func resolve(_ handle: String, server: String) -> String? {
        let url = server + "/xrpc/com.atproto.identity.resolveHandle?handle=" + HTTPFetch.formComponent(handle)
        guard let response = try? http.get(url), response.status == 200, let did = response.json?.string("did"), did.hasPrefix("did:") else {
            return nil
        }
        return did
    }

    /// XRPC errors are `{"error": name, "message": text}`.
    func message(_ response: FetchResponse) -> String {
        guard let json = response.json, let name = json.string("error") else { return Outcomes.message(response) }
        return json.string("message").map { "\(name): \($0)" } ?? name
    }

    /// RateLimit-Reset when a limit is used up, else Retry-After.
    func waitSeconds(_ response: FetchResponse) -> Int? {
        if response.status == 429 || response.header("RateLimit-Remaining") == "0",
            let wait = Outcomes.secondsUntil(reset: response.header("RateLimit-Reset"), now: ISO8601.now())
        {
            return wait
        }
        return Outcomes.retryAfter(response)
    }

    /// `createdAt`: the current time, ISO 8601 in UTC with milliseconds.
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

/// atproto TIDs (atproto.com/specs/tid): a 64-bit number, top bit 0, then 53 bits of microseconds
/// since 1970 and a 10-bit clock id, written as 13 characters of `234567abcdefghijklmnopqrstuvwxyz`.
enum RecordKey {
    private static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz".utf8)
    /// The last timestamp used, so keys made in one process never repeat and always increase.
    private static let last = Mutex<UInt64>(0)

    static func next() -> String {
        let micros = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        let stamp = last.withLock { last in
            last = max(micros, last + 1)
            return last
        }
        return encode(stamp << 10 | UInt64.random(in: 0..<1024))
    }

    static func encode(_ value: UInt64) -> String {
        var rest = value & 0x7FFF_FFFF_FFFF_FFFF
        var characters = [UInt8](repeating: 0, count: 13)
        for position in (0..<13).reversed() {
            characters[position] = alphabet[Int(rest & 31)]
            rest >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
