// A word-level diff between two texts (longest common subsequence), for showing what changed
// between two revisions of a post.
public import HeraldHTML

public enum TextDiff {
    public enum Part: Sendable, Equatable {
        case same(String)
        case added(String)
        case removed(String)
    }

    /// The parts that turn `old` into `new`. Words and the white space between them are the units;
    /// very long texts fall back to whole lines.
    public static func diff(_ old: String, _ new: String) -> [Part] {
        var a = words(old)
        var b = words(new)
        if a.count * b.count > 4_000_000 {
            a = lines(old)
            b = lines(new)
        }
        if a.count * b.count > 16_000_000 { return [.removed(old), .added(new)] }
        // lcs[i][j]: length of the LCS of a[i...] and b[j...], in one flat array.
        let width = b.count + 1
        var lcs = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i * width + j] = a[i] == b[j] ? lcs[(i + 1) * width + j + 1] + 1 : max(lcs[(i + 1) * width + j], lcs[i * width + j + 1])
            }
        }
        var parts: [Part] = []
        func push(_ part: Part) {
            switch (parts.last, part) {
            case (.same(let x)?, .same(let y)): parts[parts.count - 1] = .same(x + y)
            case (.added(let x)?, .added(let y)): parts[parts.count - 1] = .added(x + y)
            case (.removed(let x)?, .removed(let y)): parts[parts.count - 1] = .removed(x + y)
            default: parts.append(part)
            }
        }
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                push(.same(a[i]))
                i += 1
                j += 1
            } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
                push(.removed(a[i]))
                i += 1
            } else {
                push(.added(b[j]))
                j += 1
            }
        }
        while i < a.count {
            push(.removed(a[i]))
            i += 1
        }
        while j < b.count {
            push(.added(b[j]))
            j += 1
        }
        return parts
    }

    /// Runs of non-space and runs of space, so joining them gives the text back.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var currentIsSpace = false
        for character in text {
            let isSpace = character.isWhitespace
            if !current.isEmpty && isSpace != currentIsSpace {
                out.append(current)
                current = ""
            }
            current.append(character)
            currentIsSpace = isSpace
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func lines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// `<ins>`/`<del>` markup of a diff.
    public static func html(_ parts: [Part]) -> HTML {
        HTML.join(
            parts.map { part -> HTML in
                switch part {
                case .same(let text): return HTML(escaping: text)
                case .added(let text): return "<ins>\(text)</ins>"
                case .removed(let text): return "<del>\(text)</del>"
                }
            })
    }
}
