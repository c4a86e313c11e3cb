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
            try Audit.record(db, workspace: access.id, actor: access.user.id, action: replaced ? "calendar.feed_replaced" : "calendar.feed_created",
                             ip: c.request.remoteAddress)
            let url = "\(c.config.baseURL)/ical/\(token).ics"
            let webcal = "webcal://" + (url.firstRange(of: "://").map { String(url[$0.upperBound...]) } ?? url)
            let flash = Flash(.success, (replaced ? "A new address is ready; the old one no longer works." : "Your feed address is ready.")
                              + " Copy it now: Herald shows it only this once.")
            return try c.page("Your calendar feed · \(access.workspace.name)", flash: flash, current: access.path("/calendar"), """
                <h1>Your calendar feed</h1>
                <section class="card cal-feed">
                <div class="field"><label for="feed-url">Feed address for \(access.workspace.name)</label>\
                <input id="feed-url" class="cal-feed-url" type="text" readonly value="\(url)"></div>
                <div class="actions"><a class="button primary" href="\(webcal)">Open in my calendar app</a>\
                <a class="button" href="\(access.path("/calendar"))">Back to the calendar</a></div>
                <h2>Adding it by hand</h2>
                <ul><li><strong>Google Calendar</strong>: Other calendars, +, From URL; paste the address.</li>
                <li><strong>Apple Calendar</strong>: File, New Calendar Subscription; paste the address.</li>
                <li><strong>Outlook</strong>: Add calendar, Subscribe from web; paste the address.</li></ul>
                <p class="muted small">Anyone with this address can read the posts' text, so keep it to yourself. Calendar apps refresh it \
                every hour or so. The feed holds the next \(ICalFeed.upcomingLimit) posts with a date and the last \(ICalFeed.pastLimit). \
                It stops working when you make a new one, turn it off, or leave the workspace.</p>
                </section>
                """)
        }
    }
}
