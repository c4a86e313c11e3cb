// The production nginx site (deploy/render-nginx.sh): it passes `nginx -t` inside Debian's nginx.conf,
// has a location for every path of the manifest and none for /metrics on the public servers, and,
// started in front of the test stack's programs over TLS: every route reaches its program, every
// response (programs', static files, nginx's error pages) carries the security headers, the forms are
// rate-limited per client address taken from a trusted proxy's X-Forwarded-For, plain HTTP redirects,
// and /metrics answers on the local metrics listener only.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct DeploySiteTests {
    /// Names of the headers nginx adds to what it answers itself; the programs send the first four.
    static let pageHeaders = ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy"]
    static let siteHeaders = ["Strict-Transport-Security", "Permissions-Policy"]

    /// The site's text without comments, split into its top-level server blocks.
    func servers(_ site: ProductionSite) throws -> [String] {
        let text = try String(contentsOfFile: site.siteFile, encoding: .utf8).split(separator: "\n")
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
        return text.components(separatedBy: "\nserver {").dropFirst().map { $0 }
    }

    @Test func passesNginxTestAndRoutesEveryPathOfTheManifest() throws {
        let site = try ProductionSite()
        let (status, output) = try site.check()
        #expect(status == 0, "\(output)")
        for line in output.split(separator: "\n") where line.contains("[warn]") || line.contains("[emerg]") || line.contains("[alert]") {
            Issue.record("nginx -t: \(line)")
        }
        let blocks = try servers(site)
        #expect(blocks.count == 3, "plain HTTP, HTTPS and the metrics listener")
        let metrics = blocks.filter { $0.contains("listen 127.0.0.1:\(site.metricsPort);") }
        let https = try #require(blocks.first { $0.contains("listen 127.0.0.1:\(site.httpsPort) ssl") })
        #expect(metrics.count == 1)
        for server in blocks where !server.contains("listen 127.0.0.1:\(site.metricsPort);") {
            #expect(!server.contains("metrics"), "a public server mentions metrics")
        }
        // Each location of the HTTPS server with the upstream its fastcgi_pass names.
        var locations: [(line: String, upstream: String)] = []
        var location = ""
        for line in https.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("location ") { location = line }
            if line.hasPrefix("fastcgi_pass ") { locations.append((location, String(line.dropFirst("fastcgi_pass ".count).dropLast()))) }
        }
        /// The paths a generated location takes: `location ~ ^(A|B)(/.*)?$ {` → A, B.
        func alternatives(_ line: String) -> [String] {
            guard line.hasPrefix("location ~ ^("), line.hasSuffix(")(/.*)?$ {") else { return [] }
            return line.dropFirst("location ~ ^(".count).dropLast(")(/.*)?$ {".count).split(separator: "|").map(String.init)
        }
        for program in try RepositoryMap.programs() where !program.paths.isEmpty {
            for path in program.paths {
                let owners = locations.filter {
                    path == "=/" ? $0.line == "location = / {" : alternatives($0.line).contains(Deploy.locationRegex(path))
                }
                #expect(owners.map(\.upstream) == ["herald_\(program.area)"], "\(program.name) \(path): \(owners)")
            }
        }
    }

    @Test func everyRouteOfEveryProgramReachesItsProgramOverTLS() throws {
        let site = try ProductionSite()
        try site.start()
        defer { site.stop() }
        var checked = 0
        for program in try RepositoryMap.programs() where !program.paths.isEmpty {
            let table = try TestEnvironment.run(TestEnvironment.binary(program.name), ["--routes"]).split(separator: "\n")
            // herald-admin's GET /metrics is the metrics listener's alone (metricsOnlyOnTheLocalListener).
            for route in table where route != "GET /metrics" {
                let parts = route.split(separator: " ", maxSplits: 1)
                let path = parts[1].split(separator: "/", omittingEmptySubsequences: false).map { segment in
                    segment.hasPrefix("{") ? "routing-check-1" : String(segment)
                }.joined(separator: "/")
                // Each from its own address: the rate limits count per client.
                let response = try site.https(String(parts[0]), path, headers: [("X-Forwarded-For", "198.51.100.\(checked % 250 + 1)")])
                #expect(
                    response.header("X-Herald-Program") == program.area,
                    "\(route): \(response.status) from \(response.header("X-Herald-Program") ?? "nginx")")
                #expect(response.status < 500, "\(route): \(response.status)")
                for name in Self.siteHeaders { #expect(response.header(name) != nil, "\(route) lacks \(name)") }
                checked += 1
            }
        }
        #expect(checked >= 60, "checked only \(checked) routes")
    }

    @Test func securityHeadersOnProgramPagesStaticFilesAndErrorPages() throws {
        let site = try ProductionSite()
        try site.start()
        defer { site.stop() }
        let page = try site.https("GET", "/login")
        #expect(page.status == 200 && page.header("X-Herald-Program") == "auth")
        #expect(page.header("Strict-Transport-Security")?.hasPrefix("max-age=") == true)
        #expect(page.header("Permissions-Policy")?.contains("camera=()") == true)
        // The program's own headers pass through once, not doubled by nginx.
        for name in Self.pageHeaders { #expect(page.headers(name).count == 1, "\(name): \(page.headers(name))") }
        #expect(page.header("Content-Security-Policy")?.contains("object-src 'none'") == true)

        let nginxAnswers = [
            ("/style.css", 200), ("/robots.txt", 200), ("/no-such-page", 404), ("/metrics", 404), ("/errors/502.html", 404),
        ]
        for (path, status) in nginxAnswers {
            let response = try site.https("GET", path)
            #expect(response.status == status, "\(path): \(response.status)")
            #expect(response.header("X-Herald-Program") == nil, "\(path) reached \(response.header("X-Herald-Program") ?? "")")
            // Exactly the programs' values, so a page nginx serves is under the same policy.
            for name in Self.pageHeaders { #expect(response.headers(name) == page.headers(name), "\(path) \(name): \(response.headers(name))") }
            for name in Self.siteHeaders { #expect(response.headers(name) == page.headers(name), "\(path) \(name)") }
        }
        #expect(try site.https("GET", "/no-such-page").body.contains("Page not found"))
        // A body over 1 MB: nginx's 413 page, with the headers too.
        let large = try site.https("POST", "/login", body: String(repeating: "a", count: 1_100_000))
        #expect(large.status == 413)
        for name in Self.pageHeaders + Self.siteHeaders { #expect(large.header(name) != nil, "413 lacks \(name)") }
    }

    @Test func metricsOnlyOnTheLocalListener() throws {
        let site = try ProductionSite()
        try site.start()
        defer { site.stop() }
        for path in ["/metrics", "/metrics/", "/admin/metrics", "/metrics?format=prometheus"] {
            let response = try site.https("GET", path, headers: [("Herald-Metrics-Listener", "1")])
            #expect(!response.body.contains("# TYPE herald_"), "\(path) served metrics on the public site")
            #expect(response.status == 404 || response.header("X-Herald-Program") == "admin", "\(path): \(response.status)")
        }
        let plain = try HTTPClient.send(method: "GET", path: "/metrics", port: site.httpPort)
        #expect(plain.status == 301, "plain HTTP only redirects")

        #expect(try HTTPClient.send(method: "GET", path: "/", port: site.metricsPort).status == 404)
        #expect(try HTTPClient.send(method: "GET", path: "/login", port: site.metricsPort).status == 404)
        let scrape = try HTTPClient.send(method: "GET", path: "/metrics", port: site.metricsPort)
        #expect(scrape.status == 200 && scrape.header("X-Herald-Program") == "admin", "\(scrape.status): \(scrape.body.prefix(200))")
        #expect(scrape.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(scrape.body.contains("# TYPE herald_"))
    }

    @Test func plainHTTPRedirectsToHTTPS() throws {
        let site = try ProductionSite()
        try site.start()
        defer { site.stop() }
        let response = try HTTPClient.send(method: "GET", path: "/w/some/posts?page=2", port: site.httpPort)
        #expect(response.status == 301)
        #expect(response.header("Location") == "https://\(ProductionSite.serverName)/w/some/posts?page=2")
        // Let's Encrypt's challenge is served from the webroot, not redirected.
        try FileManager.default.createDirectory(atPath: site.directory + "/.well-known/acme-challenge", withIntermediateDirectories: true)
        try "token.thumbprint".write(toFile: site.directory + "/.well-known/acme-challenge/token", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: site.directory + "/.well-known")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: site.directory + "/.well-known/acme-challenge")
        let challenge = try HTTPClient.send(method: "GET", path: "/.well-known/acme-challenge/token", port: site.httpPort)
        #expect(challenge.status == 200 && challenge.body == "token.thumbprint", "\(challenge.status)")
    }

    @Test func formsAreRateLimitedPerClientBehindATrustedProxy() throws {
        let site = try ProductionSite()
        try site.start()
        defer { site.stop() }
        // 127.0.0.1 is a trusted proxy: the client is the address it forwards.
        let client = [("X-Forwarded-For", "203.0.113.7")]
        var statuses: [Int] = []
        for _ in 0..<10 { statuses.append(try site.https("POST", "/password/forgot", headers: client).status) }
        #expect(statuses.first != 429)
        #expect(statuses.contains(429), "\(statuses)")
        let limited = try site.https("POST", "/password/forgot", headers: client)
        #expect(limited.status == 429)
        #expect(limited.body.contains("Too many attempts"))
        #expect(limited.header("Retry-After") == "60")
        for name in Self.pageHeaders + Self.siteHeaders { #expect(limited.header(name) != nil, "429 lacks \(name)") }
        // Another client, and the same client's GET, are not limited.
        #expect(try site.https("POST", "/password/forgot", headers: [("X-Forwarded-For", "203.0.113.8")]).status != 429)
        #expect(try site.https("GET", "/password/forgot", headers: client).status == 200)
        // Each limited form: a burst of POSTs ends in 429 (the program answers the first ones itself).
        for (index, path) in ["/login", "/signup", "/password/reset/routing-check-1", "/account/verify-email"].enumerated() {
            let address = [("X-Forwarded-For", "203.0.113.\(20 + index)")]
            var last = 0
            for _ in 0..<13 where last != 429 { last = try site.https("POST", path, headers: address).status }
            #expect(last == 429, "\(path) is not rate-limited")
        }
        let log = try String(contentsOfFile: site.directory + "/access.log", encoding: .utf8)
        #expect(log.contains("203.0.113.7 "), "the access log has the forwarded client address")
        #expect(log.contains("/password/reset/[redacted]") && !log.contains("routing-check-1"), "a reset token reached the access log")
    }
}
