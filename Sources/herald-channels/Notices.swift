// Messages shown after a redirect. The URL carries only a fixed code, never the text itself.
import HeraldHTML
import HeraldWeb

enum Notice {
    static let messages: [String: Flash] = [
        "connected": Flash(.success, "Account connected. Posts can go to it now."),
        "reconnected": Flash(.success, "Account reconnected with fresh tokens."),
        "disconnected": Flash(.info, "Account disconnected: its tokens were revoked at the platform and deleted here."),
        "disconnected-unrevoked": Flash(
            .info,
            "Account disconnected and its tokens deleted here, but the platform could not be reached to revoke them. To be sure, remove Herald from the account's connected apps on the platform."
        ),
        "disconnected-no-revoke": Flash(
            .info,
            "Account disconnected and its tokens deleted here. This platform offers apps no way to revoke them: remove Herald from the account's connected apps there."
        ),
    ]

    static func from(_ c: RequestContext) -> Flash? { c.request.query["notice"].flatMap { messages[$0] } }
}
