// The fuzzing binary: libFuzzer's driver over one of Herald's fuzz targets, named by
// HERALD_FUZZ_TARGET (scripts/fuzz.sh sets it). An input that breaks one of the target's properties
// stops the run with the property's message, and libFuzzer keeps the input as a crash artifact.
//
// SwiftPM links an executable with its `main` renamed to `herald_fuzz_main`; this is that function,
// and it hands control to libFuzzer's driver (LLVMFuzzerRunDriver) instead of libFuzzer's own `main`.
import Glibc
import HeraldFuzzTargets

nonisolated(unsafe) var target: FuzzTarget = .html

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("herald_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = getenv("HERALD_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let chosen = FuzzTarget(rawValue: name) else {
        let message = "HERALD_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n"
        _ = write(2, message, message.utf8.count)
        return 2
    }
    target = chosen
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        if let broken = target.check(input) { fatalError("\(target.rawValue): \(broken)") }
        return 0
    }
}
