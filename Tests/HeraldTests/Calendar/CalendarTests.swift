// The calendar through nginx: posts at known instants land on the viewer's local day and hour
// (New York, Kolkata, Auckland), today is marked, the arrows lead to the neighbouring month, week
// and day, bad dates are a 400 that says why, and nobody sees another workspace's posts.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct CalendarTests {
    /// 2026-03-08T06:30Z: 01:30 in New York (before its clocks spring forward at 07:00Z), 12:00 in
    /// Kolkata, 19:30 in Auckland. 2026-03-07T23:30Z: 18:30 on the 7th in New York, 05:00 on the 8th
    /// in Kolkata, 12:30 on the 8th in Auckland (across the day boundary).
    @Test func postsLandOnTheViewersLocalDayAndHour() throws {
        let owner = try CalendarFixtures.user("Nora", zone: "America/New_York")
        let kolkata = try CalendarFixtures.user("Kiran", zone: "Asia/Kolkata")
        let auckland = try CalendarFixtures.user("Aroha", zone: "Pacific/Auckland")
        let workspace = try Fixtures.workspace(owner: owner, members: [(kolkata, .viewer), (auckland, .editor)])
        let early = try CalendarFixtures.post(in: workspace, at: "2026-03-08T06:30:00Z", zone: "America/New_York", title: "Early bird")
        let late = try CalendarFixtures.post(in: workspace, at: "2026-03-07T23:30:00Z", zone: "Europe/Berlin", title: "Night owl")

        let expected: [(Fixtures.User, early: (String, String, String), late: (String, String, String))] = [
            (owner, ("2026-03-08", "01", "01:30"), ("2026-03-07", "18", "18:30")),
            (kolkata, ("2026-03-08", "12", "12:00"), ("2026-03-08", "05", "05:00")),
            (auckland, ("2026-03-08", "19", "19:30"), ("2026-03-08", "12", "12:30")),
        ]
        for (user, earlyCell, lateCell) in expected {
            let browser = try Fixtures.browser(for: user)
            let month = try browser.get("/w/\(workspace.slug)/calendar?month=2026-03")
            #expect(month.status == 200)
            let week = try browser.get("/w/\(workspace.slug)/calendar/week?start=2026-03-08")
            #expect(week.status == 200)
            for (post, cell) in [(early, earlyCell), (late, lateCell)] {
                #expect(CalendarFixtures.cell(of: post, in: month, slug: workspace.slug)?.day == cell.0, "\(user.name): month cell of post \(post)")
                let placed = CalendarFixtures.cell(of: post, in: week, slug: workspace.slug)
                #expect(placed?.day == cell.0 && placed?.hour == cell.1, "\(user.name): week cell of post \(post): \(String(describing: placed))")
                #expect(
                    CalendarFixtures.item(of: post, in: week, slug: workspace.slug)?.contains("<time>\(cell.2)</time>") == true,
                    "\(user.name): post \(post) shown at \(cell.2)")
            }
            let day = try browser.get("/w/\(workspace.slug)/calendar/day?date=2026-03-08")
            #expect(day.body.contains("href=\"/w/\(workspace.slug)/posts/\(early)\""))
            #expect(day.body.contains("href=\"/w/\(workspace.slug)/posts/\(late)\"") == (lateCell.0 == "2026-03-08"), "\(user.name): day view")
        }
        // Planned elsewhere: the item says so.
        let page = try Fixtures.browser(for: kolkata).get("/w/\(workspace.slug)/calendar/week?start=2026-03-08")
        #expect(CalendarFixtures.item(of: late, in: page, slug: workspace.slug)?.contains("Planned for 00:30 in Europe/Berlin") == true)
    }

    @Test func theMonthGridRunsMondayToSundayAndLinksItsNeighbours() throws {
        let owner = try CalendarFixtures.user("Grid", zone: "UTC")
        let workspace = try Fixtures.workspace(owner: owner)
        let browser = try Fixtures.browser(for: owner)
        let page = try browser.get("/w/\(workspace.slug)/calendar?month=2026-03")
        #expect(page.status == 200)
        let headers = page.body.components(separatedBy: "<abbr title=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(headers == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
        // March 2026 starts on a Sunday and ends on a Tuesday: 23 February to 5 April, six weeks.
        let days = page.body.components(separatedBy: "data-day=\"").dropFirst().map { String($0.prefix(10)) }
        #expect(days.first == "2026-02-23" && days.last == "2026-04-05" && days.count == 42)
        #expect(page.body.contains("class=\"cal-day cal-outside cal-empty\" data-day=\"2026-02-23\""), "days of other months are muted")
        #expect(page.body.contains("class=\"cal-day cal-empty\" data-day=\"2026-03-01\""))
        #expect(page.body.contains("href=\"/w/\(workspace.slug)/calendar?month=2026-02\""))
        #expect(page.body.contains("href=\"/w/\(workspace.slug)/calendar?month=2026-04\""))
        #expect(page.body.contains("<h1>March 2026</h1>"))
        // Across a year.
        let january = try browser.get("/w/\(workspace.slug)/calendar?month=2027-01")
        #expect(january.body.contains("calendar?month=2026-12\"") && january.body.contains("calendar?month=2027-02\""))

        // The week holding a Wednesday starts on its Monday.
        let week = try browser.get("/w/\(workspace.slug)/calendar/week?start=2026-03-11")
        let weekDays = week.body.components(separatedBy: "data-hour=\"07\"").count - 1
        #expect(weekDays == 7)
        #expect(week.body.contains("data-day=\"2026-03-09\" data-hour=\"07\"") && week.body.contains("data-day=\"2026-03-15\" data-hour=\"07\""))
        #expect(week.body.contains("week?start=2026-03-02\"") && week.body.contains("week?start=2026-03-16\""))
        #expect(week.body.contains("<h1>9 – 15 March 2026</h1>"))
        let turn = try browser.get("/w/\(workspace.slug)/calendar/week?start=2026-12-31")
        #expect(turn.body.contains("<h1>28 December 2026 – 3 January 2027</h1>"))

        let day = try browser.get("/w/\(workspace.slug)/calendar/day?date=2026-03-01")
        #expect(day.body.contains("<h1>Sunday 1 March 2026</h1>"))
        #expect(day.body.contains("day?date=2026-02-28\"") && day.body.contains("day?date=2026-03-02\""))
        #expect(day.body.contains("Nothing planned on this day."))
    }

    @Test func todayIsMarkedInTheViewersZone() throws {
        for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {  // UTC+14 and UTC−11: a day apart most of the time
            let owner = try CalendarFixtures.user("Today", zone: zone)
            let workspace = try Fixtures.workspace(owner: owner)
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            let today = try admin.queryRow("SELECT to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD')", [.text(zone)])!.string(0)
            let browser = try Fixtures.browser(for: owner)
            let month = try browser.get("/w/\(workspace.slug)/calendar")
            #expect(month.status == 200)
            #expect(month.body.contains("data-day=\"\(today)\" aria-current=\"date\""), "\(zone): today is \(today)")
            #expect(month.body.components(separatedBy: "aria-current=\"date\"").count == 2, "one day is today")
            #expect(month.body.contains("Today is \(today)."))
            let week = try browser.get("/w/\(workspace.slug)/calendar/week")
            #expect(week.body.contains("data-day=\"\(today)\" data-hour=\"12\" class=\"cal-today\""))
            let day = try browser.get("/w/\(workspace.slug)/calendar/day")
            #expect(day.body.contains("cal-agenda cal-today\" data-day=\"\(today)\""))
            // Today's link goes back to the default page.
            #expect(try browser.get("/w/\(workspace.slug)/calendar?month=2001-01").body.contains("href=\"/w/\(workspace.slug)/calendar\">Today</a>"))
        }
    }

    @Test(arguments: [
        ("calendar?month=2026-13", "2026-13"),
        ("calendar?month=2026-3", "2026-3"),
        ("calendar?month=march", "march"),
        ("calendar?month=1066-10", "1066-10"),
        ("calendar/week?start=2026-02-30", "2026-02-30"),
        ("calendar/week?start=2026-03-08T10:00", "2026-03-08T10:00"),
        ("calendar/day?date=2026-02-29", "2026-02-29"),
        ("calendar/day?date=%C3%A9", "é"),
    ])
    func aBadDateIsA400ThatSaysWhy(_ path: String, _ shown: String) throws {
        let owner = try Fixtures.user("Typo")
        let workspace = try Fixtures.workspace(owner: owner)
        let response = try Fixtures.browser(for: owner).get("/w/\(workspace.slug)/\(path)")
        #expect(response.status == 400)
        #expect(response.body.contains("“\(shown)” is not a"), "\(response.body.prefix(200))")
        #expect(response.body.contains("like 2026-03"))
    }

    @Test func aLeapDayIsFine() throws {
        let owner = try Fixtures.user("Leap")
        let workspace = try Fixtures.workspace(owner: owner)
        #expect(try Fixtures.browser(for: owner).get("/w/\(workspace.slug)/calendar/day?date=2028-02-29").status == 200)
    }

    @Test func everyStatusWithATimeIsShownWithItsBadgeAndPostsWithoutOneAreNot() throws {
        let owner = try CalendarFixtures.user("Statuses", zone: "UTC")
        let workspace = try Fixtures.workspace(owner: owner)
        var ids: [String: Int] = [:]
        for (index, status) in ["draft", "in_review", "approved", "scheduled", "published", "failed", "rejected"].enumerated() {
            ids[status] = try CalendarFixtures.post(in: workspace, at: "2026-05-0\(index + 1)T09:00:00Z", status: status, title: "Post \(status)")
        }
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let unscheduled = try admin.queryRow(
            "INSERT INTO posts (workspace_id, body, title) VALUES ($1, 'no date', 'Undated') RETURNING id",
            [.int(workspace.id)])!.int(0)
        let page = try Fixtures.browser(for: owner).get("/w/\(workspace.slug)/calendar?month=2026-05")
        for (status, id) in ids {
            let item = try #require(CalendarFixtures.item(of: id, in: page, slug: workspace.slug), "\(status) is on the calendar")
            #expect(item.contains("cal-badge\">\(status.replacingOccurrences(of: "_", with: " "))</span>"), "\(status): \(item)")
            #expect(item.contains("<time>09:00</time>"))
        }
        #expect(!page.body.contains("/posts/\(unscheduled)\""))
        #expect(!page.body.contains("Undated"))
    }

    @Test func aBusyDayShowsItsFirstPostsAndLinksToTheRest() throws {
        let owner = try CalendarFixtures.user("Busy", zone: "UTC")
        let workspace = try Fixtures.workspace(owner: owner)
        let ids = try (0..<6).map { i in
            try CalendarFixtures.post(in: workspace, at: "2026-06-10T10:0\(i):00Z", body: "Busy post number \(i) with a longer body that goes on")
        }
        let browser = try Fixtures.browser(for: owner)
        let month = try browser.get("/w/\(workspace.slug)/calendar?month=2026-06")
        #expect(ids.prefix(4).allSatisfy { month.body.contains("/posts/\($0)\"") })
        #expect(!month.body.contains("/posts/\(ids[4])\""))
        #expect(month.body.contains("<a class=\"cal-more\" href=\"/w/\(workspace.slug)/calendar/day?date=2026-06-10\">+ 2 more</a>"))
        #expect(month.body.contains("Busy post number 0 with a longer body that goes on"), "no title: the first words")
        let week = try browser.get("/w/\(workspace.slug)/calendar/week?start=2026-06-10")
        #expect(week.body.contains("href=\"/w/\(workspace.slug)/calendar/day?date=2026-06-10#h10\">+ 3 more</a>"))
        let day = try browser.get("/w/\(workspace.slug)/calendar/day?date=2026-06-10")
        #expect(ids.allSatisfy { day.body.contains("/posts/\($0)\"") })
        #expect(day.body.contains("id=\"h10\""))
    }

    @Test func outsidersGet404AndNoPostOfAnotherWorkspaceAppears() throws {
        let owner = try CalendarFixtures.user("Mine", zone: "UTC")
        let viewer = try CalendarFixtures.user("Looker", zone: "UTC")
        let mine = try Fixtures.workspace(owner: owner, members: [(viewer, .viewer)])
        let otherOwner = try CalendarFixtures.user("Theirs", zone: "UTC")
        let theirs = try Fixtures.workspace(owner: otherOwner)
        let own = try CalendarFixtures.post(in: mine, at: "2026-04-14T12:00:00Z", title: "Ours to see")
        let foreign = try CalendarFixtures.post(in: theirs, at: "2026-04-14T12:00:00Z", title: "Secret plans <script>")

        for user in [owner, viewer] {
            let browser = try Fixtures.browser(for: user)
            for path in ["calendar?month=2026-04", "calendar/week?start=2026-04-14", "calendar/day?date=2026-04-14"] {
                let page = try browser.get("/w/\(mine.slug)/\(path)")
                #expect(page.status == 200, "\(user.name) \(path)")
                #expect(page.body.contains("/posts/\(own)\""))
                #expect(!page.body.contains("/posts/\(foreign)\"") && !page.body.contains("Secret plans"))
            }
            // Not a member there: not found, whatever the page.
            for path in ["calendar", "calendar?month=2026-04", "calendar/week", "calendar/day?date=2026-04-14"] {
                #expect(try browser.get("/w/\(theirs.slug)/\(path)").status == 404, "\(user.name) \(path) of another workspace")
            }
        }
        // Their own calendar escapes the title.
        let page = try Fixtures.browser(for: otherOwner).get("/w/\(theirs.slug)/calendar?month=2026-04")
        #expect(page.body.contains("Secret plans &lt;script&gt;"))
        // Logged out: to the login page.
        let anonymous = try Browser().get("/w/\(mine.slug)/calendar")
        #expect(anonymous.status == 303 && anonymous.header("Location")?.hasPrefix("/login?next=") == true)
    }
}
