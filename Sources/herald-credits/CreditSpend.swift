// POST /w/{slug}/credits/spend: the spend operation over HTTP (fields `action`, a priced action, and
// `key`, the caller's idempotency key): debits the price or answers 409 "not enough credits: …".
// Generating and publishing will spend through the core API in their own programs; this is the
// entry point for integrations until then. A repeated key is charged once.
import HeraldBilling
import HeraldFastCGI
import HeraldWeb

enum CreditSpend {
    static func spend(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.spendCredits) { access, db in
            let action = (form["action"] ?? "").trimmed
            let key = (form["key"] ?? "").trimmed
            guard !action.isEmpty else { throw HTTPError.badRequest("Name the action to spend credits on (field action), like generate_post.") }
            guard (1...190).contains(key.unicodeScalars.count) else {
                throw HTTPError.badRequest("Send an idempotency key of 1 to 190 characters (field key), so that a repeated request is charged once.")
            }
            // Namespaced, so a caller's key never meets Herald's own (monthly:…, refund:…). A refusal
            // (CreditError) reaches the central catcher, which shows its page and changes nothing.
            _ = try Credits.spend(db, workspace: access.id, action: action, key: "web:" + key, actor: access.user.id)
            return .redirect(to: access.role.may(.viewCredits) ? access.path("/credits?notice=spent") : access.path("/"))
        }
    }
}
