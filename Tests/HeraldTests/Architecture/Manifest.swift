// Reading the repository's own map: Sources/programs.manifest and the library targets of
// Package.swift, as the architecture tests see them.
import Foundation

/// The repository this test file belongs to.
let repositoryRoot = #filePath.components(separatedBy: "/Tests/")[0]

struct ProgramEntry: Equatable {
    let name: String
    let uses: [String]
    /// Empty for a program that serves no paths (heraldctl, herald-worker).
    let paths: [String]
    /// A background program the scripts start (herald-worker).
    let isDaemon: Bool

    /// `posts` for herald-posts: its socket, its nginx upstream, its `X-Herald-Program` header.
    var area: String { name.hasPrefix("herald-") ? String(name.dropFirst("herald-".count)) : name }
}

enum RepositoryMap {
    static func text(_ relativePath: String) throws -> String {
        try String(contentsOfFile: repositoryRoot + "/" + relativePath, encoding: .utf8)
    }

    /// The `program` blocks of Sources/programs.manifest, in order.
    static func programs() throws -> [ProgramEntry] {
        var entries: [(name: String, uses: [String], paths: [String], daemon: Bool)] = []
        for line in try text("Sources/programs.manifest").split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            guard let key = words.first, !key.hasPrefix("#") else { continue }
            switch key {
            case "program": entries.append((words[1], [], [], false))
            case "daemon": entries[entries.count - 1].daemon = true
            case "uses": entries[entries.count - 1].uses += words.dropFirst()
            case "paths": entries[entries.count - 1].paths += words.dropFirst()
            default: throw TestFailure("programs.manifest: unknown line \(line)")
            }
        }
        return entries.map { ProgramEntry(name: $0.name, uses: $0.uses, paths: $0.paths, isDaemon: $0.daemon) }
    }

    /// The library targets of Package.swift (`library("Name", [deps])` and system libraries) with
    /// their declared dependencies.
    static func libraries() throws -> [String: [String]] {
        let package = try text("Package.swift")
        var result: [String: [String]] = [:]
        let library = try NSRegularExpression(pattern: #"library\("(\w+)", \[([^\]]*)\]\)"#)
        for match in library.matches(in: package, range: NSRange(package.startIndex..., in: package)) {
            let name = String(package[Range(match.range(at: 1), in: package)!])
            let list = String(package[Range(match.range(at: 2), in: package)!])
            result[name] = list.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            .filter { !$0.isEmpty }
        }
        let system = try NSRegularExpression(pattern: #"\.systemLibrary\(name: "(\w+)""#)
        for match in system.matches(in: package, range: NSRange(package.startIndex..., in: package)) {
            result[String(package[Range(match.range(at: 1), in: package)!])] = []
        }
        return result
    }

    /// The Swift files of one target folder under Sources.
    static func sources(of target: String) throws -> [(name: String, text: String)] {
        let folder = repositoryRoot + "/Sources/" + target
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }.sorted()
            .map { ($0, try String(contentsOfFile: folder + "/" + $0, encoding: .utf8)) }
    }

    /// The modules a file imports (`import X`, `public import X`, `@testable import X`).
    static func imports(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let index = words.firstIndex(of: "import"), index <= 1, words.count > index + 1 else { return nil }
            if index == 1 && words[0] != "public" && words[0] != "@testable" { return nil }
            return String(words[index + 1])
        }
    }
}
