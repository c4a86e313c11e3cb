// Messages shown after a redirect. The URL carries only a fixed code, never the text itself.
import HeraldBilling
import HeraldHTML
import HeraldWeb

enum Notice {
    static let messages: [String: Flash] = [
        "spent": Flash(.success, "Credits spent. The entry is at the top of the ledger.")
    ]

    static func from(_ c: RequestContext) -> Flash? { c.request.query["notice"].flatMap { messages[$0] } }
}
