// The page that shows a new calendar feed address, once: the address to copy, the link that opens
// it in a calendar app, and how to add it by hand.
import HeraldHTML
import HeraldIdentity

enum FeedAddressView {
    /// `url` is the https address, `webcal` the same with the webcal scheme.
    static func render(_ access: WorkspaceAccess, url: String, webcal: String) -> HTML {
        """
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
        """
    }
}
