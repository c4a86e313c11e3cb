// Secret links never reach a log: password reset, email confirmation and invitation tokens and
// calendar feed addresses are replaced by `[redacted]` in the programs' request lines and in
// nginx's access log, which also leaves out query strings (OAuth's code and state) and referrers.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct LogRedactionTests {
    func log(_ name: String) -> String {
        (try? String(contentsOfFile: TestEnvironment.temporaryDirectory + "/logs/\(name).log", encoding: .utf8)) ?? ""
    }

    @Test func tokensInPathsAndQueriesStayOutOfTheLogs() throws {
        let secret = "Zq" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let requests: [(path: String, program: String)] = [
            ("/password/reset/\(secret)", "herald-auth"),
            ("/verify-email/\(secret)", "herald-auth"),
            ("/signup/confirm/\(secret)", "herald-auth"),
            ("/invitations/\(secret)", "herald-workspaces"),
            ("/ical/\(secret).ics", "herald-calendar"),
            ("/oauth/x/callback?code=\(secret)&state=\(secret)", "herald-channels"),
        ]
        for request in requests {
            let response = try HTTPClient.send(method: "GET", path: request.path, headers: [("Referer", "http://127.0.0.1/password/reset/\(secret)")])
            #expect(response.status < 500, "\(request.path)")
        }
        // The programs log each request as it is answered; nginx writes its line after that.
        usleep(300_000)
        for program in Set(requests.map(\.program)) {
            let text = log(program)
            #expect(!text.isEmpty, "\(program) has a log")
            #expect(!text.contains(secret), "\(program)'s log holds the token")
        }
        #expect(log("herald-auth").contains("/password/reset/[redacted]"))
        let access = log("access")
        #expect(access.contains("/password/reset/[redacted]"), "nginx logs the request, redacted")
        #expect(!access.contains(secret), "nginx's access log holds the token")
    }
}
