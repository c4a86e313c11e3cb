// What each adapter does beyond the fault matrix, against the stand-in: Bluesky's facets and taken
// record keys, LinkedIn's escaping, retired versions and duplicates, X's duplicate adoption,
// Reddit's profile posts. Each sits in its platform's serialized suite (the fault queue is shared).
import Foundation
import Testing

@testable import HeraldContent
@testable import HeraldPlatforms

extension AdapterFaultMatrixTests.Bluesky {
    /// The stand-in refuses facets outside the text; the offsets are UTF-8 bytes.
    @Test func facetsCountUTF8Bytes() throws {
        let account = try AdapterSupport.account(.bluesky)
        let text = "Café 🎉 see https://example.com #herald " + UUID().uuidString.prefix(6)
        let outcome = try AdapterSupport.publisher(.bluesky).publish(account.request(text))
        #expect(outcome.kind == "published", "\(outcome)")
        let post = try #require(try AdapterSupport.posts(account).first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data((post["request_body"] as? String ?? "").utf8)) as? [String: Any])
        let record = try #require(body["record"] as? [String: Any])
        #expect(record["text"] as? String == text)
        #expect(body["rkey"] as? String == post["rkey"] as? String)
        let facets = try #require(record["facets"] as? [[String: Any]])
        let ranges = facets.compactMap { facet -> [Int]? in
            guard let index = facet["index"] as? [String: Any], let start = index["byteStart"] as? Int, let end = index["byteEnd"] as? Int else {
                return nil
            }
            return [start, end]
        }
        #expect(ranges == [[15, 34], [35, 42]])
        let features = facets.compactMap { ($0["features"] as? [[String: Any]])?.first }
        #expect(features.first?["uri"] as? String == "https://example.com")
        #expect(features.last?["tag"] as? String == "herald")
    }

    /// A record key already taken by an earlier try that went through: the PDS answers 500, and the
    /// adapter reads the record back instead of trying again forever.
    @Test func takenRecordKeyIsThePost() throws {
        let account = try AdapterSupport.account(.bluesky)
        let request = account.request(AdapterSupport.uniqueText("Taken key"))
        let publisher = try AdapterSupport.publisher(.bluesky)
        guard case .published(let first, _) = publisher.publish(request) else {
            Issue.record("the first send did not publish")
            return
        }
        let again = publisher.publish(request)
        #expect(again == .published(externalID: first, url: "https://bsky.app/profile/\(account.accountID)/post/\(request.requestKey)"))
        #expect(try AdapterSupport.posts(account).count == 1)
        #expect(publisher.reconcile(account.request("never sent")) == .notFound)
    }
}

extension AdapterFaultMatrixTests.LinkedIn {
    @Test func commentaryIsEscapedLittleText() throws {
        let account = try AdapterSupport.account(.linkedin)
        let tag = UUID().uuidString.prefix(6)
        let text = "Launch (beta) #herald @team [x] {y} <z> a_b *c* ~d~ back\\slash | pipe \(tag)"
        let outcome = try AdapterSupport.publisher(.linkedin).publish(account.request(text))
        #expect(outcome.kind == "published", "\(outcome)")
        let post = try #require(try AdapterSupport.posts(account).first)
        let expected = "Launch \\(beta\\) \\#herald \\@team \\[x\\] \\{y\\} \\<z\\> a\\_b \\*c\\* \\~d\\~ back\\\\slash \\| pipe \(tag)"
        #expect(post["text"] as? String == expected)
    }

    /// A retired LinkedIn-Version answers 426: a permanent failure that names the setting.
    @Test func retiredVersion() throws {
        let account = try AdapterSupport.account(.linkedin)
        let outcome = try AdapterSupport.publisher(.linkedin, linkedinVersion: "202401").publish(account.request(AdapterSupport.uniqueText("Old")))
        guard case .permanent(let reason) = outcome else {
            Issue.record("426: \(outcome)")
            return
        }
        #expect(reason.contains("HERALD_LINKEDIN_VERSION") && reason.contains("202401"), "\(reason)")
        #expect(try AdapterSupport.posts(account).isEmpty)
    }

    /// LinkedIn retires the configured version: raise the stand-in's oldest accepted version past it
    /// for one request (and put it back: the setting is shared).
    @Test func versionRetiredByLinkedIn() throws {
        let account = try AdapterSupport.account(.linkedin)
        let publisher = try AdapterSupport.publisher(.linkedin)
        let configured = try AdapterSupport.settings().linkedinVersion
        let month = Int(configured.prefix(6))!
        let next = month % 100 == 12 ? month + 89 : month + 1
        try AdapterSupport.post("/_control/linkedin-min-version", ["version": String(next)])
        let outcome = publisher.publish(account.request(AdapterSupport.uniqueText("Retired")))
        try AdapterSupport.post("/_control/linkedin-min-version", ["version": "202411"])
        guard case .permanent(let reason) = outcome else {
            Issue.record("426: \(outcome)")
            return
        }
        #expect(reason.contains("HERALD_LINKEDIN_VERSION"), "\(reason)")
        #expect(try AdapterSupport.posts(account).isEmpty)
    }

    /// The same commentary again is LinkedIn's 422 naming the first post: adopted.
    @Test func duplicateIsAdopted() throws {
        let account = try AdapterSupport.account(.linkedin)
        let publisher = try AdapterSupport.publisher(.linkedin)
        let request = account.request(AdapterSupport.uniqueText("Twice"))
        let first = publisher.publish(request)
        #expect(first.kind == "published")
        #expect(publisher.publish(request) == first)
        #expect(publisher.reconcile(request) == Outcomes.reconciled(first))
        #expect(try AdapterSupport.posts(account).count == 1)
    }
}

extension AdapterFaultMatrixTests.X {
    /// X refuses a text the account already posted (403): the post with that text is adopted.
    @Test func duplicateIsAdopted() throws {
        let account = try AdapterSupport.account(.x)
        let publisher = try AdapterSupport.publisher(.x)
        let text = AdapterSupport.uniqueText("Same words & more")
        let first = publisher.publish(account.request(text))
        guard case .published(let id, let url) = first else {
            Issue.record("first: \(first)")
            return
        }
        #expect(url == "https://x.com/\(account.name)/status/\(id)")
        #expect(publisher.publish(account.request(text)) == first)
        #expect(try AdapterSupport.posts(account).count == 1)
        #expect(publisher.reconcile(account.request(AdapterSupport.uniqueText("Never sent"))) == .notFound)
    }
}

extension AdapterFaultMatrixTests.Reddit {
    /// A text post on the user's profile, titled by its first line; reconcile finds it by title and text.
    @Test func profilePostTitledByFirstLine() throws {
        let account = try AdapterSupport.account(.reddit)
        let first = AdapterSupport.uniqueText("Release notes")
        let request = account.request(first + "\n\nEverything that changed.")
        let publisher = try AdapterSupport.publisher(.reddit)
        let outcome = publisher.publish(request)
        let post = try #require(try AdapterSupport.posts(account).first)
        #expect(post["subreddit"] as? String == "u_" + account.name)
        #expect(post["title"] as? String == first)
        #expect(post["kind"] as? String == "self")
        #expect(outcome == .published(externalID: post["name"] as? String ?? "", url: post["url"] as? String))
        #expect(publisher.reconcile(request) == .found(externalID: post["name"] as? String ?? "", url: post["url"] as? String))
        #expect(publisher.reconcile(account.request(AdapterSupport.uniqueText("Never sent"))) == .notFound)
    }
}
