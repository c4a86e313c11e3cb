// Messages shown after a redirect. The URL carries only a fixed code, never the text itself.
import HeraldHTML
import HeraldSupport
import HeraldWeb

enum Notice {
    static let messages: [String: Flash] = [
        "welcome": Flash(.success, "Welcome to Herald! We sent a link to your email address to confirm it."),
        "profile-saved": Flash(.success, "Your profile was saved."),
        "password-changed": Flash(.success, "Your password was changed. Other sessions were logged out."),
        "verification-sent": Flash(.info, "We sent a new confirmation link to your email address."),
        "email-verified": Flash(.success, "Your email address is confirmed."),
        "password-reset": Flash(.success, "Your password was reset. Log in with the new one."),
        "logged-out": Flash(.info, "You are logged out."),
    ]

    static func from(_ c: RequestContext) -> Flash? {
        c.request.query["notice"].flatMap { messages[$0] }
    }
}
