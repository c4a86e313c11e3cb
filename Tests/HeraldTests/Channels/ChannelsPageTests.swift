// The channels pages where no token gets stored: who may connect and disconnect (owners and
// admins; editors and viewers 403, non-members 404), callbacks with a wrong, foreign, expired or
// cancelled state, the plan limit, refused Mastodon servers and Bluesky passwords, and platforms
// without a client ("not configured", with the setup hint) on a private herald-channels.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldCrypto
@testable import HeraldDatabase
@testable import HeraldIdentity
@testable import HeraldPlatforms
@testable import HeraldSupport
@testable import HeraldWeb

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct ChannelsPageTests {
    typealias S = ChannelsSupport

    init() throws { try Sodium.initialize() }

    @Test func editorsAndViewersSeeTheListButMayNotConnectOrDisconnect() throws {
        let editor = try Fixtures.user("Editor")
        let viewer = try Fixtures.user("Viewer")
        let admin = try Fixtures.user("Admin")
        let team = try S.team(members: [(editor, .editor), (viewer, .viewer), (admin, .admin)])
        defer { S.drop(team) }
        let account = try Fixtures.account(team.workspace, platform: "x", handle: "@listed")
        for member in [editor, viewer] {
            let browser = try Fixtures.browser(for: member)
            let page = try browser.get(team.channels)
            #expect(page.status == 200)
            #expect(page.body.contains("@listed") && page.body.contains("Owners and admins connect"))
            #expect(!page.body.contains("Connect X") && !page.body.contains("Disconnect"))
            for path in ["/connect/x", "/connect/mastodon", "/connect/bluesky", "/\(account)/reconnect", "/\(account)/disconnect"] {
                let response = try browser.post(
                    team.channels + path, [("instance", S.standIn), ("handle", "a.bsky.social"), ("app_password", "abcd-efgh-ijkl-mnop")])
                #expect(response.status == 403, "\(member.name) \(path): \(response.status)")
            }
        }
        #expect(try S.accounts(team.workspace).map(\.status) == ["needs_reconnect"], "nothing changed")
        #expect(try Fixtures.count("SELECT count(*) FROM oauth_flows WHERE workspace_id = $1", [.int(team.workspace.id)]) == 0)
        let adminPage = try Fixtures.browser(for: admin).get(team.channels)
        #expect(adminPage.body.contains("Connect X") && adminPage.body.contains("Disconnect"))
    }

    @Test func aNonMemberGetsNotFound() throws {
        let team = try S.team()
        defer { S.drop(team) }
        let account = try Fixtures.account(team.workspace, platform: "x")
        let outsider = try Fixtures.browser(for: try Fixtures.user("Outsider"))
        #expect(try outsider.get(team.channels).status == 404)
        for path in ["/connect/x", "/\(account)/disconnect", "/\(account)/reconnect"] {
            #expect(try outsider.post(team.channels + path, []).status == 404, "\(path)")
        }
        #expect(try Browser().get(team.channels).status == 303, "not logged in: to the login page")
    }

    @Test func wrongForeignExpiredAndMissingStatesAreRefused() throws {
        let other = try Fixtures.user("Admin")
        let team = try S.team(members: [(other, .admin)])
        defer { S.drop(team) }
        let callback = try S.approve(try S.startConnect(team, "x"), as: "mallory")
        let code = try #require(S.query(TestEnvironment.baseURL + callback)["code"])

        let wrong = try team.browser.get("/oauth/x/callback?code=\(formEncode(code))&state=\(Sodium.randomToken())")
        #expect(wrong.status == 400 && wrong.body.contains("Connection not recognised"))
        #expect(try team.browser.get("/oauth/x/callback?code=\(formEncode(code))").status == 400, "no state")
        let swapped = try team.browser.get(callback.replacingOccurrences(of: "/oauth/x/", with: "/oauth/reddit/"))
        #expect(swapped.status == 400, "a state is for one platform")
        // Another admin of the same workspace, and the same user in another session.
        let foreign = try Fixtures.browser(for: other).get(callback)
        #expect(foreign.status == 400 && foreign.body.contains("Connection not recognised"))
        let otherSession = try Fixtures.browser(for: team.owner).get(callback)
        #expect(otherSession.status == 403 && otherSession.body.contains("Started in another session"))
        // Logged out: to the login page, which comes back here.
        let anonymous = try Browser().get(callback)
        #expect(anonymous.status == 303 && anonymous.header("Location")?.hasPrefix("/login?next=") == true)

        // Expired: more than 10 minutes old.
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query(
            "UPDATE oauth_flows SET created_at = now() - interval '11 minutes', expires_at = now() - interval '1 minute' WHERE workspace_id = $1",
            [.int(team.workspace.id)])
        let expired = try team.browser.get(callback)
        #expect(expired.status == 400 && expired.body.contains("Connection expired"))
        #expect(try S.accounts(team.workspace).isEmpty)
    }

    @Test func cancellingAtTheProviderSaysSoAndConnectsNothing() throws {
        let team = try S.team()
        defer { S.drop(team) }
        let callback = try S.approve(try S.startConnect(team, "linkedin"), as: "hesitant", deny: true)
        #expect(S.query(TestEnvironment.baseURL + callback)["error"] == "access_denied")
        let page = try team.browser.get(callback)
        #expect(page.status == 200 && page.body.contains("You cancelled") && page.body.contains("href=\"\(team.channels)\""))
        #expect(try S.accounts(team.workspace).isEmpty)
        #expect(try team.browser.get(callback).status == 400, "the state is spent")
    }

    @Test func thePlanLimitStopsAConnectionBeforeItStarts() throws {
        let team = try S.team()
        defer { S.drop(team) }
        for handle in ["@one", "@two", "@three"] { _ = try Fixtures.account(team.workspace, platform: "mastodon", handle: handle) }
        try team.browser.get(team.channels)
        let refused = try team.browser.post(team.channels + "/connect/x", [])
        #expect(refused.status == RefusalKind.conflict.httpStatus)
        #expect(refused.body.contains("allows 3 connected channels"))
        let bluesky = try team.browser.post(
            team.channels + "/connect/bluesky", [("handle", "a.bsky.social"), ("app_password", "abcd-efgh-ijkl-mnop")])
        #expect(bluesky.status == RefusalKind.conflict.httpStatus)
        #expect(try Fixtures.count("SELECT count(*) FROM oauth_flows WHERE workspace_id = $1", [.int(team.workspace.id)]) == 0)
    }

    @Test(arguments: [
        ("mastodon.social", "connects Mastodon accounts on"), ("https://example.com/@me", "just the server"), ("", "Enter the address"),
    ])
    func mastodonServersOutsideTheListAreRefused(_ instance: String, _ message: String) throws {
        let team = try S.team()
        defer { S.drop(team) }
        try team.browser.get(team.channels)
        let response = try team.browser.post(team.channels + "/connect/mastodon", [("instance", instance)])
        #expect(response.status == 422)
        #expect(response.body.contains(message), "\(response.body.prefix(2000))")
    }

    @Test func blueskyRefusesAWrongAppPasswordAndAnEmptyHandle() throws {
        let team = try S.team()
        defer { S.drop(team) }
        try team.browser.get(team.channels)
        let wrong = try team.browser.post(
            team.channels + "/connect/bluesky", [("handle", "someone.bsky.social"), ("app_password", "my main password")])
        #expect(wrong.status == 422 && wrong.body.contains("Bluesky did not accept"))
        #expect(wrong.body.contains("value=\"someone.bsky.social\""), "the handle stays in the form")
        let empty = try team.browser.post(team.channels + "/connect/bluesky", [("handle", ""), ("app_password", "abcd-efgh-ijkl-mnop")])
        #expect(empty.status == 422 && empty.body.contains("Enter your Bluesky handle"))
        #expect(try S.accounts(team.workspace).isEmpty)
    }

    @Test func platformsWithoutAClientShowNotConfiguredWithTheHint() throws {
        let team = try S.team()
        defer { S.drop(team) }
        // A private herald-channels whose environment configures no client.
        let directory = TestEnvironment.temporaryDirectory + "/channels-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: (TestEnvironment.variables["HERALD_TEST_BIN"] ?? "") + "/herald-channels")
        var environment = TestEnvironment.variables
        environment["HERALD_SOCKET_DIR"] = directory
        environment["HERALD_THREADS"] = "2"
        for platform in ["X", "LINKEDIN", "REDDIT"] {
            environment["HERALD_\(platform)_CLIENT_ID"] = ""
            environment["HERALD_\(platform)_CLIENT_SECRET"] = ""
        }
        process.environment = environment
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: directory + "/channels.sock") { usleep(50_000) }

        let client = try FastCGIClient(socketPath: directory + "/channels.sock")
        try client.begin(params: [
            "REQUEST_METHOD": "GET", "DOCUMENT_URI": team.channels, "QUERY_STRING": "", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": "__Host-herald_session=\(team.browser.sessionCookie ?? "")",
        ])
        try client.sendBody([], last: true)
        let page = try client.readResponse()
        #expect(page.hasPrefix("Status: 200"), "\(page.prefix(300))")
        for platform in ["X", "LinkedIn", "Reddit"] {
            #expect(page.contains("\(platform) <span class=\"badge muted\">not configured</span>"), "\(platform)")
        }
        #expect(page.contains("developer.x.com") && page.contains("reddit.com/prefs/apps") && page.contains("linkedin.com/developers"))
        #expect(page.contains("HERALD_X_CLIENT_ID") && page.contains(TestEnvironment.baseURL + "/oauth/x/callback"))
        #expect(page.contains("Connect Mastodon") && page.contains("Connect Bluesky"), "those need no client")
        #expect(!page.contains("Connect X<"))
    }
}
