// The start page's introduction for visitors.
import HeraldHTML

enum HomeView {
    static func render() -> HTML {
        """
        <section class="hero"><h1>Plan, approve and publish — together.</h1>
        <p class="lead">Herald is a self-hosted social media manager for small teams: write posts in campaigns, \
        send them through review, schedule them in your own time zone, and watch how they do.</p>
        <p class="actions"><a class="button primary" href="/signup">Create an account</a> <a class="button" href="/login">Log in</a></p></section>
        """
    }
}
