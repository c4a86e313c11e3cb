// Messages shown after a redirect. The URL carries only a fixed code, never the text itself.
import HeraldHTML
import HeraldWeb

enum Notice {
    static let messages: [String: Flash] = [
        "created": Flash(.success, "Draft saved. Submit it for review when it is ready."),
        "saved": Flash(.success, "Saved. The post is a draft again and needs a new review."),
        "submitted": Flash(.success, "Submitted for review."),
        "approved": Flash(.success, "Approved. It can be scheduled now."),
        "rejected": Flash(.info, "Rejected, with your comment for the author."),
        "scheduled": Flash(.success, "Scheduled."),
        "unscheduled": Flash(.info, "Unscheduled. The post is approved and waits for a new time."),
        "deleted": Flash(.info, "Post deleted."),
        "campaign-created": Flash(.success, "Campaign created."),
        "campaign-saved": Flash(.success, "Campaign saved."),
        "campaign-archived": Flash(.info, "Campaign archived."),
        "rule-added": Flash(.success, "Brand rule added."),
        "rule-deleted": Flash(.info, "Brand rule deleted."),
        "sending-now": Flash(.success, "It goes out now: Herald sends it within a minute."),
        "send-canceled": Flash(.info, "Canceled: it will not be sent to that channel."),
        "send-canceled-unscheduled": Flash(.info, "Canceled. No channel was left, so the post is approved again and waits for a new time."),
        "marked-live": Flash(.success, "Marked as published, with its address."),
    ]

    static func from(_ c: RequestContext) -> Flash? { c.request.query["notice"].flatMap { messages[$0] } }
}
