// The app role's timeouts: a request that waits too long for a lock (or runs too long) is stopped
// by PostgreSQL and answered with a clear 503 page; nothing it started is kept.
import Foundation
import Testing

@testable import HeraldDatabase

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct DatabaseTimeoutTests {
    @Test func theAppRoleHasItsTimeouts() throws {
        let db = try TestEnvironment.connectApp()
        #expect(try db.queryRow("SHOW statement_timeout")!.string(0) == "30s")
        #expect(try db.queryRow("SHOW lock_timeout")!.string(0) == "10s")
        #expect(try db.queryRow("SHOW idle_in_transaction_session_timeout")!.string(0) == "2min")
    }

    @Test func aRequestStuckBehindALockGetsATimeoutPageAndChangesNothing() throws {
        let user = try Fixtures.user("Waiting")
        let browser = try Fixtures.browser(for: user)
        try browser.get("/account")
        // Someone else holds the user's row (as a long migration or a stuck transaction would).
        let holder = try TestEnvironment.connectSuperuser(database: "herald")
        try holder.query("BEGIN")
        try holder.query("SELECT id FROM users WHERE id = $1 FOR UPDATE", [.int(user.id)])
        let response = try browser.post("/account", [("name", "Renamed While Locked"), ("time_zone", "UTC")])
        try holder.query("ROLLBACK")
        #expect(response.status == 503)
        #expect(response.body.contains("Taking too long"))
        #expect(response.header("Retry-After") == "5")
        let name = try holder.queryRow("SELECT name FROM users WHERE id = $1", [.int(user.id)])!.string(0)
        #expect(name == "Waiting", "the update was rolled back")
        // And the program is fine afterwards: the same request now goes through.
        #expect(try browser.post("/account", [("name", "Renamed Later"), ("time_zone", "UTC")]).status == 303)
    }
}
