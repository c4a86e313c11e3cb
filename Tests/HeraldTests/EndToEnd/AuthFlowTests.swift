// Sign-up, login, account and logout through real nginx and herald-auth.
import Foundation
import Testing

@testable import HeraldCrypto

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AuthFlowTests {
    @Test func signUpLogInSeeAccountLogOut() throws {
        let browser = Browser()
        let signupPage = try browser.get("/signup")
        #expect(signupPage.status == 200)
        #expect(signupPage.body.contains("<option selected>UTC</option>"))
        let email = try browser.signUp(name: "Ada Lovelace", timeZone: "Europe/London")
        let account = try browser.get("/account")
        #expect(account.status == 200)
        #expect(account.body.contains("Ada Lovelace"))
        #expect(account.body.contains(email))
        #expect(account.body.contains("Europe/London"))
        #expect(account.body.contains("<span class=\"badge\">confirmed</span>"), "the sign-up link confirmed the address")

        let logout = try browser.post("/logout", [])
        #expect(logout.status == 303)
        #expect(logout.header("Location")?.hasSuffix("/login?notice=logged-out") == true)
        #expect(browser.sessionCookie == nil)
        let afterLogout = try browser.get("/account")
        #expect(afterLogout.status == 303)
        #expect(afterLogout.header("Location")?.contains("/login?next=%2Faccount") == true)

        let login = try browser.logIn(email: email.uppercased())
        #expect(login.status == 303, "email is case-insensitive")
        #expect(login.header("Location")?.hasSuffix("/w") == true, "to the workspaces")
        #expect(try browser.get("/account").body.contains("Ada Lovelace"))
    }

    @Test func loginReturnsToTheRequestedLocalPageOnly() throws {
        let browser = Browser()
        let email = try browser.signUp()
        try browser.post("/logout", [])
        try browser.get("/login?next=%2Faccount")
        let back = try browser.post("/login", [("email", email), ("password", TestEnvironment.defaultPassword), ("next", "/account")])
        #expect(back.header("Location")?.hasSuffix("/account") == true)
        try browser.post("/logout", [])
        try browser.get("/login")
        let evil = try browser.post("/login", [("email", email), ("password", TestEnvironment.defaultPassword), ("next", "//evil.example/x")])
        #expect(evil.header("Location")?.contains("evil.example") == false)
    }

    @Test func sessionIDChangesAtLoginAndTheOldOneIsDead() throws {
        let browser = Browser()
        let email = try browser.signUp()
        let first = try #require(browser.sessionCookie)
        // Log in again in the same browser: a new id, and the old one no longer works.
        let login = try browser.logIn(email: email)
        #expect(login.status == 303)
        let second = try #require(browser.sessionCookie)
        #expect(first != second)
        let stale = Browser()
        stale.cookies["__Host-herald_session"] = first
        let response = try stale.get("/account")
        #expect(response.status == 303, "the old session is rejected")
        #expect(response.setCookie("__Host-herald_session")?.contains("Max-Age=0") == true, "and its cookie cleared")
        #expect(try browser.get("/account").status == 200)
    }

    @Test func sessionCookieHasExactlyTheRequiredFlags() throws {
        let browser = Browser()
        try browser.get("/signup")
        let email = TestEnvironment.uniqueEmail()
        try browser.post("/signup", [("name", "Flags"), ("email", email), ("time_zone", "UTC")])
        // The session starts on the sign-up link's page, with the password chosen there.
        let link = try browser.newestLink(to: email, prefix: "/signup/confirm/")
        try browser.get(link)
        let response = try browser.post(link, [("password", TestEnvironment.defaultPassword)])
        let cookie = try #require(response.setCookie("__Host-herald_session"))
        let parts = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(parts[0].hasPrefix("__Host-herald_session="))
        let token = String(parts[0].dropFirst("__Host-herald_session=".count))
        #expect(Sodium.base64URLDecode(token)?.count == 32, "256-bit token")
        let attributes = Set(parts.dropFirst().filter { !$0.hasPrefix("Max-Age=") })
        #expect(attributes == ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"])
        #expect(!cookie.contains("Domain="), "__Host- cookies carry no Domain")
    }

    @Test func onlyTheTokenHashIsStored() throws {
        let browser = Browser()
        let email = try browser.signUp()
        let token = try #require(browser.sessionCookie)
        let db = try TestEnvironment.connectApp()
        let row = try #require(
            try db.queryRow(
                """
                SELECT count(*) FILTER (WHERE s.token_hash = sha256(convert_to($2, 'UTF8'))),
                       count(*) FILTER (WHERE position(convert_to($2, 'UTF8') IN s.token_hash) > 0)
                FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1
                """, [.text(email), .text(token)]))
        #expect(try row.int(0) == 1)
        #expect(try row.int(1) == 0)
    }

    @Test func storedPasswordHashIsArgon2id() throws {
        let browser = Browser()
        let email = try browser.signUp()
        let db = try TestEnvironment.connectApp()
        let hash = try #require(try db.queryRow("SELECT password_hash FROM users WHERE email = $1", [.text(email)])?.string(0))
        #expect(hash.hasPrefix("$argon2id$"))
        #expect(!hash.contains(TestEnvironment.defaultPassword))
    }

    @Test func wrongPasswordAndUnknownEmailGetTheSameGenericError() throws {
        let browser = Browser()
        let email = try browser.signUp()
        try browser.post("/logout", [])
        let wrong = try browser.logIn(email: email, password: "not the password at all")
        let unknown = try browser.logIn(email: TestEnvironment.uniqueEmail("nobody"), password: "not the password at all")
        #expect(wrong.status == 401)
        #expect(unknown.status == 401)
        #expect(wrong.body.contains("The email or password is incorrect."))
        #expect(unknown.body.contains("The email or password is incorrect."))
        #expect(wrong.body.contains("value=\"\(email)\""), "the form keeps the email")
        #expect(browser.sessionCookie == nil)
    }

    @Test func sqlInjectionInTheEmailIsJustAWrongLogin() throws {
        let browser = Browser()
        let response = try browser.logIn(email: "' OR 1=1 --", password: "' OR '1'='1")
        #expect(response.status == 401)
        #expect(response.body.contains("The email or password is incorrect."))
        #expect(browser.sessionCookie == nil)
    }

    /// Sign-up says nothing of whether an address has an account: the same redirect and page, no
    /// session, and the difference goes by mail to the address's owner.
    @Test func signUpAnswersTheSameWhetherOrNotTheAddressHasAnAccount() throws {
        let owner = Browser()
        let taken = try owner.signUp(name: "Owner")
        let free = TestEnvironment.uniqueEmail()
        var answers: [(status: Int, location: String?, page: String)] = []
        for email in [taken.uppercased(), free] {
            let visitor = Browser()
            try visitor.get("/signup")
            let response = try visitor.post("/signup", [("name", "Mallory"), ("email", email), ("time_zone", "UTC")])
            #expect(visitor.sessionCookie == nil, "sign-up logs nobody in")
            let page = try visitor.get("/signup/sent")
            answers.append((response.status, response.header("Location"), page.body.replacing(/name="csrf" value="[^"]*"/, with: "")))
        }
        #expect(answers[0].status == 303 && answers[1].status == 303)
        #expect(answers[0].location == answers[1].location)
        #expect(answers[0].page == answers[1].page, "the same page")
        #expect(answers[0].page.contains("We sent a message to the address you entered."))

        // The owner is told by mail; the account is unchanged.
        let notice = try #require(try Outbox.links(to: taken, prefix: "/password/forgot").last)
        #expect(notice == "/password/forgot" && !notice.contains("/signup/confirm/"))
        let db = try TestEnvironment.connectApp()
        #expect(try db.queryRow("SELECT name FROM users WHERE email = $1", [.text(taken)])?.string(0) == "Owner")
        #expect(try Browser().logIn(email: taken).status == 303)
        // The free address has no account until its link is used, and the link's holder (the address's
        // owner) chooses the password: whoever filled in the form cannot log in with one of theirs.
        let link = try Outbox.newestLink(to: free, prefix: "/signup/confirm/")
        #expect(try db.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(free)])?.int(0) == 0)
        let holder = Browser()
        let page = try holder.get(link)
        #expect(page.status == 200 && page.body.contains("choose its password") && page.body.contains("type=\"password\""))
        let weak = try holder.post(link, [("password", "password")])
        #expect(weak.status == 422 && weak.body.contains("one of the most common"))
        #expect(try db.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(free)])?.int(0) == 0, "a refused password makes nothing")
        #expect(try holder.post(link, [("password", "the holder's own passphrase")]).status == 303)
        #expect(try Browser().logIn(email: free, password: "the holder's own passphrase").status == 303)
    }

    @Test func theSignUpLinkCreatesTheAccountOnce() throws {
        let email = TestEnvironment.uniqueEmail()
        let visitor = Browser()
        try visitor.get("/signup?next=%2Faccount")
        #expect(
            try visitor.post("/signup", [("name", "Grace"), ("email", email), ("time_zone", "Europe/Paris"), ("next", "/account")]).status == 303)
        let path = try Outbox.newestLink(to: email, prefix: "/signup/confirm/")
        // Opening the link changes nothing by itself (mail scanners follow links).
        let page = try Browser().get(path)
        #expect(page.status == 200 && page.body.contains("Create my account") && page.body.contains(email))
        let db = try TestEnvironment.connectApp()
        #expect(try db.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(email)])?.int(0) == 0)
        // Used in another browser than the form's: the link is what counts.
        let other = Browser()
        try other.get(path)
        let created = try other.post(path, [("password", TestEnvironment.defaultPassword)])
        #expect(created.status == 303 && created.header("Location")?.hasSuffix("/account") == true, "on to where the visitor was going")
        let account = try other.get("/account")
        #expect(
            account.body.contains("Grace") && account.body.contains("Europe/Paris") && account.body.contains("<span class=\"badge\">confirmed</span>")
        )
        // A double submit or a second visit makes no second account.
        let again = try other.post(path, [("password", TestEnvironment.defaultPassword)])
        #expect(again.status == 410 && again.body.contains("used already"))
        #expect(try db.queryRow("SELECT count(*) FROM users WHERE email = $1", [.text(email)])?.int(0) == 1)
        #expect(try other.get("/signup/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status == 404)
        // An older link to the same address, used after the account exists: a clear 409, nothing changed.
        try db.query(
            """
            INSERT INTO signup_requests (email, name, time_zone, token_hash, expires_at)
            VALUES ($1, 'Second', 'UTC', sha256(convert_to($2, 'UTF8')), now() + interval '1 hour')
            """, [.text(email), .text("SecondLinkToken")])
        let late = Browser()
        try late.get("/signup/confirm/SecondLinkToken")
        let conflict = try late.post("/signup/confirm/SecondLinkToken", [("password", "a second long passphrase")])
        #expect(conflict.status == 409 && conflict.body.contains("Log in"))
        #expect(late.sessionCookie == nil)
        #expect(try Browser().logIn(email: email, password: "a second long passphrase").status == 401, "the account kept its password")
        // An expired link says so.
        try db.query(
            "UPDATE signup_requests SET created_at = now() - interval '3 days', expires_at = now() - interval '1 day' WHERE email = $1 AND name = 'Second'",
            [.text(email)])
        #expect(try late.get("/signup/confirm/SecondLinkToken").status == 410)
        // The next sign-up deletes expired requests.
        try Browser().signUp()
        #expect(try late.get("/signup/confirm/SecondLinkToken").status == 404)
    }

    @Test func signUpMailsToOneAddressAreLimitedPerHour() throws {
        // Three mails an hour, counted alike for an address with an account (whose own sign-up was one) and one without;
        // the page says the same every time.
        for email in [try Browser().signUp(), TestEnvironment.uniqueEmail()] {
            let visitor = Browser()
            try visitor.get("/signup")
            for _ in 0..<4 {
                let response = try visitor.post("/signup", [("name", "Again"), ("email", email), ("time_zone", "UTC")])
                #expect(response.status == 303 && response.header("Location")?.hasSuffix("/signup/sent") == true)
            }
            let db = try TestEnvironment.connectApp()
            func requests() throws -> Int {
                try db.queryRow("SELECT count(*) FROM signup_requests WHERE email = $1", [.text(email)])?.int(0) ?? -1
            }
            for _ in 0..<100 where try requests() < 3 { usleep(100_000) }
            usleep(500_000)  // and no fourth comes
            #expect(try requests() == 3, "\(email)")
            #expect(try db.queryRow("SELECT count(*) FROM outbox_emails WHERE recipient = $1", [.text(email)])?.int(0) == 3)
        }
    }

    @Test func signUpValidatesEveryField() throws {
        let browser = Browser()
        try browser.get("/signup")
        let response = try browser.post(
            "/signup", [("name", " "), ("email", "not-an-email"), ("time_zone", "Mars/Olympus")])
        #expect(response.status == 422)
        #expect(response.body.contains("Enter your name."))
        #expect(response.body.contains("Enter an email address like name@example.com."))
        #expect(response.body.contains("Choose a time zone from the list."))
        #expect(response.body.contains("aria-invalid=\"true\""))
        let db = try TestEnvironment.connectApp()
        #expect(try db.queryRow("SELECT count(*) FROM users WHERE email = 'not-an-email'")?.int(0) == 0)
    }

    @Test func nameWithScriptIsShownEscaped() throws {
        let browser = Browser()
        try browser.signUp(name: "<script>alert(1)</script>")
        let account = try browser.get("/account")
        #expect(account.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!account.body.contains("<script>alert(1)</script>"))
    }

    @Test func profileUpdateAndPasswordChange() throws {
        let browser = Browser()
        let email = try browser.signUp()
        try browser.get("/account")
        let saved = try browser.post("/account", [("name", "Renamed"), ("time_zone", "Asia/Kolkata")])
        #expect(saved.status == 303)
        let page = try browser.get("/account?notice=profile-saved")
        #expect(page.body.contains("Renamed"))
        #expect(page.body.contains("Asia/Kolkata"))
        #expect(page.body.contains("Your profile was saved."))

        // Another device's session ends when the password changes; this one stays.
        let other = Browser()
        try other.logIn(email: email)
        #expect(try other.get("/account").status == 200)
        let wrongCurrent = try browser.post(
            "/account/password", [("current_password", "nope nope nope"), ("new_password", "a brand new passphrase")])
        #expect(wrongCurrent.status == 422)
        #expect(wrongCurrent.body.contains("This is not your current password."))
        try browser.get("/account")
        let changed = try browser.post(
            "/account/password", [("current_password", TestEnvironment.defaultPassword), ("new_password", "a brand new passphrase")])
        #expect(changed.status == 303)
        #expect(try browser.get("/account").status == 200)
        #expect(try other.get("/account").status == 303)
        try browser.post("/logout", [])
        #expect(try browser.logIn(email: email).status == 401)
        #expect(try browser.logIn(email: email, password: "a brand new passphrase").status == 303)
    }

    /// A wrong current password on the account page is a password guess: it counts with failed logins
    /// (HERALD_LOGIN_MAX_FAILURES, 10, per account and client), and past the limit even the right one
    /// waits, on the account page and at login alike.
    @Test func wrongCurrentPasswordsAreThrottledLikeFailedLogins() throws {
        let browser = Browser()
        let email = try browser.signUp()
        for attempt in 1...10 {
            try browser.get("/account")
            let wrong = try browser.post(
                "/account/password", [("current_password", "guess number \(attempt)"), ("new_password", "a brand new passphrase")])
            #expect(wrong.status == 422, "attempt \(attempt)")
        }
        try browser.get("/account")
        let refused = try browser.post(
            "/account/password", [("current_password", TestEnvironment.defaultPassword), ("new_password", "a brand new passphrase")])
        #expect(refused.status == 429)
        #expect(refused.body.contains("Too many wrong passwords. Try again in"))
        #expect(refused.header("Retry-After") != nil)
        #expect(try Browser().logIn(email: email).status == 429, "the guesses count at login too")
        let db = try TestEnvironment.connectApp()
        #expect(
            try db.queryRow(
                "SELECT count(*) FROM login_attempts WHERE email = $1 AND NOT succeeded", [.text(email)])?.int(0) == 10)
    }

    @Test func startPageForVisitorsAndRedirectForUsers() throws {
        let visitor = Browser()
        let home = try visitor.get("/")
        #expect(home.status == 200)
        #expect(home.body.contains("href=\"/signup\""))
        let user = Browser()
        try user.signUp()
        #expect(try user.get("/").header("Location")?.hasSuffix("/w") == true)
    }
}
