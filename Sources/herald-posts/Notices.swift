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
        "drafts-requested": Flash(.success, "The drafts are being written. They appear below for review in a minute or so."),
        "draft-rejected": Flash(.info, "Draft rejected. Nothing was made of it."),
        "draft-approved": Flash(.success, "Approved: this post draft was made of it. Edit it, then submit it for review as usual."),
        "source-added": Flash(.success, "Source added. Its text is ready for your personas."),
        "source-fetching": Flash(.success, "Source added. Herald fetches the page in a moment; reload to see it ready."),
        "source-deleted": Flash(.info, "Source deleted."),
        "persona-created": Flash(.success, "Persona created. Link the sources it should learn its style from."),
        "persona-saved": Flash(.success, "Persona saved."),
        "persona-archived": Flash(.info, "Persona archived. It is no longer offered for drafts."),
        "persona-restored": Flash(.success, "Persona restored."),
        "persona-source-linked": Flash(.success, "Source linked."),
        "persona-source-unlinked": Flash(.info, "Source unlinked."),
        "persona-profile-saved": Flash(.success, "Style profile saved."),
        "persona-learning": Flash(.success, "Learning the style from the sources. The profile appears here in a minute or so."),
    ]

    static func from(_ c: RequestContext) -> Flash? { c.request.query["notice"].flatMap { messages[$0] } }
}
