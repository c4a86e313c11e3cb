// swift-tools-version:6.0
// Herald: self-hosted social-media manager. FastCGI programs behind nginx, PostgreSQL, libsodium.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herald-auth", targets: ["herald-auth"]),
        .executable(name: "herald-workspaces", targets: ["herald-workspaces"]),
        .executable(name: "herald-credits", targets: ["herald-credits"]),
        .executable(name: "herald-posts", targets: ["herald-posts"]),
        .executable(name: "herald-calendar", targets: ["herald-calendar"]),
        .executable(name: "herald-channels", targets: ["herald-channels"]),
        .executable(name: "heraldctl", targets: ["heraldctl"]),
    ],
    dependencies: [
        // heraldctl's sub-commands, options and help text.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CFCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .target(name: "HeraldCore", dependencies: ["CFCGI", "CPQ", "CSodium"], swiftSettings: strict),
        .executableTarget(name: "herald-auth", dependencies: ["HeraldCore"], swiftSettings: strict),
        .executableTarget(name: "herald-workspaces", dependencies: ["HeraldCore"], swiftSettings: strict),
        .executableTarget(name: "herald-credits", dependencies: ["HeraldCore"], swiftSettings: strict),
        .executableTarget(name: "herald-posts", dependencies: ["HeraldCore"], swiftSettings: strict),
        .executableTarget(name: "herald-calendar", dependencies: ["HeraldCore"], swiftSettings: strict),
        // The platforms' OAuth, Bluesky sessions, token refresh: Foundation's URLSession for outbound HTTPS,
        // kept out of HeraldCore. herald-channels uses it, and the queue worker will (refresh before publishing).
        .target(name: "HeraldOAuth", dependencies: ["HeraldCore"], swiftSettings: strict),
        .executableTarget(name: "herald-channels", dependencies: ["HeraldCore", "HeraldOAuth"], swiftSettings: strict),
        .executableTarget(
            name: "heraldctl",
            dependencies: ["HeraldCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .testTarget(name: "HeraldTests", dependencies: ["HeraldCore", "HeraldOAuth", "CSodium"], exclude: ["Fixtures"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
