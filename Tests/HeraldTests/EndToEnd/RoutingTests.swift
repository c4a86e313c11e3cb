// Every route of every program, through nginx: the program the manifest names answers it. This is
// what keeps nginx's locations (generated from Sources/programs.manifest) and the programs' route
// tables (`--routes`) in agreement.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct RoutingTests {
    /// `GET /w/{slug}/posts` lines, as the program prints them with `--routes`.
    func routes(of program: ProgramEntry) throws -> [(method: String, pattern: String)] {
        try TestEnvironment.run(TestEnvironment.binary(program.name), ["--routes"]).split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        }
    }

    /// A concrete path for a pattern: each `{parameter}` becomes a value no workspace or token has.
    func path(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? "routing-check-1" : String(segment)
        }.joined(separator: "/")
    }

    @Test func everyRouteReachesTheProgramThatOwnsIt() throws {
        var checked = 0
        for program in try RepositoryMap.programs() where !program.paths.isEmpty {
            let table = try routes(of: program)
            #expect(!table.isEmpty, "\(program.name) printed no routes")
            for route in table {
                let path = path(route.pattern)
                // herald-admin's GET /metrics is reached only through the local-only metrics listener.
                let port = route.pattern == "/metrics" ? MetricsEndpointTests.metricsPort : TestEnvironment.httpPort
                let response = try HTTPClient.send(method: route.method, path: path, port: port)
                #expect(
                    response.header("X-Herald-Program") == program.area,
                    "\(route.method) \(path) (\(program.name)'s \(route.pattern)) was answered by \(response.header("X-Herald-Program") ?? "nginx itself") with \(response.status)"
                )
                #expect(response.status < 500, "\(route.method) \(path): \(response.status)")
                checked += 1
            }
        }
        #expect(checked >= 60, "checked only \(checked) routes")
    }

    /// A path no program owns is nginx's own 404 page, not a program's.
    @Test func unknownTopLevelPathsStayWithNginx() throws {
        let response = try HTTPClient.send(method: "GET", path: "/no-such-area/here")
        #expect(response.status == 404)
        #expect(response.header("X-Herald-Program") == nil)
    }
}
