// Credits for publishing where the price table prices it (X, per post): debited once per target
// and job when the send starts (the job's key, so a retried attempt never pays twice), refunded
// with a reversing entry when the target ends failed.
import HeraldBilling
import HeraldContent
import HeraldDatabase

enum PublishCharges {
    /// `publish_x`, or `publish_x_link` when the text holds a link.
    static func action(_ platform: Platform, text: String) -> String {
        let hasLink = text.contains("http://") || text.contains("https://")
        return "publish_\(platform.rawValue)" + (hasLink ? "_link" : "")
    }

    /// Debits the target's price, if its platform has one. Throws `CreditError.insufficient`
    /// ("not enough credits: you have N, this needs M") and changes nothing when the balance is short.
    static func charge(_ db: Connection, workspace: Int, platform: Platform, text: String, target: Int, job: Int) throws {
        let action = action(platform, text: text)
        guard try db.queryRow("SELECT 1 FROM credit_prices WHERE action = $1 AND is_active", [.text(action)]) != nil else { return }
        _ = try Credits.spend(
            db, workspace: workspace, action: action, key: "publish:target:\(target):job:\(job)", reference: "post_target:\(target)",
            note: "publishing")
    }

    /// Gives back every spend for the target not refunded yet (once each).
    static func refund(_ db: Connection, workspace: Int, target: Int) throws {
        try Credits.refundAll(db, workspace: workspace, reference: "post_target:\(target)", reason: "publishing failed")
    }
}
