// Messages shown after a redirect. The URL carries only a fixed code, never the text itself.
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum Notice {
    static let messages: [String: Flash] = [
        "created": Flash(.success, "Your workspace is ready. Invite your team and connect a channel to get going."),
        "invited": Flash(.success, "Invitation sent. It is valid for 7 days."),
        "role-changed": Flash(.success, "Role changed."),
        "removed": Flash(.success, "Member removed."),
        "revoked": Flash(.success, "Invitation revoked."),
        "saved": Flash(.success, "Settings saved."),
        "transferred": Flash(.success, "Ownership transferred. You are now an admin."),
        "joined": Flash(.success, "Welcome! You joined the workspace."),
        "left": Flash(.info, "You left the workspace."),
        "deleted": Flash(.info, "The workspace and everything in it were deleted."),
    ]

    static func from(_ c: RequestContext) -> Flash? { c.request.query["notice"].flatMap { messages[$0] } }
}
