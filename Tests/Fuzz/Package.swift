// swift-tools-version:6.0
// The libFuzzer binary over Herald's parsers and escapers (Sources/HeraldFuzzTargets). It is its own
// package because libFuzzer supplies `main`: it is built with `-sanitize=fuzzer,address
// -parse-as-library` by scripts/fuzz.sh (`make fuzz`), never by a plain `swift build`.
import PackageDescription

let package = Package(
    name: "herald-fuzz",
    dependencies: [.package(name: "herald", path: "../..")],
    targets: [
        .executableTarget(
            name: "herald-fuzz",
            dependencies: [.product(name: "HeraldFuzzTargets", package: "herald")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("InternalImportsByDefault")])
    ],
    swiftLanguageModes: [.v6]
)
