// Workspaces through nginx: creating and switching, invitations from email to membership, the
// owner rules, deleting, and isolation between workspaces.
import Foundation
import Testing

@testable import HeraldCrypto
@testable import HeraldHTML

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct WorkspaceFlowTests {
    /// The newest link to `email` in the outbox with this path prefix.
    func link(to email: String, prefix: String) throws -> String {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let body = try #require(
            try db.queryRow("SELECT body FROM outbox_emails WHERE recipient = $1 ORDER BY id DESC LIMIT 1", [.text(email)])?.string(0))
        let line = try #require(body.split(separator: "\n").first { $0.contains(prefix) })
        return String(line.trimmingCharacters(in: .whitespaces).dropFirst(TestEnvironment.baseURL.count))
    }

    @Test func signUpCreateAWorkspaceAndSwitchBetweenTwo() throws {
        let browser = Browser()
        try browser.signUp(name: "Founder", timeZone: "Asia/Kolkata")
        let form = try browser.get("/w/new?notice=welcome")
        #expect(form.body.contains("<option selected>Asia/Kolkata</option>"), "defaults to the account's zone")
        #expect(form.body.contains("Welcome to Herald"))
        let created = try browser.post("/w/new", [("name", "Acme Coffee & Co."), ("time_zone", "Asia/Kolkata")])
        #expect(created.status == 303)
        let location = try #require(created.header("Location"))
        #expect(location.hasPrefix("/w/acme-coffee-co"), "slug from the name: \(location)")
        let slug = String(location.dropFirst(3).prefix { $0 != "/" })
        let dashboard = try browser.get("/w/\(slug)/")
        #expect(dashboard.status == 200)
        #expect(dashboard.body.contains("Acme Coffee &amp; Co."))
        #expect(dashboard.body.contains("Getting started"))
        // A second workspace with the same name gets its own slug; the switcher lists both.
        let second = try browser.post("/w/new", [("name", "Acme Coffee & Co."), ("time_zone", "UTC")])
        let secondSlug = String(try #require(second.header("Location")).dropFirst(3).prefix { $0 != "/" })
        #expect(secondSlug != slug)
        let page = try browser.get("/w/\(secondSlug)/")
        #expect(page.body.contains("<details class=\"switcher\">"))
        #expect(page.body.contains("href=\"/w/\(slug)/\""))
        let list = try browser.get("/w")
        #expect(list.body.contains("/w/\(slug)/") && list.body.contains("/w/\(secondSlug)/"))
    }

    @Test func creatingAWorkspaceValidatesItsFields() throws {
        let browser = Browser()
        try browser.signUp()
        try browser.get("/w/new")
        let response = try browser.post("/w/new", [("name", "  "), ("time_zone", "Nowhere/Land")])
        #expect(response.status == 422)
        #expect(response.body.contains("Give the workspace a name."))
        #expect(response.body.contains("Choose a time zone from the list."))
        let reserved = try browser.post("/w/new", [("name", "New"), ("time_zone", "UTC")])
        #expect(reserved.header("Location")?.hasPrefix("/w/new-team") == true, "reserved slugs are avoided")
        let symbols = try browser.post("/w/new", [("name", "✨✨✨"), ("time_zone", "UTC")])
        #expect(symbols.header("Location")?.hasPrefix("/w/workspace") == true)
    }

    @Test func invitationLifecycle() throws {
        let owner = try Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner, name: "Invite Co")
        let ownerBrowser = try Fixtures.browser(for: owner)
        let email = TestEnvironment.uniqueEmail("newbie")

        try ownerBrowser.get("/w/\(workspace.slug)/members")
        #expect(try ownerBrowser.post("/w/\(workspace.slug)/members/invite", [("email", email), ("role", "reviewer")]).status == 303)
        #expect(try ownerBrowser.get("/w/\(workspace.slug)/members").body.contains(email), "listed as open")
        let firstLink = try link(to: email, prefix: "/invitations/")
        // Inviting again replaces the first link.
        #expect(try ownerBrowser.post("/w/\(workspace.slug)/members/invite", [("email", email), ("role", "editor")]).status == 303)
        let path = try link(to: email, prefix: "/invitations/")
        #expect(path != firstLink)
        #expect(try Browser().get(firstLink).status == 410)

        // A visitor sees what the invitation is and how to accept it.
        let visitor = Browser()
        let page = try visitor.get(path)
        #expect(page.status == 200)
        #expect(page.body.contains("Invite Co") && page.body.contains(email))
        #expect(page.body.contains("/signup?next="))

        // Someone logged in with another address is refused, with the reason.
        let stranger = try Fixtures.browser(for: try Fixtures.user("Stranger"))
        let wrong = try stranger.get(path)
        #expect(wrong.status == 403)
        #expect(wrong.body.contains("This invitation is for"))

        // Signing up with the invited address leads back to the invitation; accepting joins.
        try visitor.get("/signup?next=\(urlEncode(path))")
        let signup = try visitor.post(
            "/signup",
            [
                ("name", "Newbie"), ("email", email), ("time_zone", "UTC"), ("next", path),
            ])
        #expect(signup.header("Location")?.hasSuffix("/signup/sent") == true)
        let link = try visitor.newestLink(to: email, prefix: "/signup/confirm/")
        try visitor.get(link)
        let created = try visitor.post(link, [("password", TestEnvironment.defaultPassword)])
        #expect(created.header("Location")?.hasSuffix(path) == true, "the link keeps where the visitor was going")
        let accepted = try visitor.post(path, [])
        #expect(accepted.status == 303)
        #expect(accepted.header("Location")?.hasPrefix("/w/\(workspace.slug)/") == true)
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND u.email = $2 AND m.role = 'editor'",
                [.int(workspace.id), .text(email)]) == 1)
        #expect(try visitor.get("/w/\(workspace.slug)/").status == 200)
        // Used: says so. Inviting a member again: says so.
        let used = try visitor.get(path)
        #expect(used.status == 410)
        #expect(used.body.contains("already used") || used.body.contains("accepted already"))
        try ownerBrowser.get("/w/\(workspace.slug)/members")
        let again = try ownerBrowser.post("/w/\(workspace.slug)/members/invite", [("email", email.uppercased()), ("role", "viewer")])
        #expect(again.status == 422)
        #expect(again.body.contains("is already a member"))
    }

    @Test func expiredRevokedAndUnknownInvitationsSaySo() throws {
        let owner = try Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner)
        let invitee = try Fixtures.user("Invitee")
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        func invitation(expired: Bool, revoked: Bool) throws -> String {
            let token = Sodium.randomToken()
            try admin.query(
                """
                INSERT INTO invitations (workspace_id, email, role, token_hash, created_at, expires_at, revoked_at)
                VALUES ($1, $2, 'viewer', $3, now() - interval '10 days', now() + ($4 || ' days')::interval, CASE WHEN $5 THEN now() END)
                """,
                [
                    .int(workspace.id), .text(TestEnvironment.uniqueEmail("x")), .bytes(Sodium.sha256(token)), .text(expired ? "-1" : "1"),
                    .bool(revoked),
                ])
            return "/invitations/\(token)"
        }
        let browser = try Fixtures.browser(for: invitee)
        let expired = try browser.get(try invitation(expired: true, revoked: false))
        #expect(expired.status == 410)
        #expect(expired.body.contains("expired"))
        let revoked = try browser.get(try invitation(expired: false, revoked: true))
        #expect(revoked.status == 410)
        #expect(revoked.body.contains("withdrawn"))
        #expect(try browser.get("/invitations/\(Sodium.randomToken())").status == 404)
        #expect(try browser.get("/invitations/not-even-a-token").status == 404)
    }

    @Test func theOwnerCannotLeaveOrBeDemotedUntilOwnershipIsTransferred() throws {
        let owner = try Fixtures.user("Owner")
        let admin = try Fixtures.user("Admin")
        let workspace = try Fixtures.workspace(owner: owner, members: [(admin, .admin)])
        let ownerBrowser = try Fixtures.browser(for: owner)
        let adminBrowser = try Fixtures.browser(for: admin)
        try ownerBrowser.get("/w/\(workspace.slug)/")
        #expect(try ownerBrowser.post("/w/\(workspace.slug)/leave", []).status == 409)
        try adminBrowser.get("/w/\(workspace.slug)/")
        let demote = try adminBrowser.post("/w/\(workspace.slug)/members/\(owner.id)/role", [("role", "viewer")])
        #expect(demote.status == 409)
        #expect(demote.body.contains("Transfer ownership first"))
        #expect(try adminBrowser.post("/w/\(workspace.slug)/members/\(owner.id)/remove", []).status == 409)
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND role = 'owner'",
                [.int(workspace.id), .int(owner.id)]) == 1)

        // Transfer: the admin becomes owner, the old owner an admin, who may now leave.
        #expect(try ownerBrowser.post("/w/\(workspace.slug)/transfer", [("user", String(admin.id))]).status == 303)
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE id = $1 AND owner_id = $2", [.int(workspace.id), .int(admin.id)]) == 1)
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND role = 'admin'",
                [.int(workspace.id), .int(owner.id)]) == 1)
        try ownerBrowser.get("/w/\(workspace.slug)/")
        #expect(try ownerBrowser.post("/w/\(workspace.slug)/leave", []).status == 303)
        #expect(try ownerBrowser.get("/w/\(workspace.slug)/").status == 404)
        // Transferring to someone outside the workspace is refused.
        try adminBrowser.get("/w/\(workspace.slug)/")
        #expect(try adminBrowser.post("/w/\(workspace.slug)/transfer", [("user", String(owner.id))]).status == 400)
    }

    @Test func deletingAWorkspaceNeedsItsNameAndRemovesEverythingInIt() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let workspace = try Fixtures.workspace(owner: owner, members: [(editor, .editor)], name: "Doomed Ltd")
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query("INSERT INTO campaigns (workspace_id, name) VALUES ($1, 'Launch')", [.int(workspace.id)])
        try admin.query(
            "INSERT INTO posts (workspace_id, body, author_id) SELECT $1, 'Post ' || i, $2 FROM generate_series(1, 5) i",
            [.int(workspace.id), .int(editor.id)])
        let browser = try Fixtures.browser(for: owner)
        try browser.get("/w/\(workspace.slug)/settings")
        let wrong = try browser.post("/w/\(workspace.slug)/delete", [("confirm_name", "doomed ltd")])
        #expect(wrong.status == 422)
        #expect(wrong.body.contains("That is not the workspace"))
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE id = $1", [.int(workspace.id)]) == 1)
        let deleted = try browser.post("/w/\(workspace.slug)/delete", [("confirm_name", "Doomed Ltd")])
        #expect(deleted.status == 303)
        #expect(deleted.header("Location")?.hasSuffix("/w?notice=deleted") == true)
        let tables = try admin.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND a.attname = 'workspace_id' AND NOT a.attisdropped
            """
        ).rows.map { try $0.string(0) }
        for table in tables {
            #expect(try Fixtures.count("SELECT count(*) FROM \(table) WHERE workspace_id = $1", [.int(workspace.id)]) == 0, "\(table) keeps rows")
        }
        #expect(try Fixtures.count("SELECT count(*) FROM users WHERE id IN ($1, $2)", [.int(owner.id), .int(editor.id)]) == 2, "people stay")
        #expect(try browser.get("/w/\(workspace.slug)/").status == 404)
        #expect(try Fixtures.browser(for: editor).get("/w").body.contains("Doomed Ltd") == false)
    }

    @Test func aMemberOfOneWorkspaceFindsNothingOfAnother() throws {
        let alice = try Fixtures.user("Alice Anders")
        let bob = try Fixtures.user("Bob Brightwater")
        let bobsColleague = try Fixtures.user("Carol Secretname")
        let a = try Fixtures.workspace(owner: alice, name: "Alpha Works")
        let b = try Fixtures.workspace(owner: bob, members: [(bobsColleague, .editor)], name: "Bravo Hidden Industries")
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let invitation = try admin.queryRow(
            """
            INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ($1, 'x@bravo.example', 'viewer', $2, now() + interval '1 day') RETURNING id
            """, [.int(b.id), .bytes(Sodium.randomBytes(32))])!.int(0)
        let browser = try Fixtures.browser(for: alice)
        try browser.get("/w/\(a.slug)/")
        let gets = ["/w/\(b.slug)", "/w/\(b.slug)/", "/w/\(b.slug)/members", "/w/\(b.slug)/settings"]
        for path in gets {
            let response = try browser.get(path)
            #expect(response.status == 404, "GET \(path): \(response.status)")
            #expect(!response.body.contains("Bravo Hidden"), "GET \(path) reveals the name")
        }
        let posts: [(String, [(String, String)])] = [
            ("/w/\(b.slug)/members/invite", [("email", "spy@example.com"), ("role", "admin")]),
            ("/w/\(b.slug)/members/\(bobsColleague.id)/role", [("role", "viewer")]),
            ("/w/\(b.slug)/members/\(bobsColleague.id)/remove", []),
            ("/w/\(b.slug)/invitations/\(invitation)/revoke", []),
            ("/w/\(b.slug)/settings", [("name", "Pwned"), ("time_zone", "UTC")]),
            ("/w/\(b.slug)/transfer", [("user", String(alice.id))]),
            ("/w/\(b.slug)/delete", [("confirm_name", "Bravo Hidden Industries")]),
            ("/w/\(b.slug)/leave", []),
            // B's ids guessed under A's slug.
            ("/w/\(a.slug)/members/\(bobsColleague.id)/role", [("role", "viewer")]),
            ("/w/\(a.slug)/members/\(bobsColleague.id)/remove", []),
            ("/w/\(a.slug)/invitations/\(invitation)/revoke", []),
        ]
        for (path, fields) in posts {
            try browser.get("/w/\(a.slug)/")
            let response = try browser.post(path, fields)
            #expect(response.status == 404, "POST \(path): \(response.status)")
        }
        // B is unchanged.
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE id = $1 AND name = 'Bravo Hidden Industries'", [.int(b.id)]) == 1)
        #expect(try Fixtures.count("SELECT count(*) FROM memberships WHERE workspace_id = $1", [.int(b.id)]) == 2)
        #expect(try Fixtures.count("SELECT count(*) FROM invitations WHERE id = $1 AND revoked_at IS NULL", [.int(invitation)]) == 1)
        #expect(try Fixtures.count("SELECT count(*) FROM invitations WHERE email = 'spy@example.com'") == 0)
        // Nothing of B on A's pages.
        for path in ["/w", "/w/\(a.slug)/", "/w/\(a.slug)/members", "/w/\(a.slug)/settings"] {
            let body = try browser.get(path).body
            for secret in ["Bravo Hidden", b.slug, "Bob Brightwater", "Carol Secretname", bobsColleague.email] {
                #expect(!body.contains(secret), "\(path) shows \(secret)")
            }
        }
    }

    @Test func workspacePagesNeedALogin() throws {
        let response = try Browser().get("/w/anything/members")
        #expect(response.status == 303)
        #expect(response.header("Location")?.contains("/login?next=") == true)
    }
}
