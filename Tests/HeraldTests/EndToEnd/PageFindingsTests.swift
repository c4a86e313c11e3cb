// The outside review's page findings, checked through nginx: CSP without object-src, unlabelled
// navigation landmarks, an empty table header, invalid attributes on a month input, calendar links
// a crawler follows forever, a view parameter silently ignored, and out-of-month days below AA contrast.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct PageFindingsTests {
    func team() throws -> (browser: Browser, slug: String) {
        let owner = try Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner, members: [(try Fixtures.user("Member"), .editor)])
        return (try Fixtures.browser(for: owner), workspace.slug)
    }

    @Test func theContentSecurityPolicyForbidsPlugins() throws {
        let response = try HTTPClient.send(method: "GET", path: "/login")
        #expect(response.header("Content-Security-Policy")?.contains("object-src 'none'") == true)
    }

    @Test func everyNavigationLandmarkOnThePostsListHasAName() throws {
        let (browser, slug) = try team()
        let page = try browser.get("/w/\(slug)/posts")
        let navs = page.body.components(separatedBy: "<nav").dropFirst().map { String($0.prefix { $0 != ">" }) }
        #expect(navs.count >= 2)
        for nav in navs { #expect(nav.contains("aria-label=\""), "<nav\(nav)>") }
    }

    @Test func theMembersTableHasNoEmptyHeader() throws {
        let (browser, slug) = try team()
        let page = try browser.get("/w/\(slug)/members")
        #expect(page.status == 200)
        #expect(!page.body.contains("<th></th>"))
    }

    @Test func theMonthInputHasNoPlaceholderOrPattern() throws {
        let (browser, slug) = try team()
        let page = try browser.get("/w/\(slug)/calendar")
        let input = try #require(page.firstMatch(#"(<input[^>]*type="month"[^>]*>)"#))
        #expect(!input.contains("placeholder=") && !input.contains("pattern="), "\(input)")
    }

    @Test(arguments: ["/calendar", "/calendar/week", "/calendar/day"])
    func previousAndNextAreNotFollowed(_ path: String) throws {
        let (browser, slug) = try team()
        let page = try browser.get("/w/\(slug)\(path)")
        #expect(page.body.contains("rel=\"prev nofollow\"") && page.body.contains("rel=\"next nofollow\""))
    }

    @Test func theViewParameterIsHonoured() throws {
        let (browser, slug) = try team()
        #expect(try browser.get("/w/\(slug)/calendar?view=week").header("Location") == "/w/\(slug)/calendar/week")
        #expect(try browser.get("/w/\(slug)/calendar?view=day").header("Location") == "/w/\(slug)/calendar/day")
        #expect(try browser.get("/w/\(slug)/calendar?view=month").status == 200)
        #expect(try browser.get("/w/\(slug)/calendar?view=year").status == 400)
    }

    /// Out-of-month day links are muted by colour, not by opacity (which gave 4.28:1).
    @Test func outOfMonthDaysKeepAAContrast() throws {
        let css = try HTTPClient.send(method: "GET", path: "/style.css").body
        let rule = try #require(css.components(separatedBy: "\n").first { $0.hasPrefix(".cal-outside .cal-date a") })
        #expect(!rule.contains("opacity"), "\(rule)")
        #expect(rule.contains("var(--text-muted)"))
        // #5d6270 on #f1f2f5 (the muted text on the out-of-month grey): at least 4.5:1.
        func linear(_ channel: Int) -> Double {
            let c = Double(channel) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        func luminance(_ hex: String) -> Double {
            let value = Int(hex, radix: 16)!
            let red: Double = 0.2126 * linear((value >> 16) & 0xff)
            let green: Double = 0.7152 * linear((value >> 8) & 0xff)
            let blue: Double = 0.0722 * linear(value & 0xff)
            return red + green + blue
        }
        func variable(_ name: String) -> String? {
            css.components(separatedBy: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--\(name):") }
                .flatMap { $0.components(separatedBy: "#").last?.prefix(6) }.map(String.init)
        }
        let text = try #require(variable("text-muted"))
        let background = try #require(variable("surface-2"))
        let ratio = (luminance(background) + 0.05) / (luminance(text) + 0.05)
        #expect(ratio >= 4.5, "contrast \(ratio)")
    }
}
