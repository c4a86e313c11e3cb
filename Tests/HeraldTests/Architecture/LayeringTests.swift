// The layers are targets, and these tests keep Package.swift and the imports honest: no target
// uses one above it, no file imports what its target does not declare, no domain sees HTTP, and no
// view runs a query.
import Foundation
import Testing

@Suite struct LayeringTests {
    /// Every library target's layer. A new target must be placed here, in the layer it belongs to.
    static let layers: [String: Int] = [
        // Infrastructure: knows nothing of social media.
        "CFCGI": 0, "CPQ": 0, "CSodium": 0, "CCurl": 0, "HeraldSupport": 0, "HeraldCrypto": 0, "HeraldDatabase": 0,
        "HeraldFastCGI": 0, "HeraldHTML": 0, "HeraldWeb": 0, "HeraldFuzzTargets": 0,
        // Identity: sessions, users, memberships, roles, the workspace request context, audit.
        "HeraldIdentity": 1,
        // Domains.
        "HeraldBilling": 2, "HeraldContent": 2, "HeraldPlatforms": 2, "HeraldQueue": 2,
    ]
    static let layerNames = ["infrastructure", "identity", "domains", "programs"]
    /// The toolchain's modules any target may import.
    static let systemModules: Set<String> = ["Glibc", "Foundation", "FoundationNetworking", "Dispatch", "Synchronization"]
    /// Where HTTP lives; domain targets must not see it (their errors are UserFacingError types).
    static let httpTargets: Set<String> = ["HeraldFastCGI", "HeraldWeb"]

    @Test func everyLibraryTargetHasALayer() throws {
        for name in try RepositoryMap.libraries().keys.sorted() {
            #expect(LayeringTests.layers[name] != nil, "\(name) is in Package.swift but in no layer: add it to LayeringTests.layers")
        }
    }

    @Test func noTargetDependsOnOneAboveIt() throws {
        let libraries = try RepositoryMap.libraries()
        var edges: [(from: String, layer: Int, to: String)] = []
        for (name, dependencies) in libraries {
            for dependency in dependencies { edges.append((name, LayeringTests.layers[name] ?? -1, dependency)) }
        }
        for program in try RepositoryMap.programs() {
            for dependency in program.uses where dependency.hasPrefix("Herald") || dependency.hasPrefix("C") {
                edges.append((program.name, 3, dependency))
            }
        }
        #expect(!edges.isEmpty)
        for edge in edges {
            let target = try #require(
                LayeringTests.layers[edge.to], "\(edge.from) uses \(edge.to), which is no library target (programs are never dependencies)")
            #expect(
                target <= edge.layer,
                "\(edge.from) (\(LayeringTests.layerNames[max(0, edge.layer)])) uses \(edge.to) (\(LayeringTests.layerNames[target])), a layer above it"
            )
        }
    }

    @Test func domainsNeverSeeHTTP() throws {
        let libraries = try RepositoryMap.libraries()
        for (name, dependencies) in libraries where LayeringTests.layers[name] == 2 {
            #expect(
                LayeringTests.httpTargets.isDisjoint(with: dependencies),
                "\(name) depends on \(dependencies): a domain throws its own error types, never HTTP errors")
        }
    }

    /// SwiftPM lets a file import any module built before it; this keeps each file to its target's
    /// declared dependencies, so Package.swift stays the true map.
    @Test func filesImportOnlyWhatTheirTargetDeclares() throws {
        var declared = try RepositoryMap.libraries()
        for program in try RepositoryMap.programs() { declared[program.name] = program.uses }
        var checked = 0
        for (target, dependencies) in declared where !(LayeringTests.layers[target] == 0 && target.hasPrefix("C")) {
            let allowed = Set(dependencies).union(LayeringTests.systemModules)
            for file in try RepositoryMap.sources(of: target) {
                checked += 1
                for module in RepositoryMap.imports(file.text) {
                    #expect(allowed.contains(module), "Sources/\(target)/\(file.name) imports \(module), which \(target) does not declare")
                }
            }
        }
        #expect(checked > 100, "the check read \(checked) files")
    }

    /// Every folder under Sources is a library target of Package.swift or a program of the manifest.
    @Test func theManifestIsTheOnlyListOfPrograms() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Sources").filter { !$0.contains(".") }
        let known = Set(try RepositoryMap.libraries().keys).union(try RepositoryMap.programs().map(\.name))
        for folder in folders { #expect(known.contains(folder), "Sources/\(folder) is neither a library target nor in Sources/programs.manifest") }
        let programs = try RepositoryMap.programs()
        #expect(Set(programs.map(\.name)).count == programs.count, "a program is listed twice")
        for program in programs {
            #expect(folders.contains(program.name), "the manifest lists \(program.name) but Sources/\(program.name) does not exist")
        }
    }

    /// Infrastructure knows nothing of social media: none of the product's words in its code.
    @Test func infrastructureKnowsNothingOfSocialMedia() throws {
        let words = try NSRegularExpression(
            pattern: #"\b(Workspace\w*|Platform\w*|Mastodon|Bluesky|Campaign\w*|Credit\w*|Post[A-Z]\w*|SocialAccount\w*|Role)\b"#)
        for (target, layer) in LayeringTests.layers where layer == 0 && target.hasPrefix("Herald") {
            for file in try RepositoryMap.sources(of: target) {
                let code = file.text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(
                    separator: "\n")
                let found = words.matches(in: code, range: NSRange(code.startIndex..., in: code)).map { String(code[Range($0.range, in: code)!]) }
                #expect(found.isEmpty, "Sources/\(target)/\(file.name) mentions \(Set(found).sorted())")
            }
        }
    }

    /// Load, then render: a view (`*View.swift` in a program) takes plain values and returns HTML;
    /// the page's queries are in its handler and the stores.
    @Test func viewsNeverQuery() throws {
        let forbidden = try NSRegularExpression(
            pattern: #"\b(Connection|RequestContext|queryRow|query\(|db\b|import HeraldDatabase|import HeraldWeb)"#)
        var views = 0
        for program in try RepositoryMap.programs() {
            for file in try RepositoryMap.sources(of: program.name) where file.name.hasSuffix("View.swift") {
                views += 1
                let found = forbidden.matches(in: file.text, range: NSRange(file.text.startIndex..., in: file.text)).map {
                    String(file.text[Range($0.range, in: file.text)!])
                }
                #expect(found.isEmpty, "Sources/\(program.name)/\(file.name) is a view but mentions \(Set(found).sorted())")
            }
        }
        #expect(views >= 10, "found only \(views) views")
    }
}
