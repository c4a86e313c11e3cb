// The fuzzers' kept corpus (Tests/Fuzz/corpus/<target>/: inputs that reach new code) and the inputs
// that once broke a property (Tests/Fuzz/regressions/<target>/), replayed through the same checks
// the fuzzers run.
import Foundation
import HeraldFuzzTargets
import Testing

@Suite struct FuzzCorpusTests {
    static let corpus = repositoryRoot + "/Tests/Fuzz/corpus"
    static let regressions = repositoryRoot + "/Tests/Fuzz/regressions"

    @Test(arguments: FuzzTarget.allCases) func theCorpusHoldsEveryProperty(_ target: FuzzTarget) throws {
        let folder = FuzzCorpusTests.corpus + "/" + target.rawValue
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names.count >= 10, "the corpus of \(target.rawValue) has \(names.count) inputs: run `make fuzz` and commit its corpus")
        for name in names {
            let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            let broken = target.check(input)
            #expect(broken == nil, "\(target.rawValue)/\(name): \(broken ?? "")")
        }
    }

    @Test func theInputsThatOnceBrokeATargetHoldNow() throws {
        var replayed = 0
        for target in FuzzTarget.allCases {
            let folder = FuzzCorpusTests.regressions + "/" + target.rawValue
            guard FileManager.default.fileExists(atPath: folder) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
                let broken = target.check(try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
                #expect(broken == nil, "\(target.rawValue)/\(name): \(broken ?? "")")
                replayed += 1
            }
        }
        #expect(replayed >= 3)
    }

}
