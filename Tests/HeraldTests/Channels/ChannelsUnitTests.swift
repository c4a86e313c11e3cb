// The parts of connecting accounts that need no network or database: PKCE (RFC 7636's own
// example), the platforms' configuration and its refusals, instance addresses, the "who am I"
// answers of each platform, and Bluesky's JWT expiry.
import Foundation
import Testing

@testable import HeraldCrypto
@testable import HeraldPlatforms

struct ChannelsUnitTests {
    init() throws { try Sodium.initialize() }

    @Test func pkceMatchesRFC7636AppendixB() {
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        let verifier = PKCE.verifier()
        #expect(verifier.count == 43 && verifier.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(PKCE.verifier() != verifier && PKCE.state() != PKCE.state())
    }

    @Test func configurationDefaultsOverridesAndNotConfigured() throws {
        let none = try OAuthConfig.load { _ in nil }
        #expect(none.x.isConfigured == false && none.linkedin.isConfigured == false && none.reddit.isConfigured == false)
        #expect(none.x.tokenURL == "https://api.x.com/2/oauth2/token" && none.x.revokeURL == "https://api.x.com/2/oauth2/revoke")
        #expect(none.linkedin.revokeURL == nil)
        #expect(none.blueskyServiceURL == "https://bsky.social" && none.mastodonInstances.isEmpty && none.timeoutSeconds == 10)
        #expect(OAuthProvider(.x, none) == nil)

        let values = [
            "HERALD_REDDIT_CLIENT_ID": "abc", "HERALD_REDDIT_TOKEN_URL": "http://127.0.0.1:9/token", "HERALD_REDDIT_SCOPES": "identity",
            "HERALD_MASTODON_INSTANCES": "Social.Example:8443, http://127.0.0.1:9",
        ]
        let some = try OAuthConfig.load { values[$0] }
        #expect(some.reddit.isConfigured && some.reddit.clientSecret == nil && some.reddit.tokenURL == "http://127.0.0.1:9/token")
        #expect(some.mastodonInstances == ["https://social.example:8443", "http://127.0.0.1:9"])
        let reddit = try #require(OAuthProvider(.reddit, some))
        #expect(reddit.authentication == .basic)
        let url = reddit.authorizationURL(redirectURI: "https://h.example/oauth/reddit/callback", state: "s", challenge: "c")
        #expect(
            url.hasPrefix(
                "https://www.reddit.com/api/v1/authorize?response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fh.example%2Foauth%2Freddit%2Fcallback"
            ))
        #expect(url.contains("&code_challenge_method=S256") && url.hasSuffix("&duration=permanent"))
        #expect(OAuthConfig.redirectURI(.x, baseURL: "https://herald.example/") == "https://herald.example/oauth/x/callback")
    }

    @Test(arguments: [
        ["HERALD_X_TOKEN_URL": "ftp://x.example/token"],
        ["HERALD_LINKEDIN_CLIENT_SECRET": "secret only"],
        ["HERALD_MASTODON_INSTANCES": "https://ok.example, not a url/x"],
        ["HERALD_OAUTH_TIMEOUT_SECONDS": "0"],
        ["HERALD_BLUESKY_SERVICE_URL": "https://bsky.social/xrpc"],
    ])
    func badConfigurationIsRefusedNamingTheVariable(_ values: [String: String]) {
        do {
            _ = try OAuthConfig.load { values[$0] }
            Issue.record("accepted \(values)")
        } catch {
            #expect("\(error)".contains(values.keys.first!))
        }
    }

    @Test func instanceAddressesAreOriginsOnly() {
        #expect(OAuthConfig.origin(of: "mastodon.social") == "https://mastodon.social")
        #expect(OAuthConfig.origin(of: " HTTPS://Fosstodon.org/ ") == "https://fosstodon.org")
        #expect(OAuthConfig.origin(of: "http://127.0.0.1:8080") == "http://127.0.0.1:8080")
        for bad in [
            "", "https://", "@me@mastodon.social", "https://mastodon.social/@me", "ftp://x.example", "https://x.example:0",
            "https://x.example:99999", "https://user@x.example", "https://-x.example", "https://a..b",
        ] {
            #expect(OAuthConfig.origin(of: bad) == nil, "\(bad)")
        }
    }

    @Test func privateAndSpecialAddressesAreNotPublic() {
        for v4 in [
            [10, 1, 2, 3], [127, 0, 0, 1], [169, 254, 169, 254], [172, 20, 0, 1], [192, 168, 1, 1], [100, 64, 0, 1], [0, 0, 0, 0], [224, 0, 0, 1],
        ] {
            #expect(!MastodonApps.isPublic(v4: v4.map(UInt8.init)), "\(v4)")
        }
        #expect(MastodonApps.isPublic(v4: [93, 184, 216, 34]))
        var loopback = [UInt8](repeating: 0, count: 16)
        loopback[15] = 1
        var mapped = [UInt8](repeating: 0, count: 16)
        mapped[10] = 0xff
        mapped[11] = 0xff
        mapped[12] = 10
        #expect(!MastodonApps.isPublic(v6: loopback) && !MastodonApps.isPublic(v6: mapped))
        #expect(
            !MastodonApps.isPublic(v6: [0xfd] + [UInt8](repeating: 1, count: 15))
                && !MastodonApps.isPublic(v6: [0xfe, 0x80] + [UInt8](repeating: 0, count: 14)))
        #expect(MastodonApps.isPublic(v6: [0x2a, 0x01] + [UInt8](repeating: 0, count: 13) + [1]))
        let config = try! OAuthConfig.load { _ in nil }
        for refused in ["localhost", "http://mastodon.social", "https://10.0.0.1", "intranet", "printer.local"] {
            #expect(throws: InstanceRefusal.self) { try MastodonApps.checkInstance(refused, config: config) }
        }
    }

    @Test func eachPlatformsAccountAnswerIsRead() throws {
        func json(_ text: String) throws -> JSONObject { try #require(JSONObject(parsing: Array(text.utf8))) }
        #expect(
            AccountProfile.parse(.x, try json(#"{"data":{"id":"2244994945","name":"X Dev","username":"XDevelopers"}}"#), instanceURL: nil)
                == AccountProfile(externalID: "2244994945", handle: "@XDevelopers", displayName: "X Dev"))
        #expect(
            AccountProfile.parse(.linkedin, try json(#"{"sub":"782bbtaQ","name":"John Doe","given_name":"John"}"#), instanceURL: nil)
                == AccountProfile(externalID: "782bbtaQ", handle: "John Doe", displayName: "John Doe"))
        #expect(AccountProfile.parse(.reddit, try json(#"{"id":"abc12","name":"spez"}"#), instanceURL: nil)?.handle == "u/spez")
        #expect(
            AccountProfile.parse(
                .mastodon, try json(#"{"id":"109","username":"ada","acct":"ada","display_name":"Ada"}"#),
                instanceURL: "https://mastodon.social")
                == AccountProfile(externalID: "109@mastodon.social", handle: "@ada@mastodon.social", displayName: "Ada"))
        #expect(AccountProfile.parse(.x, try json(#"{"errors":[{"message":"Unauthorized"}]}"#), instanceURL: nil) == nil)
        #expect(try json(#"{"id": 12345678901}"#).string("id") == "12345678901", "numeric ids read as text")
    }

    @Test func blueskyExpiryComesFromTheAccessJWT() {
        let exp = Int(Date().timeIntervalSince1970) + 7200
        let payload = Sodium.base64URLEncode(Array("{\"sub\":\"did:plc:x\",\"exp\":\(exp)}".utf8))
        let left = Bluesky.secondsLeft(jwt: "e30.\(payload).c2ln")
        #expect((7190...7200).contains(left ?? 0))
        #expect(Bluesky.secondsLeft(jwt: "not a jwt") == nil)
    }
}
