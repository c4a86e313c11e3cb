// Email verification and password reset by the links that land in the outbox.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct EmailLinkTests {
    /// The path of the newest link to `email` in the outbox matching `prefix`.
    func linkPath(to email: String, prefix: String) throws -> String { try Outbox.newestLink(to: email, prefix: prefix) }

    @Test func verifyEmailByLink() throws {
        let browser = Browser()
        let email = try browser.signUpUnconfirmed()
        let path = try linkPath(to: email, prefix: "/verify-email/")
        // Opening the link changes nothing by itself.
        let page = try Browser().get(path)
        #expect(page.status == 200)
        #expect(page.body.contains("Confirm email address"))
        let db = try TestEnvironment.connectApp()
        #expect(try db.queryRow("SELECT email_verified_at IS NULL FROM users WHERE email = $1", [.text(email)])?.bool(0) == true)
        try browser.get(path)
        let confirmed = try browser.post(path, [])
        #expect(confirmed.status == 303)
        #expect(try browser.get("/account").body.contains("<span class=\"badge\">confirmed</span>"))
        #expect(try db.queryRow("SELECT email_verified_at IS NOT NULL FROM users WHERE email = $1", [.text(email)])?.bool(0) == true)
        let again = try browser.get(path)
        #expect(again.status == 410)
        #expect(again.body.contains("already used"))
        #expect(try browser.get("/verify-email/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status == 404)
    }

    @Test func expiredVerificationLinkSaysSo() throws {
        let browser = Browser()
        let email = try browser.signUpUnconfirmed()
        let path = try linkPath(to: email, prefix: "/verify-email/")
        let db = try TestEnvironment.connectApp()
        try db.query(
            """
            UPDATE email_verifications SET created_at = now() - interval '3 days', expires_at = now() - interval '1 day'
            WHERE user_id = (SELECT id FROM users WHERE email = $1)
            """, [.text(email)])
        let page = try browser.get(path)
        #expect(page.status == 410)
        #expect(page.body.contains("expired"))
    }

    @Test func resetPasswordByLink() throws {
        let browser = Browser()
        let email = try browser.signUp()
        let otherDevice = Browser()
        try otherDevice.logIn(email: email)
        try browser.post("/logout", [])

        let anonymous = Browser()
        try anonymous.get("/password/forgot")
        let asked = try anonymous.post("/password/forgot", [("email", email)])
        #expect(asked.status == 200)
        #expect(asked.body.contains("If an account exists"))
        // An unknown address gets the same answer and no mail.
        let unknownEmail = TestEnvironment.uniqueEmail("ghost")
        let unknown = try anonymous.post("/password/forgot", [("email", unknownEmail)])
        #expect(unknown.body.contains("If an account exists"))
        let path = try linkPath(to: email, prefix: "/password/reset/")
        // Checked once the known address's mail (sent after its answer, as the other's would be) is there.
        let db = try TestEnvironment.connectApp()
        #expect(try db.queryRow("SELECT count(*) FROM outbox_emails WHERE recipient = $1", [.text(unknownEmail)])?.int(0) == 0)

        let form = try anonymous.get(path)
        #expect(form.status == 200)
        let weak = try anonymous.post(path, [("password", "123456789")])
        #expect(weak.status == 422)
        let done = try anonymous.post(path, [("password", "reset to something new")])
        #expect(done.status == 303)
        #expect(done.header("Location")?.hasSuffix("/login?notice=password-reset") == true)
        #expect(try otherDevice.get("/account").status == 303, "every session ended")
        #expect(try anonymous.logIn(email: email).status == 401)
        #expect(try anonymous.logIn(email: email, password: "reset to something new").status == 303)
        #expect(try Browser().get(path).status == 410, "the link works once")
    }

    /// Every reset link's path to `email` in the outbox, oldest first, once there are `count`.
    func resetPaths(to email: String, count: Int) throws -> [String] {
        try Outbox.links(to: email, prefix: "/password/reset/", atLeast: count)
    }

    @Test func olderResetLinksEndWithAResetOrAPasswordChange() throws {
        let browser = Browser()
        let email = try browser.signUp()
        let anonymous = Browser()
        try anonymous.get("/password/forgot")
        for _ in 0..<2 { #expect(try anonymous.post("/password/forgot", [("email", email)]).status == 200) }
        let links = try resetPaths(to: email, count: 2)
        try #require(links.count == 2)
        // The newer link resets the password; the older one, never used, ends with it.
        try anonymous.get(links[1])
        #expect(try anonymous.post(links[1], [("password", "reset to something new")]).status == 303)
        #expect(try Browser().get(links[0]).status == 410, "an older link is void after a reset")
        let stale = Browser()
        try stale.get("/login")
        #expect(try stale.post(links[0], [("password", "someone else's choice 1")]).status == 410)
        #expect(try Browser().logIn(email: email, password: "reset to something new").status == 303)

        // A link asked for before a password change is void after it.
        try anonymous.post("/password/forgot", [("email", email)])
        let beforeChange = try #require(try resetPaths(to: email, count: 3).last)
        #expect(try Browser().get(beforeChange).status == 200)
        try browser.logIn(email: email, password: "reset to something new")
        try browser.get("/account")
        let changed = try browser.post(
            "/account/password", [("current_password", "reset to something new"), ("new_password", "changed on the account page")])
        #expect(changed.status == 303)
        #expect(try Browser().get(beforeChange).status == 410, "a link from before the change is void")
    }

    /// Nobody can flood a mailbox through Herald: at most 3 reset mails and 3 confirmation mails an
    /// hour to one account; the forgot-password page answers the same either way.
    @Test func mailsToOneAddressAreLimitedPerHour() throws {
        let browser = Browser()
        let email = try browser.signUpUnconfirmed()
        let anonymous = Browser()
        try anonymous.get("/password/forgot")
        for _ in 0..<5 {
            let asked = try anonymous.post("/password/forgot", [("email", email)])
            #expect(asked.status == 200)
            #expect(asked.body.contains("If an account exists"))
        }
        #expect(try resetPaths(to: email, count: 3).count == 3)
        usleep(500_000)  // and no fourth comes
        #expect(try resetPaths(to: email, count: 3).count == 3)

        // signUpUnconfirmed asked for the first confirmation link; two more may follow within the hour, then 429.
        for _ in 0..<2 {
            try browser.get("/account")
            #expect(try browser.post("/account/verify-email", []).status == 303)
        }
        try browser.get("/account")
        let refused = try browser.post("/account/verify-email", [])
        #expect(refused.status == 429)
        #expect(refused.body.contains("We sent you 3 confirmation links within the last hour."))
        let db = try TestEnvironment.connectApp()
        #expect(
            try db.queryRow(
                "SELECT count(*) FROM outbox_emails WHERE recipient = $1 AND subject LIKE 'Confirm your email address%'", [.text(email)]
            )?.int(0) == 3)
    }

    @Test func heraldctlPrintsTheOutbox() throws {
        let browser = Browser()
        let email = try browser.signUpUnconfirmed()
        let binary = TestEnvironment.binary("heraldctl")
        let output = try TestEnvironment.run(
            binary, ["mail", "outbox", "--to", email],
            environment: ["HERALD_OWNER_DATABASE_URL": TestEnvironment.ownerURL])
        #expect(output.contains("To: \(email)"))
        #expect(output.contains("Subject: Confirm your email address for Herald"))
        #expect(output.contains("/verify-email/"))
    }
}
