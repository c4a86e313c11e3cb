// Where login sends you back to (`next`): only a path on this site. Every variant an outside review
// tried, through nginx, both for a logged-in visitor (GET /login?next=…) and after logging in.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct OpenRedirectTests {
    /// Sent percent-encoded as they would be in a link; each must come back as /w.
    static let hostile = [
        "//evil.example", "//evil.example/x", "/%0A/evil.example", "/%0D%0A/evil.example", "/%09/evil.example",
        "/%5C/evil.example", "/%5Cevil.example", "%5C%5Cevil.example", "https://evil.example", "http:evil.example",
        "/%0D/evil.example", "/x%0AContent-Type:%20text/html", "/%E2%80%8B/evil.example", "javascript:alert(1)", "evil.example",
        "/a%5Cb", "///evil.example",
    ]
    /// Local paths that must be kept as they are.
    static let local = ["/account", "/w/acme/posts?status=draft", "/w/acme/posts/%2F%2Fnot-a-host", "/"]

    @Test(arguments: hostile)
    func aHostileNextGoesToTheWorkspaces(_ next: String) throws {
        let user = try Fixtures.user()
        let browser = try Fixtures.browser(for: user)
        let response = try browser.get("/login?next=\(next)")
        // Refused outright (400, for characters the request parser never accepts) or sent home.
        #expect(
            response.status == 400 || (response.status == 303 && response.header("Location") == "/w"),
            "next=\(next) → \(response.status) \(response.header("Location") ?? "none")")
    }

    @Test(arguments: hostile)
    func aHostileNextAfterLoggingInGoesToTheWorkspaces(_ next: String) throws {
        let user = try Fixtures.user()
        let browser = Browser()
        try browser.get("/login")
        let decoded = next.removingPercentEncoding ?? next
        let response = try browser.post("/login", [("email", user.email), ("password", TestEnvironment.defaultPassword), ("next", decoded)])
        #expect(
            response.status == 400 || (response.status == 303 && response.header("Location") == "/w"),
            "next=\(next) → \(response.status) \(response.header("Location") ?? "none")")
    }

    @Test(arguments: local)
    func aLocalPathIsKept(_ next: String) throws {
        let browser = try Fixtures.browser(for: try Fixtures.user())
        let response = try browser.get("/login?next=\(urlQuery(next))")
        #expect(response.status == 303)
        #expect(response.header("Location") == next)
    }

    /// `next` as a query value: percent-encode what would end it.
    func urlQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._~"))) ?? text
    }
}
