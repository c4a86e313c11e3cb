// The pages an OAuth callback shows when the user cancelled at the platform, or the platform
// refused; both lead back to the channels page.
import HeraldHTML

enum OAuthRefusalView {
    static func cancelled(platform: String, back: String) -> HTML {
        """
        <section class="error-page"><h1>You cancelled</h1>
        <p class="lead">You did not approve Herald on \(platform), so nothing was connected. You can connect again whenever you like.</p>\(backLink(back))</section>
        """
    }

    /// `error` and `description` are the provider's, shortened.
    static func refused(platform: String, error: String, description: String?, back: String) -> HTML {
        """
        <section class="error-page"><p class="muted">Error 502</p><h1>\(platform) refused the connection</h1>
        <p class="lead">\(platform) answered “\(String(error.prefix(100)))”\(description.map { ": \(String($0.prefix(300)))" } ?? ""). Nothing was connected. \
        If this keeps happening, an administrator should check the \(platform) app's settings (README: Connecting social accounts).</p>\(backLink(back))</section>
        """
    }

    static func backLink(_ href: String) -> HTML {
        "<p class=\"actions\"><a class=\"button primary\" href=\"\(href)\">Back to channels</a></p>"
    }
}
