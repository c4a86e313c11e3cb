// The adapters' pure parts, without the stand-in: record keys, facets, LinkedIn's escaping, Reddit's
// titles and rate-limit words, X's text comparison, rate-limit resets and the settings.
import Foundation
import Testing

@testable import HeraldContent
@testable import HeraldPlatforms
@testable import HeraldSupport

struct AdapterUnitTests {
    @Test func recordKeysAreTIDs() {
        let keys = (0..<200).map { _ in BlueskyPublisher.newRecordKey() }
        for key in keys {
            #expect(key.wholeMatch(of: /[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}/) != nil, "\(key)")
        }
        #expect(Set(keys).count == keys.count)
        #expect(keys == keys.sorted(), "TIDs sort by time")
        #expect(RecordKey.encode(0) == "2222222222222")
        // 2023-01-01T00:00:00Z in microseconds, clock id 0: the spec's layout (timestamp << 10 | clock id).
        let micros: UInt64 = 1_672_531_200_000_000
        let decoded = RecordKey.encode(micros << 10).utf8.reduce(UInt64(0)) { value, byte in
            value << 5 | UInt64(Array("234567abcdefghijklmnopqrstuvwxyz".utf8).firstIndex(of: byte)!)
        }
        #expect(decoded >> 10 == micros)
    }

    @Test func facetsAreUTF8ByteRanges() {
        let facets = BlueskyFacets.detect("Café 🎉 see https://example.com #herald")
        #expect(
            facets == [
                .init(byteStart: 15, byteEnd: 34, type: BlueskyFacets.linkType, value: "https://example.com"),
                .init(byteStart: 35, byteEnd: 42, type: BlueskyFacets.tagType, value: "herald"),
            ])
    }

    @Test func facetsLeaveOutTrailingPunctuation() {
        let facets = BlueskyFacets.detect("(see https://example.com/a_b) and https://x.org/p. Also #2026 #tag! ＃日本 @alice.test.")
        #expect(facets.map(\.value) == ["https://example.com/a_b", "https://x.org/p", "tag", "日本"])
        let mention = BlueskyFacets.detect("hi @alice.example.com.") { $0 == "alice.example.com" ? "did:plc:alice" : nil }
        #expect(mention == [.init(byteStart: 3, byteEnd: 21, type: BlueskyFacets.mentionType, value: "did:plc:alice")])
        #expect(BlueskyFacets.detect("mail me@example.com or @nodot").isEmpty)
    }

    @Test func littleTextEscapesReservedCharacters() {
        #expect(LinkedInPublisher.littleText("a|b{c}d@e[f]g(h)i<j>k#l\\m*n_o~p") == "a\\|b\\{c\\}d\\@e\\[f\\]g\\(h\\)i\\<j\\>k\\#l\\\\m\\*n\\_o\\~p")
        #expect(LinkedInPublisher.littleText("Plain: text, 100% fine!") == "Plain: text, 100% fine!")
    }

    @Test func redditTitles() {
        let request = { (text: String, title: String?) in
            PublishRequest(
                platform: .reddit, accountID: "t2_abc", handle: "u/someone", serverURL: nil, accessToken: "t", text: text, title: title,
                requestKey: "k")
        }
        #expect(RedditPublisher.title(request("\n  First line  \nSecond", nil)) == "First line")
        #expect(RedditPublisher.title(request("Body", " Given ")) == "Given")
        let long = RedditPublisher.title(request(String(repeating: "é", count: 400), nil))
        #expect(long.unicodeScalars.count == 300 && long.hasSuffix("…"))
        #expect(RedditPublisher.username(request("x", nil)) == "someone")
    }

    @Test func redditRateLimitWords() {
        #expect(RedditPublisher.seconds(in: "Looks like you've been doing that a lot. Take a break for 9 minutes before trying again.") == 540)
        #expect(RedditPublisher.seconds(in: "you are doing that too much. try again in 1 minute.") == 60)
        #expect(RedditPublisher.seconds(in: "Take a break for 30 seconds before trying again.") == 30)
        #expect(RedditPublisher.seconds(in: "you are doing that too much") == nil)
    }

    @Test func xTextComparisonIgnoresLinks() {
        let sent = "New release &  notes:\nhttps://example.com/releases/2 #herald"
        let shown = "New release &amp; notes: https://t.co/AbCdEf123 #herald"
        #expect(SentText.withoutURLs(SentText.decodingXEntities(shown)) == SentText.withoutURLs(sent))
    }

    @Test func rateLimitResets() {
        #expect(Outcomes.secondsUntil(reset: "1700000060", now: 1_700_000_000) == 60)
        #expect(Outcomes.secondsUntil(reset: "42", now: 1_700_000_000) == 42)
        #expect(Outcomes.secondsUntil(reset: "599.6", now: 1_700_000_000) == 600)
        #expect(Outcomes.secondsUntil(reset: nil, now: 0) == nil)
    }

    @Test func settingsFromVariables() throws {
        let defaults = try PublishSettings.load { _ in nil }
        #expect(defaults.xAPIURL == "https://api.x.com" && defaults.linkedinAPIURL == "https://api.linkedin.com")
        #expect(defaults.redditAPIURL == "https://oauth.reddit.com" && defaults.blueskyServiceURL == "https://bsky.social")
        #expect(defaults.linkedinVersion == PublishSettings.defaultLinkedInVersion)
        let set = try PublishSettings.load {
            ["HERALD_X_API_URL": "http://127.0.0.1:9/x/", "HERALD_LINKEDIN_VERSION": "202508.02", "HERALD_BLUESKY_SERVICE_URL": "pds.example"][$0]
        }
        #expect(set.xAPIURL == "http://127.0.0.1:9/x" && set.linkedinVersion == "202508.02" && set.blueskyServiceURL == "https://pds.example")
        for bad in ["2026-07", "202613", "20260701", "202201", "latest"] {
            #expect(throws: ConfigError.self) { try PublishSettings.load { $0 == "HERALD_LINKEDIN_VERSION" ? bad : nil } }
            do {
                _ = try PublishSettings.load { $0 == "HERALD_LINKEDIN_VERSION" ? bad : nil }
            } catch {
                #expect("\(error)".contains("HERALD_LINKEDIN_VERSION"))
            }
        }
        #expect(throws: ConfigError.self) { try PublishSettings.load { $0 == "HERALD_REDDIT_API_URL" ? "oauth.reddit.com" : nil } }
    }
}
