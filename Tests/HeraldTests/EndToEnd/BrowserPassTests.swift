// The browser pass (README: "The browser pass"): headless Chromium loads every page of every program,
// logged out and as each role (the five workspace roles, a site admin, a newcomer who has not confirmed their address),
// through nginx, and scripts/browser-pass.py fails on a console error, a failed request, an
// accessibility violation (axe-core, WCAG 2.1 A and AA) or invalid HTML (the Nu Html Checker). The
// pages come from each program's own route table (`--routes`), so a new page is in the pass at once, or
// this test says which parameter it cannot fill. The screenshots stay in .build/test-output/browser.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase
@testable import HeraldIdentity

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct BrowserPassTests {
    /// Where the screenshots and the report stay after the run (scripts/test.sh removes its temporary directory).
    static let output = repositoryRoot + "/.build/test-output/browser"

    /// GET routes that answer something other than a page: CSV exports, the calendar feed, Prometheus' text.
    static let notPages: Set<String> = [
        "/w/{slug}/posts.csv", "/w/{slug}/analytics.csv", "/w/{slug}/credits.csv", "/admin/audit.csv", "/ical/{file}", "/metrics",
    ]

    /// What a workspace page asks of the member's role; every other workspace page asks for `.view`.
    static let needs: [String: WorkspaceAction] = [
        "/w/{slug}/posts/new": .writePosts, "/w/{slug}/posts/import": .writePosts, "/w/{slug}/posts/{id}/edit": .writePosts,
        "/w/{slug}/settings": .editSettings, "/w/{slug}/credits": .viewCredits, "/w/{slug}/billing": .manageBilling,
    ]

    /// The variants of a parameter a page is shown with, where not all: a post under review or published cannot be edited.
    static let variantsOf: [String: Set<String>] = ["/w/{slug}/posts/{id}/edit": ["draft", "approved"]]

    /// The error pages nginx serves from public/errors when a program fails (the 404 one is reached for real).
    static let staticErrorPages = ["413", "500", "502", "504"]

    struct Page: Encodable {
        let name: String
        let path: String
        let status: [Int]
        var document: String? = nil
    }

    struct Session: Encodable {
        let role: String
        let cookies: [String: String]
        var pages: [Page] = []
    }

    struct Config: Encodable {
        let base: String
        let sessions: [Session]
    }

    /// Everything the pages show: a team with a member of each role, content on every list, detail and edit
    /// page, and the one-time links a visitor opens from a mail.
    struct Site {
        let workspace: Fixtures.Workspace
        let owner: Fixtures.User
        /// The route parameters: `{id}` has a value per route, some several (a post in each state that shows other controls).
        var values: [String: [(variant: String, value: String)]] = [:]
        var sessions: [String: Session] = [:]
        /// The paths of the links in the fixtures' mails.
        var links: [String] = []

        /// A `{token}` at the end of `prefix` (`/invitations/{token}`): the one of the first mailed link to that place.
        func token(_ prefix: String) -> [(variant: String, value: String)]? {
            guard prefix.hasSuffix("/{token}") else { return nil }
            let stem = String(prefix.dropLast("{token}".count))
            return links.lazy.filter { $0.hasPrefix(stem) }.map { String($0.dropFirst(stem.count)) }.first { !$0.isEmpty && !$0.contains("/") }
                .map { [("", $0)] }
        }
    }

    @Test func everyPageAsEveryRoleHasNoConsoleErrorFailedRequestAccessibilityViolationOrInvalidHTML() throws {
        var site = try makeSite()
        var unknown: [String] = []
        for program in try RepositoryMap.programs() where !program.paths.isEmpty {
            let routes = try TestEnvironment.run(TestEnvironment.binary(program.name), ["--routes"]).split(separator: "\n")
            for line in routes {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0] == "GET", !Self.notPages.contains(parts[1]) else { continue }
                guard let paths = concretePaths(parts[1], site) else {
                    unknown.append("\(program.name): GET \(parts[1])")
                    continue
                }
                for (role, status) in visitors(of: parts[1]) {
                    for (suffix, path) in paths {
                        site.sessions[role]!.pages.append(Page(name: pageName(parts[1]) + suffix, path: path, status: [status]))
                    }
                }
            }
        }
        #expect(unknown.isEmpty, "GET routes whose parameters the browser pass cannot fill (add them to BrowserPassTests): \(unknown)")
        // Pages that are no route of their own: the error pages, and where a logged-out visitor lands.
        let slug = "/w/\(site.workspace.slug)"
        site.sessions["anonymous"]!.pages += [
            Page(name: "not-found-nginx", path: "/no-such-page", status: [404]),
            Page(name: "w-slug-posts-logged-out", path: slug + "/posts", status: [200]),
            Page(name: "password-reset-unknown", path: "/password/reset/" + String(repeating: "A", count: 43), status: [404]),
        ]
        for code in Self.staticErrorPages {
            // nginx keeps /errors/ internal (a 404 from outside); the pass shows the file there, at the site's origin.
            site.sessions["anonymous"]!.pages.append(
                Page(name: "error-\(code)", path: "/errors/\(code).html", status: [404], document: repositoryRoot + "/public/errors/\(code).html"))
        }
        site.sessions["owner"]!.pages += [
            Page(name: "not-found-program", path: slug + "/posts/999999999", status: [404]),
            Page(name: "bad-request", path: slug + "/calendar?view=year", status: [400]),
            Page(name: "admin-not-site-admin", path: "/admin", status: [404]),
        ]
        let order = ["anonymous", "owner", "admin", "editor", "reviewer", "viewer", "newcomer", "site-admin"]
        let pageCount = order.map { site.sessions[$0]!.pages.count }.reduce(0, +)
        #expect(pageCount >= 150, "only \(pageCount) pages")
        let config = Config(base: TestEnvironment.baseURL, sessions: order.map { site.sessions[$0]! })
        let configFile = TestEnvironment.temporaryDirectory + "/browser-pass.json"
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: configFile))
        let (status, report) = try runPass(configFile)
        #expect(status == 0, "the browser pass failed (screenshots and report in \(Self.output)):\n\(report)")
        if status == 0 { #expect(report.contains("browser pass: \(pageCount) pages in \(order.count) roles, 0 problems"), "\(report)") }
    }

    /// Runs scripts/browser-pass.py; its exit status and everything it printed.
    func runPass(_ configFile: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/scripts/browser-pass.py", configFile, Self.output]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `w-slug-posts-id-edit` for `/w/{slug}/posts/{id}/edit`, `home` for `/`.
    func pageName(_ pattern: String) -> String {
        let name = pattern.split(separator: "/").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "{}")) }.joined(separator: "-")
        return name.isEmpty ? "home" : name
    }

    /// Who opens a route, and what it answers them.
    func visitors(of pattern: String) -> [(role: String, status: Int)] {
        if pattern.hasPrefix("/w/{slug}") {
            let action = Self.needs[pattern] ?? .view
            return Role.allCases.map { ($0.rawValue, $0.may(action) ? 200 : 403) }
        }
        if pattern.hasPrefix("/admin") { return [("site-admin", 200)] }
        switch pattern {
        case "/", "/login", "/password/forgot", "/password/reset/{token}": return [("anonymous", 200)]
        case _ where pattern == "/signup" || pattern.hasPrefix("/signup/"): return [("anonymous", 200)]
        case "/verify-email/{token}", "/invitations/{token}": return [("anonymous", 200), ("newcomer", 200)]
        // Without the state Herald sent: its "Connection not recognised" page.
        case "/oauth/{platform}/callback": return [("owner", 400)]
        default: return ["owner", "admin", "editor", "reviewer", "viewer", "newcomer", "site-admin"].map { ($0, 200) }
        }
    }

    /// The pattern with its parameters filled from the site (one path per variant), or nil if one is unknown.
    /// A parameter's values are those of the pattern up to it (`/w/{slug}/posts/{id}`).
    func concretePaths(_ pattern: String, _ site: Site) -> [(suffix: String, path: String)]? {
        var paths: [(suffix: String, path: String)] = [("", "")]
        var prefix = ""
        for segment in pattern.split(separator: "/").map(String.init) {
            prefix += "/" + segment
            guard segment.hasPrefix("{") else {
                paths = paths.map { ($0.suffix, $0.path + "/" + segment) }
                continue
            }
            guard let values = site.values[prefix] ?? site.token(prefix) else { return nil }
            let kept = values.filter { Self.variantsOf[pattern]?.contains($0.variant) ?? true }
            paths = paths.flatMap { path in kept.map { (path.suffix + ($0.variant.isEmpty ? "" : "-" + $0.variant), path.path + "/" + $0.value) } }
        }
        return paths.map { ($0.suffix, $0.path.isEmpty ? "/" : $0.path) }
    }

    /// The fixtures: users, the workspace, its content and the links from the mails.
    func makeSite() throws -> Site {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let owner = try Fixtures.user("Olivia Owner")
        let members = try [Role.admin, .editor, .reviewer, .viewer].map { (try Fixtures.user("\($0.label) Member"), $0) }
        let workspace = try Fixtures.workspace(owner: owner, members: members, name: "Acme Coffee")
        // A second workspace (the switcher lists both), where the newcomer is invited: the first is at the Free plan's 5 members.
        let side = try Fixtures.workspace(owner: owner, name: "Side Project")
        var site = Site(workspace: workspace, owner: owner)
        site.sessions["anonymous"] = Session(role: "anonymous", cookies: [:])
        for (user, role) in [(owner, Role.owner)] + members {
            site.sessions[role.rawValue] = Session(role: role.rawValue, cookies: try cookies(Fixtures.browser(for: user)))
        }
        let siteAdmin = try Fixtures.user("Sam Site-Admin")
        try TestEnvironment.connectOwner().query("UPDATE users SET is_site_admin = true WHERE id = $1", [.int(siteAdmin.id)])
        site.sessions["site-admin"] = Session(role: "site-admin", cookies: try cookies(Fixtures.browser(for: siteAdmin)))

        // Content, made through the pages where that is as easy as in the database.
        let base = "/w/\(workspace.slug)"
        let browser = try Fixtures.browser(for: owner)
        try browser.get(base + "/campaigns")
        try expectRedirect(
            browser.post(
                base + "/campaigns", [("name", "Spring launch"), ("status", "active"), ("starts_on", "2030-03-01"), ("ends_on", "2030-05-31")]))
        try browser.get(base + "/sources")
        try expectRedirect(
            browser.post(base + "/sources", [("kind", "text"), ("title", "Our story"), ("text", "Roasted in small batches since 2009.")]))
        try browser.get(base + "/personas")
        try expectRedirect(browser.post(base + "/personas", [("name", "Founder voice"), ("notes", "Plain and friendly")]))
        try browser.get(base + "/brand-rules")
        try expectRedirect(browser.post(base + "/brand-rules", [("kind", "banned_term"), ("text", "synergy"), ("severity", "block")]))
        func id(_ table: String) throws -> Int {
            try admin.queryRow("SELECT max(id) FROM \(table) WHERE workspace_id = $1", [.int(workspace.id)])!.int(0)
        }
        let campaign = try id("campaigns")
        let editor = members[1].0
        let channel = try WorkerSupport.channel(workspace, "mastodon").id
        _ = try Fixtures.account(workspace, platform: "x", handle: "acmecoffee")
        let draft = try Fixtures.post(workspace, author: editor, body: "Spring is here #coffee", title: "Spring menu", account: channel)
        try admin.query("UPDATE posts SET campaign_id = $2 WHERE id = $1", [.int(draft), .int(campaign)])
        let inReview = try Fixtures.post(workspace, author: editor, status: "in_review", body: "New beans from Kenya", account: channel)
        let approved = try Fixtures.post(workspace, author: editor, status: "approved", body: "Open late on Friday", account: channel)
        _ = try Fixtures.post(workspace, author: editor, status: "scheduled", body: "Tasting on Saturday", account: channel)
        let published = try AnalyticsSupport.publishedTarget(
            workspace, author: editor, account: channel, publishedAt: AnalyticsSupport.iso(Date().addingTimeInterval(-3 * 86400)), title: "Launch day"
        )
        for (days, views) in [(3, 10), (2, 120), (1, 340)] {
            try AnalyticsSupport.record(
                workspace.id, published.target, at: AnalyticsSupport.iso(Date().addingTimeInterval(Double(-days * 86400 + 3600))),
                [views, views / 10, 2, 1, 5, nil, nil, nil])
        }
        try admin.query(
            """
            INSERT INTO content_candidates (workspace_id, campaign_id, kind, platform, brief, status, body, credits)
            VALUES ($1, $2, 'post', 'mastodon', 'the spring menu', 'pending_review', 'Spring is here: try the new menu', 3)
            """, [.int(workspace.id), .int(campaign)])
        _ = try Credits.grant(admin, workspace: workspace.id, amount: 120, key: "browser-pass:\(workspace.id)", note: "Welcome credits")
        _ = try AdminSupport.deadJob(workspace)

        // The one-time links a visitor opens from a mail, asked for through the pages as a person would: the newcomer
        // (an address not confirmed yet) asks for a confirmation link and is invited to the side project, the owner asks
        // for a new password, someone signs up. Every `{token}` route is filled from a link in these mails.
        let newcomer = try Fixtures.user("Nia Newcomer")
        try admin.query("UPDATE users SET email_verified_at = NULL WHERE id = $1", [.int(newcomer.id)])
        let newcomerBrowser = try Fixtures.browser(for: newcomer)
        site.sessions["newcomer"] = Session(role: "newcomer", cookies: try cookies(newcomerBrowser))
        try newcomerBrowser.get("/account")
        try expectRedirect(newcomerBrowser.post("/account/verify-email", []))
        let ownerBrowser = try Fixtures.browser(for: owner)
        try ownerBrowser.get("/w/\(side.slug)/members")
        try expectRedirect(ownerBrowser.post("/w/\(side.slug)/members/invite", [("email", newcomer.email), ("role", "editor")]))
        let anonymous = Browser()
        try anonymous.get("/password/forgot")
        try anonymous.post("/password/forgot", [("email", owner.email)])
        _ = try Outbox.newestLink(to: owner.email, prefix: "/password/reset/")  // sent after the page's answer
        let visitor = Browser()
        let visitorEmail = TestEnvironment.uniqueEmail("visitor")
        try visitor.get("/signup")
        try visitor.post(
            "/signup", [("name", "Vic Visitor"), ("email", visitorEmail), ("password", TestEnvironment.defaultPassword), ("time_zone", "UTC")])
        _ = try Outbox.newestLink(to: visitorEmail, prefix: "/signup/confirm/")  // mailed after the answer
        site.links = try mailedLinks(to: [newcomer.email, owner.email, visitorEmail])
        // The analytics pages read from the replica: everything above is on it before they are shown.
        if ReplicaSupport.isAvailable { try ReplicaSupport.waitUntilCaughtUp() }

        let posts = [("draft", draft), ("in-review", inReview), ("approved", approved), ("published", published.post)]
        site.values = [
            "/w/{slug}": [("", workspace.slug)],
            "/w/{slug}/posts/{id}": posts.map { ($0.0, String($0.1)) },
            "/w/{slug}/campaigns/{id}": [("", String(campaign))],
            "/w/{slug}/sources/{id}": [("", String(try id("sources")))],
            "/w/{slug}/personas/{id}": [("", String(try id("personas")))],
            "/w/{slug}/analytics/posts/{id}": [("", String(published.post))],
            "/admin/users/{id}": [("", String(editor.id))],
            "/admin/workspaces/{id}": [("", String(workspace.id))],
            "/oauth/{platform}": [("", "mastodon")],
        ]
        return site
    }

    func cookies(_ browser: Browser) throws -> [String: String] {
        guard let session = browser.sessionCookie else { throw TestFailure("no session cookie") }
        return ["__Host-herald_session": session]
    }

    func expectRedirect(_ response: HTTPResponse) throws {
        guard response.status == 303 else { throw TestFailure("making the fixtures: \(response.status) \(response.body.prefix(500))") }
    }

    /// The paths of the links in the mails to these addresses (Herald's own, without the site's address), the first
    /// address's first, each address's newest first.
    func mailedLinks(to addresses: [String]) throws -> [String] {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let link = try NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: TestEnvironment.baseURL) + #"(/[^\s"<>]*)"#)
        var links: [String] = []
        for address in addresses {
            for row in try db.query("SELECT body FROM outbox_emails WHERE recipient = $1 ORDER BY id DESC", [.text(address)]).rows {
                let body = try row.string(0)
                for match in link.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                    links.append(String(body[Range(match.range(at: 1), in: body)!]))
                }
            }
        }
        return links
    }
}
