// swift-tools-version:6.0
// Herald: self-hosted social-media manager. FastCGI programs behind nginx, PostgreSQL, libsodium.
//
// The library targets form layers with one direction of use (README: Architecture):
//   infrastructure (knows nothing of social media) → identity → domains → programs.
// A target depends only on targets of its own layer or below; LayeringTests fails on an upward edge
// and on an `import` that this file does not declare. The programs come from Sources/programs.manifest.
import Foundation
import PackageDescription

/// Strict settings for every Swift target.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

func library(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, swiftSettings: strict)
}

let libraries: [Target] = [
    // Infrastructure: C libraries, then the Swift layers over them.
    .systemLibrary(name: "CFCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
    .systemLibrary(name: "CPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
    .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    library("HeraldSupport", ["CSodium"]),
    library("HeraldCrypto", ["CSodium", "HeraldSupport"]),
    library("HeraldDatabase", ["CPQ", "HeraldCrypto", "HeraldSupport"]),
    library("HeraldFastCGI", ["CFCGI", "HeraldSupport"]),
    library("HeraldHTML", ["HeraldSupport"]),
    // What the fuzzers check (Tests/Fuzz, `make fuzz`), and the corpus replay in `make test`.
    library("HeraldFuzzTargets", ["HeraldFastCGI", "HeraldHTML", "HeraldSupport"]),
    library("HeraldWeb", ["HeraldFastCGI", "HeraldHTML", "HeraldDatabase", "HeraldCrypto", "HeraldSupport"]),
    // Identity: sessions, users, memberships, roles, the workspace request context, audit, mail.
    library("HeraldIdentity", ["HeraldWeb", "HeraldFastCGI", "HeraldHTML", "HeraldDatabase", "HeraldCrypto", "HeraldSupport"]),
    // Domains. None of them sees HTTP: their errors are their own types (UserFacingError).
    library("HeraldBilling", ["HeraldDatabase", "HeraldSupport"]),
    library("HeraldContent", ["HeraldHTML", "HeraldDatabase", "HeraldSupport"]),
    // The queue: enqueue once per key, claim with SKIP LOCKED under a lease, retry policy.
    library("HeraldQueue", ["HeraldDatabase", "HeraldSupport"]),
    // The platforms' OAuth, Bluesky sessions, token refresh and publishing adapters, and the AI drafts'
    // outbound calls: the only target that uses Foundation (URLSession for outbound HTTPS) and libcurl
    // (GuardedFetch, for addresses a user chose).
    library("HeraldPlatforms", ["CCurl", "HeraldContent", "HeraldIdentity", "HeraldDatabase", "HeraldCrypto", "HeraldSupport"]),
]

/// Sources/programs.manifest: `program NAME` blocks with `uses` and `paths` lines.
struct Program {
    let name: String
    var uses: [String] = []
}

func readPrograms() -> [Program] {
    let path = Context.packageDirectory + "/Sources/programs.manifest"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("cannot read \(path)") }
    var programs: [Program] = []
    for line in text.split(separator: "\n") {
        let words = line.split(separator: " ").map(String.init)
        guard let key = words.first, !key.hasPrefix("#") else { continue }
        if key == "program" {
            programs.append(Program(name: words[1]))
        } else if key == "uses" {
            programs[programs.count - 1].uses += words.dropFirst()
        }
    }
    return programs
}

/// Products of the package's one dependency, by the name a program's `uses` line gives.
let products: [String: Target.Dependency] = [
    "ArgumentParser": .product(name: "ArgumentParser", package: "swift-argument-parser")
]

let programs = readPrograms()

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v15)],
    // The fuzz targets are a library product for the fuzzing package in Tests/Fuzz.
    products: programs.map { .executable(name: $0.name, targets: [$0.name]) }
        + [.library(name: "HeraldFuzzTargets", targets: ["HeraldFuzzTargets"])],
    dependencies: [
        // heraldctl's sub-commands, options and help text.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: libraries
        + programs.map { program in
            .executableTarget(
                name: program.name,
                dependencies: program.uses.map { products[$0] ?? .target(name: $0) },
                exclude: program.name == "herald-auth" ? ["common-passwords.txt"] : [],
                swiftSettings: strict)
        }
        + [
            .testTarget(
                name: "HeraldTests",
                dependencies: [
                    "HeraldPlatforms", "HeraldQueue", "HeraldContent", "HeraldBilling", "HeraldIdentity", "HeraldWeb",
                    "HeraldHTML", "HeraldFastCGI", "HeraldFuzzTargets", "HeraldDatabase", "HeraldCrypto", "HeraldSupport", "CSodium", "herald-auth",
                    "herald-calendar",
                ],
                exclude: ["Fixtures"], swiftSettings: strict)
        ],
    swiftLanguageModes: [.v6]
)
