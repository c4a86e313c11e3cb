// The audit trail of security events, through nginx: each event writes exactly one row with its
// actor, target, IP, time and details; refusals that change nothing still leave their row.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct AuditTrailTests {
    struct Event: Equatable {
        let actor: Int?
        let targetType: String?
        let target: Int?
        let ip: String?
        let details: [String: String]
    }

    /// The site events (no workspace) of `action` about `user`, or naming `email` (or all of them when neither is given),
    /// written since `since`.
    func events(_ action: String, user: Int? = nil, email: String? = nil, since: Int) throws -> [Event] {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        return try db.query(
            """
            SELECT actor_id, target_type, target_id, host(ip), details::text FROM audit_events
            WHERE id > $1 AND action = $2 AND workspace_id IS NULL
              AND (($3::bigint IS NULL AND $4::text IS NULL) OR target_id = $3 OR actor_id = $3 OR details->>'email' = $4)
              AND occurred_at > now() - interval '1 minute'
            ORDER BY id
            """, [.int(since), .text(action), .int(user), .text(email)]
        ).rows.map { row in
            let json = try JSONSerialization.jsonObject(with: Data(try row.string(4).utf8)) as? [String: Any] ?? [:]
            return Event(
                actor: try row.optionalInt(0), targetType: row.optionalString(1), target: try row.optionalInt(2),
                ip: row.optionalString(3), details: json.compactMapValues { $0 as? String })
        }
    }

    func lastEventID() throws -> Int {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow("SELECT coalesce(max(id), 0) FROM audit_events")!.int(0)
    }

    func userID(_ email: String) throws -> Int {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow("SELECT id FROM users WHERE email = $1", [.text(email)])!.int(0)
    }

    func linkPath(to email: String, prefix: String) throws -> String { try Outbox.newestLink(to: email, prefix: prefix) }

    @Test func signUpLoginLogoutAndFailures() throws {
        let start = try lastEventID()
        let browser = Browser()
        let email = try browser.signUp()
        let id = try userID(email)
        #expect(
            try events("auth.signed_up", user: id, since: start) == [Event(actor: id, targetType: "user", target: id, ip: "127.0.0.1", details: [:])])

        try browser.post("/logout", [])
        #expect(
            try events("auth.logged_out", user: id, since: start) == [Event(actor: id, targetType: "user", target: id, ip: "127.0.0.1", details: [:])]
        )

        // A sign-up with the address: no actor, the account as the target (the page says nothing of it).
        let again = Browser()
        try again.get("/signup")
        #expect(
            try again.post("/signup", [("name", "Again"), ("email", email), ("time_zone", "UTC")]).status == 303)
        _ = try Outbox.links(to: email, prefix: "/password/forgot")  // the notice, mailed after the answer
        #expect(
            try events("auth.signup_existing_address", user: id, since: start) == [
                Event(actor: nil, targetType: "user", target: id, ip: "127.0.0.1", details: [:])
            ])

        // A wrong password: no actor (nobody proved who they are), the account as the target.
        let wrong = try browser.logIn(email: email, password: "not the password at all")
        #expect(wrong.status == 401)
        #expect(
            try events("auth.login_failed", user: id, since: start) == [
                Event(actor: nil, targetType: "user", target: id, ip: "127.0.0.1", details: ["email": email, "reason": "wrong_password"])
            ])
        // An unknown address: the row names the address tried, and no account.
        let stranger = TestEnvironment.uniqueEmail("nobody")
        #expect(try Browser().logIn(email: stranger).status == 401)
        #expect(
            try events("auth.login_failed", email: stranger, since: start) == [
                Event(actor: nil, targetType: nil, target: nil, ip: "127.0.0.1", details: ["email": stranger, "reason": "unknown_email"])
            ])

        #expect(try browser.logIn(email: email).status == 303)
        #expect(
            try events("auth.login_succeeded", user: id, since: start) == [
                Event(actor: id, targetType: "user", target: id, ip: "127.0.0.1", details: [:])
            ])
        #expect(try events("auth.login_failed", user: id, since: start).count == 1, "the success added no failure")
    }

    @Test func disabledAccountLoginIsAFailureWithItsReason() throws {
        let user = try Fixtures.user("Locked")
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        try db.query("UPDATE users SET status = 'disabled' WHERE id = $1", [.int(user.id)])
        let start = try lastEventID()
        #expect(try Browser().logIn(email: user.email).status == 401)
        #expect(try events("auth.login_failed", user: user.id, since: start).map { $0.details["reason"] } == ["disabled"])
        #expect(try events("auth.login_succeeded", user: user.id, since: start).isEmpty)
    }

    @Test func passwordChangeResetAndEmailVerification() throws {
        let start = try lastEventID()
        let browser = Browser()
        let email = try browser.signUpUnconfirmed()
        let id = try userID(email)

        // Confirming the address by its link.
        let verify = try linkPath(to: email, prefix: "/verify-email/")
        try browser.get(verify)
        #expect(try browser.post(verify, []).status == 303)
        #expect(
            try events("auth.email_verified", user: id, since: start) == [
                Event(actor: id, targetType: "user", target: id, ip: "127.0.0.1", details: ["email": email])
            ])

        // A refused change (wrong current password) writes nothing; the right one writes one row.
        try browser.get("/account")
        let newPassword = "another long passphrase 42"
        let refused = try browser.post("/account/password", [("current_password", "wrong"), ("new_password", newPassword)])
        #expect(refused.status == 422)
        #expect(try events("auth.password_changed", user: id, since: start).isEmpty)
        let changed = try browser.post(
            "/account/password", [("current_password", TestEnvironment.defaultPassword), ("new_password", newPassword)])
        #expect(changed.status == 303)
        #expect(
            try events("auth.password_changed", user: id, since: start) == [
                Event(actor: id, targetType: "user", target: id, ip: "127.0.0.1", details: [:])
            ])

        // The reset: asked for by anyone (no actor), done by whoever holds the link.
        let other = Browser()
        try other.get("/password/forgot")
        #expect(try other.post("/password/forgot", [("email", email)]).status == 200)
        let reset = try Outbox.newestLink(to: email, prefix: "/password/reset/")
        #expect(try events("auth.password_reset_requested", user: id, since: start).count == 1)
        try other.get(reset)
        #expect(try other.post(reset, [("password", "a third long passphrase 7")]).status == 303)
        #expect(
            try events("auth.password_reset", user: id, since: start) == [
                Event(actor: id, targetType: "user", target: id, ip: "127.0.0.1", details: [:])
            ])
        // Asking for an address nobody has writes nothing (and says the same on the page).
        let before = try lastEventID()
        #expect(try other.post("/password/forgot", [("email", TestEnvironment.uniqueEmail("nobody"))]).status == 200)
        usleep(300_000)  // what a page does after its answer has had its time
        #expect(try events("auth.password_reset_requested", since: before).isEmpty)
    }

    @Test func roleChangesAndInvitationsAreWorkspaceEvents() throws {
        let owner = try Fixtures.user("Owner")
        let member = try Fixtures.user("Member")
        let workspace = try Fixtures.workspace(owner: owner, members: [(member, .editor)])
        let browser = try Fixtures.browser(for: owner)
        try browser.get("/w/\(workspace.slug)/members")
        let invitee = TestEnvironment.uniqueEmail("invitee")
        #expect(try browser.post("/w/\(workspace.slug)/members/invite", [("email", invitee), ("role", "editor")]).status == 303)
        #expect(try browser.post("/w/\(workspace.slug)/members/\(member.id)/role", [("role", "reviewer")]).status == 303)
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let rows = try db.query(
            """
            SELECT action, actor_id, host(ip) FROM audit_events
            WHERE workspace_id = $1 AND action IN ('member.invited', 'member.role_changed') ORDER BY id
            """, [.int(workspace.id)]
        ).rows.map { (try $0.string(0), try $0.optionalInt(1), $0.optionalString(2)) }
        #expect(rows.map(\.0) == ["member.invited", "member.role_changed"])
        #expect(rows.allSatisfy { $0.1 == owner.id && $0.2 == "127.0.0.1" })
    }
}
