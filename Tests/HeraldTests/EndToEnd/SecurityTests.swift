// CSRF, throttling, body limits, malformed input and error pages, through nginx.
import Foundation
import Testing

@testable import HeraldFastCGI
@testable import HeraldHTML

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct SecurityTests {
    @Test func postWithoutCSRFTokenIsRefusedAndChangesNothing() throws {
        let browser = Browser()
        try browser.signUp(name: "Before")
        try browser.get("/account")
        let missing = try browser.post("/account", [("name", "After"), ("time_zone", "UTC")], csrf: .some(nil))
        #expect(missing.status == 403)
        #expect(missing.body.contains("Form expired"))
        let wrong = try browser.post("/account", [("name", "After"), ("time_zone", "UTC")], csrf: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        #expect(wrong.status == 403)
        #expect(try browser.get("/account").body.contains("Before"))
        #expect(!(try browser.get("/account").body.contains("After")))
    }

    @Test func csrfTokenOfAnotherSessionIsRefused() throws {
        let alice = Browser()
        try alice.signUp(name: "Alice")
        let mallory = Browser()
        try mallory.signUp(name: "Mallory")
        try mallory.get("/account")
        let stolen = try #require(mallory.lastCSRF)
        try alice.get("/account")
        let response = try alice.post("/account", [("name", "Hacked"), ("time_zone", "UTC")], csrf: stolen)
        #expect(response.status == 403)
        #expect(try alice.get("/account").body.contains("Alice"))
    }

    @Test func anonymousFormsNeedTheirCSRFCookie() throws {
        let browser = Browser()
        try browser.get("/signup")
        browser.cookies["__Host-herald_csrf"] = nil
        let response = try browser.post(
            "/signup",
            [
                ("name", "X"), ("email", TestEnvironment.uniqueEmail()),
                ("password", TestEnvironment.defaultPassword), ("time_zone", "UTC"),
            ])
        #expect(response.status == 403)
        let logout = try Browser().post("/logout", [], csrf: .some(nil))
        #expect(logout.status == 403)
    }

    @Test func getRequestsChangeNothing() throws {
        let browser = Browser()
        try browser.signUp()
        // Logout and other actions exist only as POST.
        #expect(try browser.get("/logout").status == 405)
        #expect(try browser.get("/account").status == 200, "still logged in")
    }

    @Test func failedLoginsAreThrottledPerAccount() throws {
        let browser = Browser()
        let email = try browser.signUp()
        try browser.post("/logout", [])
        let limit = 10  // HERALD_LOGIN_MAX_FAILURES default
        for _ in 0..<limit {
            #expect(try browser.logIn(email: email, password: "wrong password here").status == 401)
        }
        let blocked = try browser.logIn(email: email, password: TestEnvironment.defaultPassword)
        #expect(blocked.status == 429, "even the right password waits")
        #expect(blocked.body.contains("Too many failed attempts. Try again in 15 minutes, or reset your password by email."))
        // 15 minutes from the window's first failure, which a slow machine may have made a few seconds ago.
        let retryAfter = try #require(blocked.header("Retry-After").flatMap { Int($0) })
        #expect((880...900).contains(retryAfter), "Retry-After: \(retryAfter)")
        #expect(browser.sessionCookie == nil)
        // The owner is never locked out: a reset by mail lets them straight back in, from the same client.
        try browser.get("/password/forgot")
        #expect(try browser.post("/password/forgot", [("email", email)]).status == 200)
        let path = try Outbox.newestLink(to: email, prefix: "/password/reset/")
        try browser.get(path)
        #expect(try browser.post(path, [("password", "back in after a lockout")]).status == 303)
        #expect(try browser.logIn(email: email, password: "back in after a lockout").status == 303)
        // Another account is not affected.
        let other = Browser()
        let otherEmail = try other.signUp()
        try other.post("/logout", [])
        #expect(try other.logIn(email: otherEmail).status == 303)
    }

    @Test func bodyOverTheLimitGets413FromNginx() throws {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20)
        let response = try HTTPClient.send(
            method: "POST", path: "/login",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
        #expect(response.status == 413)
        #expect(response.body.contains("Request too large"))
        #expect(response.body.contains("/style.css"), "styled page")
    }

    @Test func unknownPathGetsAStyledNotFoundPage() throws {
        for path in ["/no/such/page", "/nothing-here.php", "/account/nope"] {
            let response = try HTTPClient.send(method: "GET", path: path)
            #expect(response.status == 404, "\(path)")
            #expect(response.body.contains("/style.css"), "\(path) is styled")
            #expect(response.body.lowercased().contains("not found"), "\(path)")
        }
    }

    @Test func staticFilesAreServedByNginx() throws {
        let css = try HTTPClient.send(method: "GET", path: "/style.css")
        #expect(css.status == 200)
        #expect(css.header("Content-Type")?.hasPrefix("text/css") == true)
        #expect(try HTTPClient.send(method: "GET", path: "/favicon.svg").status == 200)
        #expect(try HTTPClient.send(method: "GET", path: "/errors/404.html").status == 404, "error pages are internal")
    }

    @Test func malformedFormBodiesAre400() throws {
        let browser = Browser()
        try browser.get("/login")
        let token = try #require(browser.lastCSRF)
        for body in ["csrf=\(token)&email=%ZZ", "csrf=\(token)&email=%FF%FE", "csrf=\(token)&email=a%00b"] {
            let response = try HTTPClient.send(
                method: "POST", path: "/login",
                headers: browser.cookieHeader() + [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(body.utf8))
            #expect(response.status == 400, "\(body)")
            #expect(response.body.contains("Bad request"))
        }
        let rawInvalid: [UInt8] = Array("csrf=\(token)&email=".utf8) + [0xc3, 0x28]
        let response = try HTTPClient.send(
            method: "POST", path: "/login",
            headers: browser.cookieHeader() + [("Content-Type", "application/x-www-form-urlencoded")], body: rawInvalid)
        #expect(response.status == 400)
        let query = try HTTPClient.send(method: "GET", path: "/login?next=%E0%A4")
        #expect(query.status == 400)
        let path = try HTTPClient.send(method: "GET", path: "/verify-email/%FF%FE")
        #expect(path.status == 400, "invalid UTF-8 in the path")
    }

    /// Found by the multipart fuzzer: a form sent as multipart/form-data kept control characters
    /// that the same form sent urlencoded is refused for.
    @Test func multipartFormsRefuseControlCharactersAsUrlencodedOnesDo() throws {
        let browser = Browser()
        try browser.get("/login")
        let token = try #require(browser.lastCSRF)
        func part(_ name: String, _ value: String) -> String {
            "--b0undary\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        for (name, value) in [("email", "a\u{1}b@example.com"), ("pass\u{0}word", "x"), ("email", "a\u{7f}@example.com")] {
            let body = part("csrf", token) + part(name, value) + part("password", "wrong password") + "--b0undary--\r\n"
            let response = try HTTPClient.send(
                method: "POST", path: "/login",
                headers: browser.cookieHeader() + [("Content-Type", "multipart/form-data; boundary=b0undary")], body: Array(body.utf8))
            #expect(response.status == 400, "\(name.debugDescription)=\(value.debugDescription)")
            #expect(response.body.contains("control characters"))
        }
        // The same form without them is read: a wrong password (401), not a 400.
        let body = part("csrf", token) + part("email", "nobody@example.com") + part("password", "wrong password") + "--b0undary--\r\n"
        let response = try HTTPClient.send(
            method: "POST", path: "/login",
            headers: browser.cookieHeader() + [("Content-Type", "multipart/form-data; boundary=b0undary")], body: Array(body.utf8))
        #expect(response.status == 401, "got \(response.status)")
    }

    @Test func securityHeadersOnEveryPage() throws {
        let response = try HTTPClient.send(method: "GET", path: "/login")
        #expect(response.header("X-Frame-Options") == "DENY")
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("Server") == "nginx", "no version leaked")
    }
}
