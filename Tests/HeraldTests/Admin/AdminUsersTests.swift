// /admin/users through nginx: search and filters with pages, and each action on an account (lock,
// unlock, end sessions, resend the confirmation link, delete) doing what it says with exactly one
// audit event (actor, action, target, address), refusing what it must, and never a 500 on bad input.
import Foundation
import Testing

@testable import HeraldDatabase
@testable import HeraldIdentity

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AdminUsersTests {
    @Test func theListSearchesByEmailOrNameFiltersAndPages() throws {
        let (_, browser) = try AdminSupport.admin()
        let tag = "zq" + UUID().uuidString.prefix(8).lowercased().filter(\.isLetter)
        let superuser = try TestEnvironment.connectSuperuser(database: "herald")
        // 51 users whose email holds the tag, one of them locked and unconfirmed; one more whose name holds it.
        try superuser.query(
            """
            INSERT INTO users (name, email, password_hash, email_verified_at, status)
            SELECT 'Person ' || i, $1 || '-' || i || '@example.com', $2, CASE WHEN i = 7 THEN NULL ELSE now() END,
                   CASE WHEN i = 7 THEN 'disabled' ELSE 'active' END
            FROM generate_series(1, 51) i
            """, [.text(tag), .text(Fixtures.passwordHash)])
        try superuser.query(
            "INSERT INTO users (name, email, password_hash) VALUES ($1, $2, $3)",
            [.text("Named \(tag.uppercased()) <b>"), .text(TestEnvironment.uniqueEmail("named")), .text(Fixtures.passwordHash)])

        let first = try browser.get("/admin/users?q=\(tag)")
        #expect(first.status == 200)
        #expect(first.body.contains("Page 1 of 2 (52 in all)"), "51 by email, 1 by name")
        #expect(first.body.contains("Named \(tag.uppercased()) &lt;b&gt;"), "found by name, case-insensitive, escaped")
        let second = try browser.get("/admin/users?q=\(tag)&page=2")
        #expect(second.status == 200 && second.body.contains("Page 2 of 2"))
        #expect(second.body.components(separatedBy: "<tr><td><a href=\"/admin/users/").count - 1 == 2)

        let locked = try browser.get("/admin/users?q=\(tag)&status=locked")
        #expect(locked.body.contains("\(tag)-7@example.com") && !locked.body.contains("\(tag)-8@example.com"))
        #expect(locked.body.contains("locked") && locked.body.contains("not confirmed"))
        let unconfirmed = try browser.get("/admin/users?q=\(tag)&verified=no")
        #expect(unconfirmed.body.contains("\(tag)-7@example.com") && unconfirmed.body.contains("Named"))
        #expect(!unconfirmed.body.contains("\(tag)-8@example.com"))
        #expect(try browser.get("/admin/users?q=%25").status == 200, "a % is searched for literally")
        #expect(try browser.get("/admin/users?q=\(tag)_").body.contains("No user matches."), "_ is no wildcard")
    }

    @Test func badInputIsAClearPageNeverAServerError() throws {
        let (_, browser) = try AdminSupport.admin()
        let cases: [(String, Int, String)] = [
            ("/admin/users?page=0", 400, "The page is a whole number"),
            ("/admin/users?page=two", 400, "The page is a whole number"),
            ("/admin/users?page=99999999999999999999999", 400, "The page is a whole number"),
            ("/admin/users?page=999999", 404, "There is no page 999999"),
            ("/admin/users?status=asleep", 400, "The status filter is one of active, locked"),
            ("/admin/users?q=\(String(repeating: "a", count: 300))", 400, "at most 254 characters"),
            ("/admin/users/abc", 404, "There is no user abc"),
            ("/admin/users/-1", 404, "There is no user -1"),
            ("/admin/users/99999999999999999999", 404, "There is no user"),
            ("/admin/users/999999999999", 404, "There is no user 999999999999"),
            ("/admin/workspaces/x1", 404, "There is no workspace x1"),
            ("/admin/workspaces/999999999999", 404, "There is no workspace 999999999999"),
            ("/admin/workspaces?page=100000", 404, "There is no page 100000"),
            ("/admin/jobs?page=-3", 400, "The page is a whole number"),
            ("/admin/jobs?kind=DROP%20TABLE", 400, "A job kind is lowercase letters"),
        ]
        for (path, status, message) in cases {
            let response = try browser.get(path)
            #expect(response.status == status, "\(path): \(response.status)")
            #expect(response.body.contains(message), "\(path): \(response.body.prefix(2000))")
        }
        try AdminSupport.confirm(browser)
        for path in ["/admin/users/999999999999/lock", "/admin/users/abc/unlock", "/admin/users/0/delete", "/admin/jobs/999999999999/retry"] {
            let response = try browser.post(path, [])
            #expect(response.status == 404, "\(path): \(response.status)")
        }
    }

    @Test func lockingEndsTheSessionsAndStopsLoginUnlockingLetsThemBackIn() throws {
        let (admin, browser) = try AdminSupport.sudoAdmin()
        let user = try Fixtures.user("Lockable")
        let theirs = try Fixtures.browser(for: user)
        #expect(try theirs.get("/account").status == 200)
        let firstEvent = try AdminSupport.lastEventID()

        let locked = try browser.post("/admin/users/\(user.id)/lock", [])
        #expect(locked.status == 303 && locked.header("Location") == "/admin/users/\(user.id)?notice=locked")
        #expect(try AdminSupport.account(user.id)! == ("disabled", 0))
        #expect(try theirs.get("/account").status == 303, "their session is gone")
        let login = try Browser().logIn(email: user.email)
        #expect(login.status == 401, "a locked user cannot log in")
        let page = try browser.get("/admin/users/\(user.id)")
        #expect(page.body.contains("Unlock account") && page.body.contains(">locked<"))
        #expect(try browser.post("/admin/users/\(user.id)/lock", []).status == 409, "locked already")

        let unlocked = try browser.post("/admin/users/\(user.id)/unlock", [])
        #expect(unlocked.status == 303)
        #expect(try AdminSupport.account(user.id)?.status == "active")
        #expect(try Browser().logIn(email: user.email).status == 303, "they can log in again")
        #expect(try browser.post("/admin/users/\(user.id)/unlock", []).status == 409, "not locked")

        let events = try AdminSupport.events(by: admin.id, after: firstEvent)
        #expect(
            events == [
                AdminSupport.Event(
                    action: "admin.user_locked", workspaceID: nil, targetType: "user", targetID: user.id, ip: "127.0.0.1",
                    details: ["email": user.email, "sessions_ended": "1"]),
                AdminSupport.Event(
                    action: "admin.user_unlocked", workspaceID: nil, targetType: "user", targetID: user.id, ip: "127.0.0.1",
                    details: ["email": user.email]),
            ], "\(events)")

        // Not your own account.
        #expect(try browser.post("/admin/users/\(admin.id)/lock", []).status == 409)
        #expect(try AdminSupport.account(admin.id)?.status == "active")
    }

    @Test func endingSessionsLogsTheUserOutEverywhere() throws {
        let (admin, browser) = try AdminSupport.sudoAdmin()
        let user = try Fixtures.user("Busy")
        let one = try Fixtures.browser(for: user)
        let two = try Fixtures.browser(for: user)
        let firstEvent = try AdminSupport.lastEventID()
        let response = try browser.post("/admin/users/\(user.id)/sessions/end", [])
        #expect(response.status == 303 && response.header("Location") == "/admin/users/\(user.id)?notice=sessions-ended")
        #expect(try one.get("/account").status == 303 && two.get("/account").status == 303)
        #expect(try AdminSupport.account(user.id)! == ("active", 0), "ended, not locked")
        #expect(
            try AdminSupport.events(by: admin.id, after: firstEvent) == [
                AdminSupport.Event(
                    action: "admin.sessions_ended", workspaceID: nil, targetType: "user", targetID: user.id, ip: "127.0.0.1",
                    details: ["email": user.email, "sessions_ended": "2"])
            ])
        // One's own: the other sessions end, this one goes on.
        let other = try Fixtures.browser(for: admin)
        #expect(try browser.post("/admin/users/\(admin.id)/sessions/end", []).status == 303)
        #expect(try other.get("/account").status == 303)
        #expect(try browser.get("/admin").status == 200)
    }

    @Test func resendingTheConfirmationLinkMailsANewOne() throws {
        let (admin, browser) = try AdminSupport.admin()
        let user = try Fixtures.user("Unconfirmed")
        let superuser = try TestEnvironment.connectSuperuser(database: "herald")
        try superuser.query("UPDATE users SET email_verified_at = NULL WHERE id = $1", [.int(user.id)])
        let firstEvent = try AdminSupport.lastEventID()
        let response = try browser.post("/admin/users/\(user.id)/verification", [])
        #expect(response.status == 303 && response.header("Location") == "/admin/users/\(user.id)?notice=verification-sent")
        #expect(try Fixtures.count("SELECT count(*) FROM email_verifications WHERE user_id = $1 AND used_at IS NULL", [.int(user.id)]) == 1)
        let mail = try #require(
            try superuser.queryRow("SELECT subject, body FROM outbox_emails WHERE recipient = $1 ORDER BY id DESC LIMIT 1", [.text(user.email)]))
        #expect(try mail.string(0) == "Confirm your email address for Herald")
        let token = try #require(try mail.string(1).firstMatch(of: #/\/verify-email\/([A-Za-z0-9_-]{43})/#)?.1)
        // The link works: the user confirms with it (herald-auth's page).
        let theirs = try Fixtures.browser(for: user)
        try theirs.get("/verify-email/\(token)")
        #expect(try theirs.post("/verify-email/\(token)", []).status == 303)
        #expect(try Fixtures.count("SELECT count(*) FROM users WHERE id = $1 AND email_verified_at IS NOT NULL", [.int(user.id)]) == 1)
        #expect(
            try AdminSupport.events(by: admin.id, after: firstEvent) == [
                AdminSupport.Event(
                    action: "admin.verification_resent", workspaceID: nil, targetType: "user", targetID: user.id, ip: "127.0.0.1",
                    details: ["email": user.email])
            ])
        // Confirmed: nothing to resend.
        let again = try browser.post("/admin/users/\(user.id)/verification", [])
        #expect(again.status == 409 && again.body.contains("is confirmed already"))
    }

    @Test func deletingAUserTakesTheirOwnWorkspacesButNotSharedOnes() throws {
        let (admin, browser) = try AdminSupport.sudoAdmin()
        let loner = try Fixtures.user("Loner")
        let solo = try Fixtures.workspace(owner: loner, name: "Solo Shop")
        let friend = try Fixtures.user("Friend")
        let shared = try Fixtures.workspace(owner: friend, members: [(loner, .editor)])
        let firstEvent = try AdminSupport.lastEventID()

        let page = try browser.get("/admin/users/\(loner.id)")
        #expect(page.body.contains("The workspaces only they belong to go with them: Solo Shop (\(solo.slug))"))
        let mistyped = try browser.post("/admin/users/\(loner.id)/delete", [("confirm_email", "someone@example.com")])
        #expect(mistyped.status == 400 && mistyped.body.contains("That is not their email address"))
        #expect(try AdminSupport.account(loner.id) != nil)

        let deleted = try browser.post("/admin/users/\(loner.id)/delete", [("confirm_email", loner.email.uppercased())])
        #expect(deleted.status == 303 && deleted.header("Location") == "/admin/users?notice=user-deleted")
        #expect(try AdminSupport.account(loner.id) == nil)
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE id = $1", [.int(solo.id)]) == 0, "their own workspace went")
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE id = $1", [.int(shared.id)]) == 1, "the shared one stays")
        #expect(try Fixtures.count("SELECT count(*) FROM memberships WHERE workspace_id = $1", [.int(shared.id)]) == 1)
        #expect(try Fixtures.count("SELECT count(*) FROM deleted_workspaces WHERE id = $1 AND slug = $2", [.int(solo.id), .text(solo.slug)]) == 1)
        #expect(
            try AdminSupport.events(by: admin.id, after: firstEvent) == [
                AdminSupport.Event(
                    action: "admin.user_deleted", workspaceID: nil, targetType: "user", targetID: loner.id, ip: "127.0.0.1",
                    details: ["email": loner.email, "name": "Loner", "workspaces_deleted": "\(solo.id):\(solo.slug)"])
            ])
        #expect(try browser.get("/admin/users/\(loner.id)").status == 404)

        // The friend owns a workspace someone else belongs to: refused, with why, and nothing changes.
        let other = try Fixtures.user("Other")
        try TestEnvironment.connectSuperuser(database: "herald").query(
            "INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')", [.int(shared.id), .int(other.id)])
        let blockedPage = try browser.get("/admin/users/\(friend.id)")
        #expect(blockedPage.body.contains("cannot be deleted: they own workspaces that others belong to"))
        #expect(!blockedPage.body.contains("action=\"/admin/users/\(friend.id)/delete\""), "no delete form")
        let refused = try browser.post("/admin/users/\(friend.id)/delete", [("confirm_email", friend.email)])
        #expect(refused.status == 409 && refused.body.contains("ownership must pass to another member first"))
        #expect(try AdminSupport.account(friend.id) != nil)
        #expect(try AdminSupport.events(by: admin.id, after: firstEvent).count == 1, "a refusal writes no event")
        #expect(try browser.post("/admin/users/\(admin.id)/delete", [("confirm_email", admin.email)]).status == 409, "not yourself")
    }
}
