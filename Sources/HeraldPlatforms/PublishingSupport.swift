// What the publishing adapters share beyond Publishing.swift: JSON bodies, the rate-limit waits in
// each platform's header format, and how a platform's answer to a re-send reads as a reconcile.
import Foundation
import HeraldSupport

extension Outcomes {
    /// A JSON request body (slashes left as they are, keys sorted so a body reads the same each try).
    static func json(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes, .sortedKeys])) ?? Data("{}".utf8)
        return [UInt8](data)
    }

    /// Seconds until a reset a platform gives in whole seconds: a Unix time (X's x-rate-limit-reset,
    /// Bluesky's RateLimit-Reset), or, when the number is too small to be one, a delay (the IETF
    /// RateLimit-Reset draft's meaning, Reddit's x-ratelimit-reset).
    static func secondsUntil(reset text: String?, now: Int) -> Int? {
        guard let text = text?.trimmed, !text.isEmpty else { return nil }
        guard let value = Int(text) ?? Double(text).map({ Int($0.rounded(.up)) }) else { return nil }
        return value > 1_000_000_000 ? max(0, value - now) : max(0, value)
    }

    /// `Retry-After` in seconds (the platforms here do not send its HTTP-date form).
    static func retryAfter(_ response: FetchResponse) -> Int? {
        response.header("Retry-After").flatMap { Int($0.trimmed) }.map { max(0, $0) }
    }

    /// How the answer to sending a post again reads when the send is the only way to ask whether the
    /// first one is live (Mastodon's replayed Idempotency-Key, LinkedIn's duplicate check).
    static func reconciled(_ outcome: PublishOutcome) -> ReconcileOutcome {
        switch outcome {
        case .published(let id, let url): return .found(externalID: id, url: url)
        case .reconnect(let reason): return .reconnect(reason: reason)
        case .transient(let reason, let wait): return .undecided(reason: reason, waitSeconds: wait)
        case .unknown(let reason), .permanent(let reason): return .undecided(reason: reason, waitSeconds: nil)
        }
    }
}

/// Comparing the text Herald sent with the text a platform shows back.
enum SentText {
    /// White space folded and URLs removed: X shows every link as a t.co address.
    static func withoutURLs(_ text: String) -> String {
        PlainText.normalized(text.replacing(/https?:\/\/\S+/, with: " "))
    }

    /// The three entities X escapes in a post's text.
    static func decodingXEntities(_ text: String) -> String {
        text.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&amp;", with: "&")
    }

    /// The seconds since 1970 of a platform's ISO 8601 time, or nil.
    static func seconds(iso8601 text: String?) -> Int? { text.flatMap(ISO8601.seconds) }
}

/// Comparing what was sent with what a platform shows.
enum PlainText {
    /// Tags removed, the common entities decoded, paragraph breaks as newlines.
    static func fromHTML(_ html: String) -> String {
        var text = html.replacing("</p><p>", with: "\n\n").replacing("<br>", with: "\n").replacing("<br />", with: "\n")
        var out = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { out.append(character) }
        }
        text = out
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
            text = text.replacing(entity, with: character)
        }
        return text
    }

    /// White space folded, for comparing texts a platform may have re-wrapped.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
