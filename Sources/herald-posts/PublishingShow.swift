// /w/{slug}/publishing: every send of the workspace's posts that is coming up, being made, failed
// or unconfirmed, with what a scheduler can do about each (TargetRetry, TargetCancel, TargetMarkLive).
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum PublishingShow {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try respond(c, access, db, flash: Notice.from(c)) }
    }

    /// Loads the page and renders it: for the page itself, and for a refused "it is live" form.
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, flash: Flash? = nil, live: PublishingView.LiveForm? = nil,
        status: Int = 200
    ) throws -> Response {
        let rows = try PublishingStore.overview(access.id, timeZone: access.user.timeZone, db)
        let body = PublishingView.html(access, rows, live: live, csrf: Layout.csrfField(try c.csrfToken()))
        return try c.page("Publishing · \(access.workspace.name)", flash: flash, current: access.path("/publishing"), status: status, body)
    }
}
