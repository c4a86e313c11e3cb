// The page a confirmation link opens: the address and the button that confirms it.
import HeraldHTML

enum EmailConfirmView {
    static func render(email: String, token: String, csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>Confirm your email</h1><p>Confirm that <strong>\(email)</strong> is your address.</p>
        <form method="post" action="/verify-email/\(token)">\(csrf)
        <button class="button primary">Confirm email address</button></form></div>
        """
    }
}
