// Links in the mail Herald sent, read from the outbox. Some pages send their mail after their answer
// is out (so that their time tells nothing), so a test may read before it is there: these wait.
import Foundation

enum Outbox {
    /// The paths of the links to `email` that start with `prefix`, oldest first, once at least
    /// `count` are there; waits up to 10 s for them, then returns what there is.
    static func links(to email: String, prefix: String, atLeast count: Int = 1) throws -> [String] {
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        var found: [String] = []
        for _ in 0..<100 {
            found = try db.query("SELECT body FROM outbox_emails WHERE recipient = $1 ORDER BY id", [.text(email)]).rows.compactMap { row in
                let body = try row.string(0)
                // The first such link of the mail, wherever it stands in its line, up to the next space.
                guard let start = body.range(of: TestEnvironment.baseURL + prefix) else { return nil }
                return String(body[start.lowerBound...].prefix { !$0.isWhitespace }.dropFirst(TestEnvironment.baseURL.count))
            }
            if found.count >= count { return found }
            usleep(100_000)
        }
        return found
    }

    /// The newest such link; fails the test when none came.
    static func newestLink(to email: String, prefix: String) throws -> String {
        guard let link = try links(to: email, prefix: prefix).last else { throw TestFailure("no mail to \(email) with a link to \(prefix)") }
        return link
    }
}
