// Messages shown after a redirect. The URL carries only a fixed code, never the text itself.
import HeraldHTML
import HeraldWeb

enum Notice {
    static let messages: [String: Flash] = [
        "feed-off": Flash(.info, "Your calendar feed is off: its address no longer works.")
    ]

    static func from(_ c: RequestContext) -> Flash? { c.request.query["notice"].flatMap { messages[$0] } }
}
