// Messages shown after a redirect. The URL carries only a fixed code, never the text itself.
import HeraldHTML
import HeraldWeb

enum Notice {
    static let messages: [String: Flash] = [
        "sudo-confirmed": Flash(
            .success, "Password confirmed. For the next \(Sudo.minutes) minutes sensitive actions need no password: do it again now."),
        "locked": Flash(.success, "The user is locked: they cannot log in, and their sessions were ended."),
        "unlocked": Flash(.success, "The user is unlocked and can log in again."),
        "sessions-ended": Flash(.success, "Their sessions were ended: they are logged out everywhere."),
        "verification-sent": Flash(.success, "A new confirmation link was sent to their email address."),
        "user-deleted": Flash(.success, "The user was deleted, with the workspaces only they belonged to."),
        "credits-granted": Flash(.success, "Credits granted. The entry is at the top of the ledger."),
        "credits-adjusted": Flash(.success, "Balance adjusted. The entry is at the top of the ledger."),
        "credits-replayed": Flash(.info, "That form was already sent: the entry it made is in the ledger, and nothing more was recorded."),
        "job-retried": Flash(.success, "The job is back in the queue, due now, with its attempts reset."),
        "job-discarded": Flash(.success, "The job was discarded (canceled); it will not run."),
    ]

    static func from(_ c: RequestContext) -> Flash? { c.request.query["notice"].flatMap { messages[$0] } }
}
