// The metrics readers against the platform stand-in: each platform's counters for a post it published
// (the stand-in's formula: Fixtures/oauth_standin.py, "Metrics"), with the counters it does not report
// left nil, follower counts, and what a deleted post, a rate limit, a 500, a lost answer, a refused token
// and a missing permission read as. Each test has its own account, and faults are queued for its token
// and the read's path, so the tests run side by side. Then the readers' pure parts on canned answers.
import Foundation
import Testing

@testable import HeraldContent
@testable import HeraldPlatforms

/// The stand-in's numbers (standin_core.counts and follower_count), to compare with what a reader found.
enum StandInMetrics {
    static func seed(_ text: String) -> Int64 { text.utf8.reduce(0) { $0 + Int64($1) } }

    /// What `platform` shows for the post `id` (as the adapters store it) at `age` whole seconds.
    static func snapshot(_ platform: Platform, id: String, age e: Int64) -> PostMetricsSnapshot {
        let k = 1 + seed(id) % 3
        let (likes, shares, comments, quotes, saves, views) = (k * e, e / 3, e / 5, e / 10, e / 4, 20 * k * e)
        switch platform {
        case .mastodon, .bluesky: return PostMetricsSnapshot(likes: likes, comments: comments, shares: shares, quotes: quotes)
        case .x: return PostMetricsSnapshot(views: views, likes: likes, comments: comments, shares: shares, quotes: quotes, saves: saves)
        case .linkedin: return PostMetricsSnapshot(likes: likes, comments: comments)
        case .reddit: return PostMetricsSnapshot(comments: comments, score: 1 + k * e / 2 - 3 * ((e / 4) % 2))
        }
    }

    /// The counters each platform reports; every other one must be nil, not 0.
    static func reported(_ snapshot: PostMetricsSnapshot) -> [String] {
        let fields: [(String, Int64?)] = [
            ("views", snapshot.views), ("likes", snapshot.likes), ("comments", snapshot.comments), ("shares", snapshot.shares),
            ("clicks", snapshot.clicks), ("quotes", snapshot.quotes), ("saves", snapshot.saves), ("score", snapshot.score),
        ]
        return fields.filter { $0.1 != nil }.map(\.0)
    }

    static let reportedBy: [Platform: [String]] = [
        .mastodon: ["likes", "comments", "shares", "quotes"], .bluesky: ["likes", "comments", "shares", "quotes"],
        .x: ["views", "likes", "comments", "shares", "quotes", "saves"], .linkedin: ["likes", "comments"], .reddit: ["comments", "score"],
    ]

    /// An account's followers: its id as the platform's "me" shows it (Reddit's without t2_), and the posts it made.
    static func followers(_ account: AdapterSupport.Account, posts: Int64) -> Int64 {
        let id = account.platform == .reddit && account.accountID.hasPrefix("t2_") ? String(account.accountID.dropFirst(3)) : account.accountID
        return 100 + seed(id) % 900 + 3 * posts
    }
}

enum MetricsSupport {
    static func reader(_ platform: Platform, timeout: Double = AdapterSupport.timeout) throws -> any PlatformMetricsReader {
        Publishers(http: HTTPFetch(timeoutSeconds: timeout), settings: try AdapterSupport.settings()).metricsReader(for: platform)
    }

    /// Publishes a post as the account; its id as the adapters store it, and the seconds since 1970 just before and after.
    static func publish(_ account: AdapterSupport.Account) throws -> (id: String, before: Double, after: Double) {
        let before = Date().timeIntervalSince1970
        let outcome = try AdapterSupport.publisher(account.platform).publish(account.request(AdapterSupport.uniqueText("Metrics")))
        let after = Date().timeIntervalSince1970
        guard case .published(let id, _) = outcome else { throw TestFailure("\(account.platform.label) publish: \(outcome)") }
        return (id, before, after)
    }

    /// A fresh account whose token was granted only `scope` (AdapterSupport.account's may do everything).
    static func account(_ platform: Platform, scope: String) throws -> AdapterSupport.Account {
        let id = platform == .mastodon ? "1" + AdapterSupport.random(17, from: "0123456789") : AdapterSupport.random(10, from: "abcdefghijKLMNOP0123")
        let name = "hr" + AdapterSupport.random(8, from: "abcdefghijklmnopqrstuvwxyz0123456789")
        let account = AdapterSupport.Account(platform: platform, token: "test-\(platform.rawValue)-\(UUID().uuidString)", accountID: id, name: name)
        try AdapterSupport.post(
            "/_control/accounts", ["platform": platform.rawValue, "token": account.token, "account_id": id, "handle": name, "scope": scope])
        return account
    }

    /// Makes the post `seconds` older at the stand-in (POST /_control/age).
    static func age(_ account: AdapterSupport.Account, _ id: String, by seconds: Int) throws {
        try AdapterSupport.post("/_control/age", ["platform": account.platform.rawValue, "id": id, "seconds": seconds])
    }

    /// Queues faults for the account's next reads of `path` (a path prefix: /x/2/tweets/, /reddit/api/v1/me, …).
    static func queue(_ account: AdapterSupport.Account, _ faults: [String], path: String, delay: Int = 1) throws {
        try AdapterSupport.post(
            "/_control/faults", ["platform": account.platform.rawValue, "faults": faults, "token": account.token, "path": path, "delay": delay])
    }

    /// The path of a post read and of a follower read, as the stand-in serves them.
    static func paths(_ platform: Platform) -> (post: String, followers: String) {
        switch platform {
        case .mastodon: return ("/api/v1/statuses/", "/api/v1/accounts/verify_credentials")
        case .bluesky: return ("/xrpc/app.bsky.feed.getPosts", "/xrpc/app.bsky.actor.getProfile")
        case .x: return ("/x/2/tweets/", "/x/2/users/me")
        case .linkedin: return ("/linkedin/rest/socialActions/", "/linkedin/v2/userinfo")
        case .reddit: return ("/reddit/api/info", "/reddit/api/v1/me")
        }
    }

    /// An id of the platform's kind that names no post.
    static func unknownPostID(_ account: AdapterSupport.Account) -> String {
        switch account.platform {
        case .mastodon, .x: return "1" + AdapterSupport.random(17, from: "0123456789")
        case .bluesky: return "at://\(account.accountID)/app.bsky.feed.post/\(BlueskyPublisher.newRecordKey())"
        case .linkedin: return "urn:li:share:7" + AdapterSupport.random(18, from: "0123456789")
        case .reddit: return "t3_zz" + AdapterSupport.random(5, from: "abcdefghijklmnopqrstuvwxyz0123456789")
        }
    }

    /// Reads the post's counters and checks them against the stand-in's formula at some age the post
    /// can have had during the read (it was made between `made.before` and `made.after`, then aged).
    @discardableResult
    static func expectCounts(
        _ account: AdapterSupport.Account, _ made: (id: String, before: Double, after: Double), aged: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> PostMetricsSnapshot? {
        let start = Date().timeIntervalSince1970
        let outcome = try reader(account.platform).postMetrics(account.metrics(made.id))
        let end = Date().timeIntervalSince1970
        guard case .counts(let snapshot) = outcome else {
            Issue.record("\(account.platform.label): \(outcome)", sourceLocation: sourceLocation)
            return nil
        }
        let youngest = max(0, Int64((start - made.after).rounded(.down)) + Int64(aged))
        let oldest = Int64((end - made.before).rounded(.down)) + Int64(aged)
        let expected = (youngest...oldest).map { StandInMetrics.snapshot(account.platform, id: made.id, age: $0) }
        #expect(
            expected.contains(snapshot), "\(account.platform.label): \(snapshot), expected one of \(expected)", sourceLocation: sourceLocation)
        #expect(StandInMetrics.reported(snapshot) == StandInMetrics.reportedBy[account.platform], sourceLocation: sourceLocation)
        return snapshot
    }
}

extension AdapterSupport.Account {
    /// A metrics read of `postID` ("" for followers) with the account's id, handle and server as Herald stores them.
    func metrics(_ postID: String = "") -> MetricsRequest {
        let send = request("")
        return MetricsRequest(
            platform: platform, accountID: send.accountID, handle: send.handle, serverURL: send.serverURL, accessToken: token,
            externalPostID: postID)
    }
}

extension MetricsOutcome {
    var kind: String {
        switch self {
        case .counts: return "counts"
        case .gone: return "gone"
        case .unavailable: return "unavailable"
        case .transient: return "transient"
        case .reconnect: return "reconnect"
        }
    }

    var waitSeconds: Int? {
        if case .transient(_, let wait) = self { return wait }
        return nil
    }
}

extension FollowersOutcome {
    var kind: String {
        switch self {
        case .count: return "count"
        case .unavailable: return "unavailable"
        case .transient: return "transient"
        case .reconnect: return "reconnect"
        }
    }

    var waitSeconds: Int? {
        if case .transient(_, let wait) = self { return wait }
        return nil
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdapterMetricsTests {
    /// An hour-old post: the platform's own counters, the others nil; a second later they have grown.
    @Test(arguments: Platform.allCases) func countsOfAPublishedPost(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        let made = try MetricsSupport.publish(account)
        try MetricsSupport.age(account, made.id, by: 3600)
        let first = try #require(try MetricsSupport.expectCounts(account, made, aged: 3600))
        Thread.sleep(forTimeInterval: 1.1)
        let second = try #require(try MetricsSupport.expectCounts(account, made, aged: 3600))
        if platform != .reddit {
            #expect(second.likes! > first.likes!, "\(platform.label): likes grow with time")
        }
    }

    /// A post just made has counted nothing yet, and says so with zeros where the platform reports a counter.
    @Test(arguments: Platform.allCases) func countsOfANewPost(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        try MetricsSupport.expectCounts(account, try MetricsSupport.publish(account), aged: 0)
    }

    @Test(arguments: Platform.allCases) func followers(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        _ = try MetricsSupport.publish(account)
        let outcome = try MetricsSupport.reader(platform).followers(account.metrics())
        if platform == .linkedin {
            #expect(outcome == .unavailable(reason: "LinkedIn gives follower counts for organization pages only"))
        } else {
            #expect(outcome == .count(StandInMetrics.followers(account, posts: 1)), "\(platform.label)")
        }
    }

    @Test(arguments: Platform.allCases) func unknownPostIsGone(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        let outcome = try MetricsSupport.reader(platform).postMetrics(account.metrics(MetricsSupport.unknownPostID(account)))
        #expect(outcome.kind == "gone", "\(platform.label): \(outcome)")
    }

    /// The platform's rate-limit answer with its reset ~60 s ahead (LinkedIn sends none): try again then.
    @Test(arguments: Platform.allCases) func rateLimited(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        let made = try MetricsSupport.publish(account)
        let reader = try MetricsSupport.reader(platform)
        try MetricsSupport.queue(account, ["429"], path: MetricsSupport.paths(platform).post)
        let outcome = reader.postMetrics(account.metrics(made.id))
        #expect(outcome.kind == "transient", "\(platform.label): \(outcome)")
        if platform == .linkedin {
            #expect(outcome.waitSeconds == nil, "LinkedIn sends no rate-limit headers")
        } else {
            #expect((50...61).contains(outcome.waitSeconds ?? -1), "\(platform.label): \(outcome)")
            try MetricsSupport.queue(account, ["429"], path: MetricsSupport.paths(platform).followers)
            let followers = reader.followers(account.metrics())
            #expect(followers.kind == "transient" && (50...61).contains(followers.waitSeconds ?? -1), "\(platform.label): \(followers)")
        }
        #expect(reader.postMetrics(account.metrics(made.id)).kind == "counts", "the fault was for one read only")
    }

    @Test(arguments: Platform.allCases) func serverError(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        let made = try MetricsSupport.publish(account)
        try MetricsSupport.queue(account, ["500"], path: MetricsSupport.paths(platform).post)
        let outcome = try MetricsSupport.reader(platform).postMetrics(account.metrics(made.id))
        #expect(outcome.kind == "transient", "\(platform.label): \(outcome)")
        if platform != .linkedin {
            try MetricsSupport.queue(account, ["500"], path: MetricsSupport.paths(platform).followers)
            let followers = try MetricsSupport.reader(platform).followers(account.metrics())
            #expect(followers.kind == "transient", "\(platform.label): \(followers)")
        }
    }

    /// No answer in time: a read is safe to repeat, so try again later. (A "drop" is no test of it: the
    /// HTTP client sends a GET again by itself when a kept-alive connection closes without an answer.)
    @Test(arguments: Platform.allCases) func noAnswerInTime(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        let made = try MetricsSupport.publish(account)
        try MetricsSupport.queue(account, ["slow"], path: MetricsSupport.paths(platform).post, delay: AdapterSupport.slowDelay)
        let outcome = try MetricsSupport.reader(platform, timeout: AdapterSupport.shortTimeout).postMetrics(account.metrics(made.id))
        #expect(outcome.kind == "transient", "\(platform.label): \(outcome)")
    }

    @Test(arguments: Platform.allCases) func refusedToken(_ platform: Platform) throws {
        let account = try AdapterSupport.account(platform)
        let made = try MetricsSupport.publish(account)
        try AdapterSupport.expire(account)
        let reader = try MetricsSupport.reader(platform)
        let outcome = reader.postMetrics(account.metrics(made.id))
        #expect(outcome.kind == "reconnect", "\(platform.label): \(outcome)")
        let followers = reader.followers(account.metrics())
        #expect(followers.kind == (platform == .linkedin ? "unavailable" : "reconnect"), "\(platform.label): \(followers)")
    }

    /// LinkedIn's member tokens lack r_member_social (Herald asks for openid profile w_member_social): 403, not available.
    @Test func linkedInWithoutPermission() throws {
        let account = try MetricsSupport.account(.linkedin, scope: "openid profile w_member_social")
        let made = try MetricsSupport.publish(account)
        let outcome = try MetricsSupport.reader(.linkedin).postMetrics(account.metrics(made.id))
        guard case .unavailable(let reason) = outcome else {
            Issue.record("LinkedIn 403: \(outcome)")
            return
        }
        #expect(reason.contains("r_member_social"), "\(reason)")
    }

    /// Mastodon refuses a token without read:statuses any status (Herald asks for read:accounts
    /// write:statuses write:media): the public status is read as a visitor instead.
    @Test func mastodonWithoutReadStatuses() throws {
        let account = try MetricsSupport.account(.mastodon, scope: "read:accounts write:statuses write:media")
        let made = try MetricsSupport.publish(account)
        try MetricsSupport.age(account, made.id, by: 600)
        try MetricsSupport.expectCounts(account, made, aged: 600)
        #expect(try MetricsSupport.reader(.mastodon).followers(account.metrics()) == .count(StandInMetrics.followers(account, posts: 1)))
    }
}

/// The readers on canned answers: the shapes the stand-in does not play.
struct AdapterMetricsUnitTests {
    static func response(_ status: Int, _ body: String, headers: [String: String] = [:]) -> FetchResponse {
        FetchResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    static let http = HTTPFetch(timeoutSeconds: 1)

    /// A reading as an outcome's kind.
    static func kind(_ read: () throws(MetricsFailure) -> PostMetricsSnapshot) -> String {
        do {
            return MetricsOutcome.counts(try read()).kind
        } catch {
            return error.post.kind
        }
    }

    @Test func xDeletedPostAsA404IsGone() {
        let reader = XMetrics(http: Self.http, apiURL: "http://127.0.0.1:9")
        let gone = #"{"title":"Not Found Error","detail":"Could not find tweet with id: [1].","type":"about:blank","status":404}"#
        #expect(Self.kind { () throws(MetricsFailure) in try reader.counts(Self.response(404, gone)) } == "gone")
        let forbidden =
            #"{"errors":[{"title":"Authorization Error","type":"https://api.twitter.com/2/problems/not-authorized-for-resource","detail":"Sorry, you are not authorized to see the Post with id: [1]."}]}"#
        #expect(Self.kind { () throws(MetricsFailure) in try reader.counts(Self.response(200, forbidden)) } == "unavailable")
        let noMetrics = #"{"data":{"id":"1","text":"hi","edit_history_tweet_ids":["1"]}}"#
        #expect(Self.kind { () throws(MetricsFailure) in try reader.counts(Self.response(200, noMetrics)) } == "unavailable")
    }

    @Test func redditPostDeletedByItsAuthorIsGone() throws {
        let reader = RedditMetrics(http: Self.http, apiURL: "http://127.0.0.1:9")
        let deleted =
            #"{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_abc","score":5,"num_comments":2,"removed_by_category":"deleted"}}]}}"#
        #expect(throws: MetricsFailure.gone("The post was deleted on Reddit")) { try reader.counts(Self.response(200, deleted), fullname: "t3_abc") }
        let live =
            #"{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_abc","score":-3,"num_comments":2,"likes":null,"view_count":null}}]}}"#
        #expect(try reader.counts(Self.response(200, live), fullname: "t3_abc") == PostMetricsSnapshot(comments: 2, score: -3))
        #expect(RedditMetrics.fullname("abc") == "t3_abc" && RedditMetrics.fullname("t3_abc") == "t3_abc")
    }

    @Test func redditAccountWithoutProfileHasNoFollowers() {
        let reader = RedditMetrics(http: Self.http, apiURL: "http://127.0.0.1:9")
        #expect(throws: MetricsFailure.self) { try reader.followerCount(Self.response(200, #"{"id":"abc","name":"old","subreddit":null}"#)) }
        #expect(throws: Never.self) { try reader.followerCount(Self.response(200, #"{"subreddit":{"subscribers":0}}"#)) }
    }

    @Test func linkedInRetiredVersionIsWorthAnotherTryAfterTheFix() {
        let reader = LinkedInMetrics(http: Self.http, apiURL: "http://127.0.0.1:9", version: "202401")
        do {
            _ = try reader.counts(Self.response(426, #"{"message":"Requested version 20240101 is not active","status":426}"#))
            Issue.record("426 read as counts")
        } catch {
            guard case .transient(let reason, waitSeconds: nil) = error else {
                Issue.record("426: \(error)")
                return
            }
            #expect(reason.contains("HERALD_LINKEDIN_VERSION"))
        }
    }

    @Test func blueskyExpiredSessionIsAReconnect() {
        let reader = BlueskyMetrics(http: Self.http, serviceURL: "http://127.0.0.1:9")
        let expired = Self.response(400, #"{"error":"ExpiredToken","message":"Token has expired"}"#)
        #expect(
            MetricsFailure.reconnect("Bluesky refused the session: ExpiredToken: Token has expired. Reconnect this account.")
                == reader.refusal(expired))
        let missing = Self.response(400, #"{"error":"InvalidRequest","message":"Profile not found"}"#)
        #expect(reader.refusal(missing).followers.kind == "unavailable")
    }

    @Test func unansweredReadsAreTransient() {
        #expect(Outcomes.unanswered(.unreachable(url: "https://x.test/", reason: "timed out"), .x).post.kind == "transient")
        #expect(Outcomes.unanswered(.notSent(url: "https://x.test/", reason: "refused"), .x).followers.kind == "transient")
        #expect(Outcomes.unanswered(.badURL("nope"), .x).post.kind == "unavailable")
    }
}
