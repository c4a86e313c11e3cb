// Making (or replacing) one's calendar feed address; the page that answers shows it, once.
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum FeedCreate {
    static func create(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in
            let replaced = try FeedStore.status(workspace: access.id, user: access.user.id, zone: access.user.timeZone, db) != nil
            let token = try FeedStore.replace(workspace: access.id, user: access.user.id, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: replaced ? "calendar.feed_replaced" : "calendar.feed_created",
                ip: c.request.remoteAddress)
            let url = "\(c.config.baseURL)/ical/\(token).ics"
            let webcal = "webcal://" + (url.firstRange(of: "://").map { String(url[$0.upperBound...]) } ?? url)
            let flash = Flash(
                .success,
                (replaced ? "A new address is ready; the old one no longer works." : "Your feed address is ready.")
                    + " Copy it now: Herald shows it only this once.")
            return try c.page(
                "Your calendar feed · \(access.workspace.name)", flash: flash, current: access.path("/calendar"),
                FeedAddressView.render(access, url: url, webcal: webcal))
        }
    }
}
