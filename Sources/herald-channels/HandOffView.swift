// The page that sends the browser on to the platform to approve Herald (a link, and the Refresh
// header the handler sets).
import HeraldHTML

enum HandOffView {
    /// `platform` is its label, `url` the provider's authorize URL.
    static func render(platform: String, url: String) -> HTML {
        """
        <div class="auth-card card"><h1>Continue to \(platform)</h1>
        <p class="lead">Approve Herald on \(platform); it sends you back here afterwards. You have 10 minutes.</p>
        <p class="actions"><a class="button primary" id="continue" href="\(url: url)" rel="noreferrer">Continue to \(platform)</a></p></div>
        """
    }
}
