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
        .executableTarget(
            name: "heraldctl",
            dependencies: ["HeraldCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .testTarget(name: "HeraldTests", dependencies: ["HeraldCore", "CSodium"], exclude: ["Fixtures"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
