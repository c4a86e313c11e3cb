// deploy/: install.sh installs a systemd unit, enabled under herald.target, for every program of
// Sources/programs.manifest; the units pass `systemd-analyze verify` (any complaint about them fails),
// keep their hardening, restart within a second, agree with the heraldctl wrapper on the installation's
// paths; and the programs serve under MemoryDenyWriteExecute.
import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct DeployUnitsTests {
    /// The service units that run something, by file name.
    static let services = ["herald@.service", "herald-worker.service"]

    @Test func installsAnEnabledUnitForEveryProgramOfTheManifest() throws {
        let root = try Deploy.stage()
        let units = root + "/etc/systemd/system"
        let files = FileManager.default
        var wanted: [String] = []
        for program in try RepositoryMap.programs() {
            #expect(files.isExecutableFile(atPath: root + "/opt/herald/bin/" + program.name), "\(program.name) is not installed")
            if !program.paths.isEmpty { wanted.append("herald@\(program.area).service") }
            if program.isDaemon {
                #expect(files.fileExists(atPath: "\(units)/\(program.name).service"), "the daemon \(program.name) has no unit")
                wanted.append(program.name + ".service")
            }
        }
        #expect(wanted.count >= 9)
        for unit in wanted {
            let link = try? files.destinationOfSymbolicLink(atPath: "\(units)/herald.target.wants/\(unit)")
            let template = unit.hasPrefix("herald@") ? "herald@.service" : unit
            #expect(link == "/etc/systemd/system/" + template, "herald.target does not want \(unit)")
        }
        // Nothing else is wanted: an instance of a program gone from the manifest would fail to start.
        #expect(try files.contentsOfDirectory(atPath: units + "/herald.target.wants").sorted() == wanted.sorted())
        #expect(try files.destinationOfSymbolicLink(atPath: units + "/multi-user.target.wants/herald.target") == "/etc/systemd/system/herald.target")
        // The rest of the installation the units and nginx rely on.
        #expect(files.fileExists(atPath: root + "/opt/herald/migrations/0001_identity.sql"))
        #expect(files.fileExists(atPath: root + "/opt/herald/public/errors/502.html"))
        #expect(files.fileExists(atPath: root + "/opt/herald/share/common-passwords.txt"))
        #expect(files.isExecutableFile(atPath: root + "/usr/local/sbin/heraldctl"))
        #expect(files.fileExists(atPath: units + "/herald@.socket"), "the programs' sockets are held by socket units")
        for name in ["herald.env", "owner.env"] {
            let mode = try files.attributesOfItem(atPath: root + "/etc/herald/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600, "/etc/herald/\(name) has mode \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test func unitsPassSystemdAnalyzeVerify() throws {
        let root = try Deploy.stage()
        // The units as installed, their /opt/herald pointing into the staging tree: verify checks that
        // every command exists and is executable.
        let directory = try Deploy.directory("deploy-verify")
        for file in try FileManager.default.contentsOfDirectory(atPath: root + "/etc/systemd/system")
        where file.hasSuffix(".service") || file.hasSuffix(".socket") || file.hasSuffix(".target") {
            try String(contentsOfFile: root + "/etc/systemd/system/" + file, encoding: .utf8).replacingOccurrences(
                of: "/opt/herald/", with: root + "/opt/herald/"
            )
            .write(toFile: directory + "/" + file, atomically: true, encoding: .utf8)
        }
        var units = ["herald.target"]
        for program in try RepositoryMap.programs() {
            if !program.paths.isEmpty { units += ["herald@\(program.area).service", "herald@\(program.area).socket"] }
            if program.isDaemon { units.append(program.name + ".service") }
        }
        let found = try Deploy.command("systemd-analyze", ["--version"])
        try #require(found.status == 0, "systemd-analyze is missing (scripts/lib.sh ensure_deps installs the package systemd): \(found.output)")

        let (status, output) = try Deploy.command("systemd-analyze", ["verify"] + units.map { directory + "/" + $0 })
        print("systemd-analyze verify \(units.joined(separator: " ")): exit \(status)\n\(output)")
        #expect(status == 0, "\(output)")
        // It reports unknown keys, bad values and wrong sections and goes on (exit 0): any line about
        // one of our units is a failure. (Lines about the machine's own units are not ours to fix.)
        for line in output.split(separator: "\n") where line.contains(directory) || units.contains(where: { line.contains($0) }) {
            Issue.record("systemd-analyze verify: \(line)")
        }
        // It does read them: a unit with an unknown key is reported.
        let broken = directory + "/herald-broken.service"
        try "[Service]\nExecStart=/bin/true\nProtectSystems=strict\n".write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(try Deploy.command("systemd-analyze", ["verify", broken]).output.contains("Unknown key"))
    }

    @Test func servicesRestartWithinASecondAndKeepTheirHardening() throws {
        let required = [
            "User=herald", "Group=herald", "EnvironmentFile=/etc/herald/herald.env", "Restart=on-failure", "KillSignal=SIGTERM",
            "RuntimeDirectory=herald", "RuntimeDirectoryMode=0750", "RuntimeDirectoryPreserve=yes", "NoNewPrivileges=yes",
            "CapabilityBoundingSet=", "AmbientCapabilities=", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectControlGroups=yes",
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "RestrictNamespaces=yes", "LockPersonality=yes",
            "MemoryDenyWriteExecute=yes", "SystemCallArchitectures=native",
        ]
        let directory = try Deploy.directory("deploy-security")
        for service in Self.services {
            let text = try RepositoryMap.text("deploy/systemd/" + service)
            let lines = Set(Deploy.directives(text).map { "\($0.name)=\($0.value)" })
            for line in required { #expect(lines.contains(line), "\(service) lacks \(line)") }
            // No writable path beyond the runtime directory, which ProtectSystem=strict leaves writable.
            #expect(!lines.contains { $0.hasPrefix("ReadWritePaths=") || $0.hasPrefix("StateDirectory=") }, "\(service)")
            let restart = try #require(Deploy.directives(text).first { $0.name == "RestartSec" }?.value)
            #expect(restart.hasSuffix("ms") && (Int(restart.dropLast(2)) ?? 1000) < 1000, "RestartSec=\(restart)")
            let stop = Int(try #require(Deploy.directives(text).first { $0.name == "TimeoutStopSec" }?.value).dropLast()) ?? 0
            #expect(stop > 10, "TimeoutStopSec leaves the 10 s drain of a FastCGI program no room")

            // systemd's own review of the sandbox: "OK" is 2.0 or below (9.6 for a unit without any).
            let instance = directory + "/" + service.replacingOccurrences(of: "@.", with: "@auth.")
            try text.replacingOccurrences(of: "/opt/herald/bin/herald-%i", with: "/bin/true").replacingOccurrences(
                of: "/opt/herald/bin/herald-worker", with: "/bin/true"
            ).write(toFile: directory + "/" + service, atomically: true, encoding: .utf8)
            let review = try Deploy.command("systemd-analyze", ["security", "--offline=yes", instance])
            let level = review.output.split(separator: "\n").first { $0.contains("Overall exposure level") }
            let score = level.flatMap { line in Double(line.split(separator: ":").last!.split(separator: " ").first ?? "") }
            print("systemd-analyze security \(service): \(level.map(String.init) ?? review.output)")
            #expect(score != nil && score! <= 2.0, "\(level.map(String.init) ?? review.output)")
        }
    }

    /// heraldctl's wrapper runs outside the units, so it sets the same paths itself.
    @Test func theWrapperAndTheUnitsAgreeOnTheInstallationsPaths() throws {
        var wrapper: [String: String] = [:]
        for line in try RepositoryMap.text("deploy/heraldctl").split(separator: "\n") where line.hasPrefix("export HERALD_") {
            let assignment = line.dropFirst("export ".count)
            let eq = assignment.firstIndex(of: "=")!
            wrapper[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
        }
        #expect(wrapper["HERALD_KEYRING_FILE"] == "/var/lib/herald/keyring")
        for service in Self.services {
            var unit: [String: String] = [:]
            for directive in Deploy.directives(try RepositoryMap.text("deploy/systemd/" + service)) where directive.name == "Environment" {
                let eq = directive.value.firstIndex(of: "=")!
                unit[String(directive.value[..<eq])] = String(directive.value[directive.value.index(after: eq)...])
            }
            #expect(unit == wrapper, "\(service): \(unit) but deploy/heraldctl: \(wrapper)")
        }
        // The wrapper reads the example files as systemd does: quotes removed, comments skipped.
        let script = [
            "cd \(Deploy.repository)",
            "eval \"$(sed -n '/^load_env() {/,/^}/p' deploy/heraldctl)\"",
            "die() { echo \"die: $*\"; exit 1; }",
            "load_env deploy/herald.env.example && load_env deploy/owner.env.example",
            "printf '%s|%s|%s' \"$HERALD_BASE_URL\" \"$HERALD_DATABASE_URL\" \"$HERALD_OWNER_DATABASE_URL\"",
        ]
        let loaded = try Deploy.succeed("bash", ["-c", script.joined(separator: "\n")])
        #expect(
            loaded == "https://herald.example.com|host=/var/run/postgresql dbname=herald user=herald_app|"
                + "host=/var/run/postgresql dbname=herald user=herald_owner password=CHANGE-ME", "\(loaded)")
        for file in ["install.sh", "render-nginx.sh", "heraldctl"] { try Deploy.succeed("bash", ["-n", Deploy.repository + "/deploy/" + file]) }
    }

    /// PR_SET_MDWE (Linux 6.3): the kernel's own form of what MemoryDenyWriteExecute= asks systemd for.
    static let launcher = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(65, 1, 0, 0, 0) != 0:
            sys.exit("PR_SET_MDWE: " + os.strerror(ctypes.get_errno()))
        os.execvp(sys.argv[1], sys.argv[1:])
        """
    static let kernelCanDenyWriteExecute = (try? Deploy.command("python3", ["-c", launcher, "/bin/true"]).status == 0) ?? false

    /// The units set MemoryDenyWriteExecute=yes: a program that maps writable code would die. The Swift
    /// runtime, Foundation (herald-channels links FoundationNetworking and libcurl), libpq and libsodium
    /// must not; a page from each, with the same refusal in force.
    @Test(.enabled(if: kernelCanDenyWriteExecute, "this kernel has no PR_SET_MDWE (Linux 6.3 or later)"))
    func programsServeWithWritableExecutableMemoryRefused() throws {
        // The launcher does refuse a writable and executable mapping.
        let probe = try Deploy.command(
            "python3",
            [
                "-c", Self.launcher, "python3", "-c",
                "import mmap\ntry:\n  mmap.mmap(-1, 4096, prot=7); print('mapped')\nexcept OSError as e: print('refused', e.errno)",
            ])
        #expect(probe.output.contains("refused 13"), "\(probe.output)")

        // /login renders a page; the OAuth callback without a session redirects to the login.
        for (area, path, page) in [("auth", "/login", true), ("channels", "/oauth/x/callback", false)] {
            let directory = try Deploy.directory("deploy-mdwe")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", Self.launcher, TestEnvironment.binary("herald-" + area)]
            var environment = ProcessInfo.processInfo.environment
            environment["HERALD_SOCKET_DIR"] = directory
            environment["HERALD_METRICS_DIR"] = directory + "/metrics"
            environment["HERALD_THREADS"] = "2"
            process.environment = environment
            let log = Pipe()
            process.standardError = log
            let started = Date()
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            let socket = "\(directory)/\(area).sock"
            for _ in 0..<2000 where process.isRunning && !FileManager.default.fileExists(atPath: socket) { usleep(5_000) }
            print("herald-\(area) listened \(Int(Date().timeIntervalSince(started) * 1000)) ms after it was started")
            try #require(
                process.isRunning, "herald-\(area) died: \(String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")

            let client = try FastCGIClient(socketPath: socket)
            try client.begin(params: [
                "REQUEST_METHOD": "GET", "DOCUMENT_URI": path, "QUERY_STRING": "", "REMOTE_ADDR": "192.0.2.9", "REQUEST_ID": "mdwe",
            ])
            try client.sendBody([], last: true)
            let response = try client.readResponse()
            let status = Int(response.dropFirst("Status: ".count).prefix(3)) ?? 0
            #expect(response.hasPrefix("Status: ") && status >= 200 && status < 500, "herald-\(area) \(path): \(response.prefix(200))")
            #expect(!page || response.contains("<!doctype html>"), "\(response.prefix(300))")

            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "herald-\(area) stopped badly")
        }
    }
}
