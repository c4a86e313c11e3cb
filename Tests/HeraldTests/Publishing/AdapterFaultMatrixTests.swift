// Every publishing adapter against every fault the stand-in can play on a create request: what the
// adapter decides, and how many posts the platform then holds (never two). Where the answer was
// lost after the post was made (drop, slow), reconcile must find that very post.
// The stand-in's fault queue is per platform, so each platform's tests run one at a time (the
// platforms in parallel); every other test that creates posts on a platform sits in its suite.
import Foundation
import Testing

@testable import HeraldContent
@testable import HeraldPlatforms

/// A fault queued for the next create request, or none; `markedExpired` expires the token itself.
enum AdapterFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case none
    case serverError = "500"
    case rateLimited = "429"
    case drop, slow, invalid, expired, markedExpired
    var testDescription: String { rawValue }

    /// The outcome the adapters must decide.
    var expectedKind: String {
        switch self {
        case .none: return "published"
        case .serverError, .rateLimited: return "transient"
        case .drop, .slow: return "unknown"
        case .invalid: return "permanent"
        case .expired, .markedExpired: return "reconnect"
        }
    }

    /// Posts the platform holds afterwards: the post is made before a drop or a slow answer.
    var expectedPosts: Int { [.none, .drop, .slow].contains(self) ? 1 : 0 }
}

enum AdapterMatrix {
    static func run(_ platform: Platform, _ fault: AdapterFault) throws {
        let account = try AdapterSupport.account(platform)
        let request = account.request(AdapterSupport.uniqueText("Matrix \(platform.rawValue) \(fault.rawValue) #herald"), title: nil)
        switch fault {
        case .none: break
        case .markedExpired: try AdapterSupport.expire(account)
        default: try AdapterSupport.queue(account, [fault.rawValue])
        }
        // A dropped answer on a reused connection is only noticed at HTTPFetch's bound of the whole call: keep it short too.
        let short = fault == .slow || fault == .drop
        let publisher = try AdapterSupport.publisher(platform, timeout: short ? AdapterSupport.shortTimeout : AdapterSupport.timeout)
        let outcome = publisher.publish(request)
        #expect(outcome.kind == fault.expectedKind, "\(platform.label) \(fault.rawValue): \(outcome)")

        let posts = try AdapterSupport.posts(account)
        #expect(posts.count == fault.expectedPosts, "\(platform.label) \(fault.rawValue): \(posts.count) posts")
        if fault == .none, case .published(let id, let url) = outcome {
            #expect(id == posts.first.flatMap { AdapterSupport.externalID($0, platform) })
            #expect(url?.hasPrefix("http") == true, "\(platform.label): \(url ?? "no url")")
        }
        if fault == .rateLimited, case .transient(_, let wait) = outcome {
            if platform == .linkedin {
                #expect(wait == nil, "LinkedIn sends no rate-limit headers")
            } else {
                #expect((50...61).contains(wait ?? -1), "\(platform.label) 429: wait \(String(describing: wait))")
            }
        }
        guard fault == .drop || fault == .slow, let made = posts.first else { return }

        // The answer was lost: reconcile finds the post the platform made, and makes no other.
        let found = try AdapterSupport.publisher(platform).reconcile(request)
        guard case .found(let id, _) = found else {
            Issue.record("\(platform.label) \(fault.rawValue): reconcile answered \(found)")
            return
        }
        #expect(id == AdapterSupport.externalID(made, platform))
        #expect(try AdapterSupport.posts(account).count == 1)
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdapterFaultMatrixTests {
    @Suite(.serialized) struct Mastodon {
        @Test(arguments: AdapterFault.allCases) func fault(_ fault: AdapterFault) throws { try AdapterMatrix.run(.mastodon, fault) }
    }

    @Suite(.serialized) struct Bluesky {
        @Test(arguments: AdapterFault.allCases) func fault(_ fault: AdapterFault) throws { try AdapterMatrix.run(.bluesky, fault) }
    }

    @Suite(.serialized) struct X {
        @Test(arguments: AdapterFault.allCases) func fault(_ fault: AdapterFault) throws { try AdapterMatrix.run(.x, fault) }
    }

    @Suite(.serialized) struct LinkedIn {
        @Test(arguments: AdapterFault.allCases) func fault(_ fault: AdapterFault) throws { try AdapterMatrix.run(.linkedin, fault) }
    }

    @Suite(.serialized) struct Reddit {
        @Test(arguments: AdapterFault.allCases) func fault(_ fault: AdapterFault) throws { try AdapterMatrix.run(.reddit, fault) }
    }
}
