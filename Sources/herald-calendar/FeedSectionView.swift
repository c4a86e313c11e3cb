// The "Subscribe in your calendar app" section under the month grid: make, replace or turn off
// one's own secret feed address for this workspace.
import HeraldHTML
import HeraldIdentity

enum FeedSectionView {
    /// `feed` is the member's current feed, nil when they have none.
    static func render(_ access: WorkspaceAccess, _ feed: FeedStatus?, csrf: HTML) -> HTML {
        let create = access.path("/calendar/feed")
        let intro: HTML = """
            <h2>Subscribe in your calendar app</h2>
            <p>See this workspace's planned and published posts in Google Calendar, Apple Calendar or Outlook, \
            through a private address made for you. Every post with a date is in it, timed in UTC, so your app shows it in your own time zone.</p>
            """
        guard let feed else {
            return """
                <section class="card cal-feed" id="feed">\(intro)
                <form method="post" action="\(create)">\(csrf)<button class="button primary">Make my feed address</button></form></section>
                """
        }
        return """
            <section class="card cal-feed" id="feed">\(intro)
            <p>Your feed address was made on \(feed.created) and \
            \(feed.lastUsed.map { "was last fetched on \($0)" } ?? "has not been fetched yet").
            Herald keeps only a fingerprint of it, so it cannot show it again: if you lost it, make a new one (the old one stops working).</p>
            <div class="actions"><form method="post" action="\(create)" class="inline">\(csrf)<button class="button">Make a new address</button></form>
            <form method="post" action="\(access.path("/calendar/feed/revoke"))" class="inline">\(csrf)<button class="button danger">Turn off my feed</button></form></div>
            </section>
            """
    }
}
