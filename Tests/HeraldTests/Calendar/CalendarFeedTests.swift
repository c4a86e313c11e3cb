// The secret iCal feeds through nginx: made on the calendar page (CSRF like every form), stored as
// a SHA-256 only, replaced or revoked (then 404), ended by leaving the workspace; the output is
// RFC 5545 that Python's icalendar parses back to the same text, with CRLF lines folded at 75
// octets and never inside a UTF-8 sequence.
import Foundation
import Testing

@testable import HeraldCrypto
@testable import HeraldIdentity

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CalendarFeedTests {
    @Test func aFeedIsMadeShownOnceReplacedAndRevoked() throws {
        let owner = try CalendarFixtures.user("Feeder", zone: "Europe/Berlin")
        let workspace = try Fixtures.workspace(owner: owner)
        let browser = try Fixtures.browser(for: owner)
        let before = try browser.get("/w/\(workspace.slug)/calendar")
        #expect(before.body.contains("Subscribe in your calendar app") && before.body.contains("Make my feed address"))
        #expect(try browser.post("/w/\(workspace.slug)/calendar/feed", [], csrf: .some(nil)).status == 403, "CSRF like every form")
        #expect(try Fixtures.count("SELECT count(*) FROM calendar_feeds WHERE workspace_id = $1", [.int(workspace.id)]) == 0)

        let first = try CalendarFixtures.makeFeed(browser, slug: workspace.slug)
        let feed = try CalendarFixtures.fetch(first)
        #expect(feed.status == 200)
        #expect(feed.header("Content-Type") == "text/calendar; charset=utf-8")
        #expect(feed.body.hasPrefix("BEGIN:VCALENDAR\r\n") && feed.body.hasSuffix("END:VCALENDAR\r\n"))

        // Only the SHA-256 of the token is stored, nowhere the token itself.
        let token = String(first.dropFirst("/ical/".count).dropLast(".ics".count))
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let row = try #require(
            try admin.queryRow(
                """
                SELECT encode(token_hash, 'hex'), row_to_json(f)::text, last_used_at IS NOT NULL FROM calendar_feeds f WHERE workspace_id = $1
                """, [.int(workspace.id)]))
        #expect(try row.string(0) == Sodium.hex(Sodium.sha256(token)))
        #expect(!(try row.string(1)).contains(token))
        #expect(try row.bool(2), "the fetch is recorded")
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM audit_events WHERE workspace_id = $1 AND details::text LIKE '%' || $2 || '%'",
                [.int(workspace.id), .text(token)]) == 0)
        let page = try browser.get("/w/\(workspace.slug)/calendar")
        #expect(page.body.contains("Your feed address was made on") && page.body.contains("was last fetched on"))
        #expect(!page.body.contains(token), "the address is shown only once")

        // A new address: the old one is dead.
        let second = try CalendarFixtures.makeFeed(browser, slug: workspace.slug)
        #expect(second != first)
        #expect(try CalendarFixtures.fetch(first).status == 404)
        #expect(try CalendarFixtures.fetch(second).status == 200)
        #expect(try Fixtures.count("SELECT count(*) FROM calendar_feeds WHERE workspace_id = $1", [.int(workspace.id)]) == 1)

        // Revoked: 404, and the page offers a new one.
        try browser.get("/w/\(workspace.slug)/calendar")
        let revoked = try browser.post("/w/\(workspace.slug)/calendar/feed/revoke", [])
        #expect(revoked.status == 303)
        #expect(try CalendarFixtures.fetch(second).status == 404)
        #expect(try browser.get("/w/\(workspace.slug)/calendar?notice=feed-off").body.contains("Your calendar feed is off"))
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM audit_events WHERE workspace_id = $1 AND action LIKE 'calendar.feed_%'",
                [.int(workspace.id)]) == 3)
    }

    @Test(arguments: [
        "/ical/\(Sodium.randomToken()).ics",  // well-formed, unknown
        "/ical/\(Sodium.randomToken())",  // no .ics
        "/ical/short.ics",
        "/ical/",
        "/ical/%00.ics",
    ])
    func anUnknownOrMalformedTokenIs404(_ path: String) throws {
        let response = try CalendarFixtures.fetch(path)
        #expect(response.status == 404 || (path.contains("%00") && response.status == 400), "\(path): \(response.status)")
    }

    @Test func theFeedIsValidICalendarAndKeepsEveryCharacter() throws {
        let owner = try CalendarFixtures.user("Escaper", zone: "Asia/Kolkata")
        let workspace = try Fixtures.workspace(owner: owner, name: "Émile, Zoë & Co; \"quoted\"")
        let title = #"Launch, part 1; the "big" one \ ✨ 🚀"#
        let longLine = String(repeating: "é🎉a", count: 75)  // 300 characters, 2-, 4- and 1-byte sequences
        let body = "Line one, with commas; semicolons \\ and a backslash.\nSecond line 👩🏽‍💻 with emoji\r\nThird after CRLF\n\(longLine)\nend"
        let titled = try CalendarFixtures.post(in: workspace, at: "2027-01-15T08:45:00Z", zone: "Asia/Kolkata", title: title, body: body)
        let untitled = try CalendarFixtures.post(
            in: workspace, at: "2027-01-16T10:00:00Z", status: "approved",
            body: "First line becomes the summary\nand this does not")
        let past = try CalendarFixtures.post(in: workspace, at: "2020-01-01T00:00:00Z", status: "published", title: "Long ago")
        let other = try Fixtures.workspace(owner: try Fixtures.user("Elsewhere"))
        let foreign = try CalendarFixtures.post(in: other, at: "2027-01-15T08:45:00Z", title: "Not yours")

        let path = try CalendarFixtures.makeFeed(try Fixtures.browser(for: owner), slug: workspace.slug)
        let feed = try CalendarFixtures.fetch(path)
        #expect(feed.status == 200)

        // Content lines: CRLF only, at most 75 octets, each a whole UTF-8 string.
        let bytes = Array(feed.body.utf8)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            #expect(bytes[index] != 10 && bytes[index] != 13, "a bare CR or LF at byte \(index)")
            current.append(bytes[index])
            index += 1
        }
        #expect(current.isEmpty, "the last line ends with CRLF")
        #expect(lines.count > 20)
        for line in lines {
            #expect(line.count <= 75, "line of \(line.count) octets: \(String(decoding: line, as: UTF8.self))")
            #expect(String(validating: line, as: UTF8.self) != nil, "a line splits a UTF-8 sequence")
        }
        #expect(lines.contains { $0.first == 32 }, "long lines are folded")

        let calendar = try ParsedCalendar.parse(feed.body)
        #expect(calendar.properties["VERSION"] == "2.0")
        #expect(calendar.properties["PRODID"] == "-//Herald//Calendar feed//EN")
        #expect(calendar.properties["CALSCALE"] == "GREGORIAN")
        #expect(calendar.properties["METHOD"] == "PUBLISH")
        // An X- property is TEXT by default (RFC 5545 3.8.8.2), so it is escaped; icalendar hands
        // unknown properties back as written.
        #expect(calendar.properties["X-WR-CALNAME"] == #"Émile\, Zoë & Co\; "quoted" · Herald"#)
        let event = try #require(calendar.event(uid: "post-\(titled)@127.0.0.1"))
        #expect(event.summary == title)
        #expect(event.description.hasPrefix(body.replacingOccurrences(of: "\r\n", with: "\n") + "\n\nStatus: scheduled"), "\(event.description)")
        #expect(event.description.contains("Planned for 2027-01-15 14:15 (Asia/Kolkata)"))
        #expect(event.dtstart == "2027-01-15T08:45:00Z" && event.dtend == "2027-01-15T09:00:00Z")
        #expect(event.url == "\(TestEnvironment.baseURL)/w/\(workspace.slug)/posts/\(titled)")
        #expect(event.status == "CONFIRMED")
        let second = try #require(calendar.event(uid: "post-\(untitled)@127.0.0.1"))
        #expect(second.summary == "First line becomes the summary (approved)")
        #expect(second.status == "TENTATIVE")
        #expect(calendar.event(uid: "post-\(past)@127.0.0.1")?.dtstart == "2020-01-01T00:00:00Z", "recent past posts stay in the feed")
        #expect(calendar.events.count == 3)
        #expect(calendar.event(uid: "post-\(foreign)@127.0.0.1") == nil && !feed.body.contains("Not yours"))
    }

    @Test func theFeedEndsWhenItsOwnerLeavesOrIsDisabled() throws {
        let owner = try Fixtures.user("Stayer")
        let leaver = try Fixtures.user("Leaver")
        let disabled = try Fixtures.user("Disabled")
        let workspace = try Fixtures.workspace(owner: owner, members: [(leaver, .editor), (disabled, .viewer)])
        try CalendarFixtures.post(in: workspace, at: "2027-02-01T12:00:00Z", title: "Team post")
        let leaverBrowser = try Fixtures.browser(for: leaver)
        let leaverFeed = try CalendarFixtures.makeFeed(leaverBrowser, slug: workspace.slug)
        let disabledFeed = try CalendarFixtures.makeFeed(try Fixtures.browser(for: disabled), slug: workspace.slug)
        let ownerFeed = try CalendarFixtures.makeFeed(try Fixtures.browser(for: owner), slug: workspace.slug)
        #expect(try CalendarFixtures.fetch(leaverFeed).body.contains("Team post"))

        // Leaving through herald-workspaces deletes the membership, and the feed with it.
        try leaverBrowser.get("/w/\(workspace.slug)/")
        #expect(try leaverBrowser.post("/w/\(workspace.slug)/leave", []).status == 303)
        #expect(try CalendarFixtures.fetch(leaverFeed).status == 404)
        #expect(try Fixtures.count("SELECT count(*) FROM calendar_feeds WHERE user_id = $1", [.int(leaver.id)]) == 0)

        try TestEnvironment.connectSuperuser(database: "herald").query("UPDATE users SET status = 'disabled' WHERE id = $1", [.int(disabled.id)])
        #expect(try CalendarFixtures.fetch(disabledFeed).status == 404)
        #expect(try CalendarFixtures.fetch(ownerFeed).status == 200, "the others' feeds go on")
    }
}
