// Helpers for the publishing adapter tests: the platform stand-in `make test` runs
// (Fixtures/oauth_standin.py; its docstring documents the control API), one registered account per
// test, faults queued for the next create request, and the posts the stand-in made.
import Foundation
import Testing

@testable import HeraldContent
@testable import HeraldPlatforms

enum AdapterSupport {
    /// The stand-in's base URL (HERALD_TEST_OAUTH_URL).
    static var standIn: String { TestEnvironment.variables["HERALD_TEST_OAUTH_URL"]! }
    static let control = HTTPFetch(timeoutSeconds: 10)
    /// The adapters' timeout in the tests, and the shorter one a "slow" answer outlasts.
    static let timeout: Double = 10
    static let shortTimeout: Double = 1
    /// Seconds the stand-in holds a "slow" answer: past the short timeout and HTTPFetch's bound of the whole call (2 × timeout + 1).
    static let slowDelay = 4

    /// The settings `make test` exports (scripts/oauth-standin.sh points them at the stand-in).
    static func settings(linkedinVersion: String? = nil) throws -> PublishSettings {
        var settings = try PublishSettings.fromEnvironment()
        if let linkedinVersion { settings.linkedinVersion = linkedinVersion }
        return settings
    }

    static func publisher(_ platform: Platform, timeout: Double = timeout, linkedinVersion: String? = nil) throws -> any PlatformPublisher {
        try #require(
            Publishers(http: HTTPFetch(timeoutSeconds: timeout), settings: settings(linkedinVersion: linkedinVersion)).publisher(for: platform))
    }

    /// An account the stand-in accepts a token for, unique to one test.
    struct Account {
        let platform: Platform
        let token: String
        /// As the stand-in knows it: Mastodon/X numeric id, Bluesky DID, LinkedIn member id, Reddit t2_ id.
        let accountID: String
        let name: String

        /// What a post made as this account is recorded under at the stand-in.
        var postedAs: String {
            switch platform {
            case .linkedin: return "urn:li:person:" + accountID
            case .reddit: return name
            default: return accountID
            }
        }

        /// A send of `text` as the worker would build it: the account's id and handle as Herald stores them.
        func request(_ text: String, title: String? = nil, key: String? = nil) -> PublishRequest {
            let handle: String
            switch platform {
            case .reddit: handle = "u/" + name
            case .linkedin: handle = name
            default: handle = "@" + name
            }
            let server = platform == .mastodon || platform == .bluesky ? AdapterSupport.standIn : nil
            return PublishRequest(
                platform: platform, accountID: accountID, handle: handle, serverURL: server, accessToken: token, text: text, title: title,
                requestKey: key ?? (platform == .bluesky ? BlueskyPublisher.newRecordKey() : UUID().uuidString))
        }
    }

    static func random(_ count: Int, from alphabet: String) -> String { String((0..<count).map { _ in alphabet.randomElement()! }) }

    /// Registers a fresh account and token (POST /_control/accounts).
    static func account(_ platform: Platform) throws -> Account {
        let digits = "0123456789"
        let lower = "abcdefghijklmnopqrstuvwxyz0123456789"
        let id: String
        switch platform {
        case .mastodon, .x: id = "1" + random(17, from: digits)
        case .bluesky: id = "did:plc:" + random(24, from: "abcdefghijklmnopqrstuvwxyz234567")
        case .linkedin: id = random(10, from: lower + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        case .reddit: id = "t2_" + random(8, from: lower)
        }
        let name = "hr" + random(8, from: lower)
        let account = Account(platform: platform, token: "test-\(platform.rawValue)-\(UUID().uuidString)", accountID: id, name: name)
        try post("/_control/accounts", ["platform": platform.rawValue, "token": account.token, "account_id": id, "handle": name])
        return account
    }

    /// Queues faults for the account's next create requests (only its token takes them, so tests on
    /// the same platform can run side by side).
    static func queue(_ account: Account, _ faults: [String], delay: Int = slowDelay) throws {
        try post("/_control/faults", ["platform": account.platform.rawValue, "faults": faults, "delay": delay, "token": account.token])
    }

    /// Marks the account's token expired (POST /_control/expire).
    static func expire(_ account: Account) throws {
        try post("/_control/expire", ["platform": account.platform.rawValue, "token": account.token])
    }

    /// The posts the stand-in made as the account, oldest first.
    static func posts(_ account: Account) throws -> [[String: Any]] {
        let response = try control.get(standIn + "/_control/posts?platform=\(account.platform.rawValue)")
        guard response.status == 200, let list = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] else {
            throw TestFailure("stand-in posts: \(response.status) \(response.snippet)")
        }
        return list.filter { $0["account"] as? String == account.postedAs }
    }

    /// The id an adapter reports for a stand-in post: Reddit's fullname (t3_…), else the id (Bluesky: the at:// uri).
    static func externalID(_ post: [String: Any], _ platform: Platform) -> String? {
        post[platform == .reddit ? "name" : "id"] as? String
    }

    /// A control call with a JSON body; throws unless the stand-in answers 200.
    @discardableResult
    static func post(_ path: String, _ body: [String: Any]) throws -> FetchResponse {
        let data = try JSONSerialization.data(withJSONObject: body)
        let response = try control.send("POST", standIn + path, headers: [("Content-Type", "application/json")], body: [UInt8](data))
        guard response.status == 200 else { throw TestFailure("stand-in \(path): \(response.status) \(response.snippet)") }
        return response
    }

    /// A text no other test sends (the stand-ins refuse duplicates per account).
    static func uniqueText(_ tag: String) -> String { "\(tag) \(UUID().uuidString.prefix(8).lowercased())" }
}

/// The outcome's kind, for messages and comparisons.
extension PublishOutcome {
    var kind: String {
        switch self {
        case .published: return "published"
        case .transient: return "transient"
        case .permanent: return "permanent"
        case .reconnect: return "reconnect"
        case .unknown: return "unknown"
        }
    }
}
