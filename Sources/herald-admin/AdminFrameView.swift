// The frame of every admin page: the sections as tabs, and whether sensitive actions will ask for
// the password first (sudo mode).
import HeraldHTML

enum AdminSection: String, CaseIterable {
    case overview, users, workspaces, jobs, audit, keys, health

    var path: String { self == .overview ? "/admin" : "/admin/\(rawValue)" }

    var label: String {
        switch self {
        case .overview: return "Overview"
        case .users: return "Users"
        case .workspaces: return "Workspaces"
        case .jobs: return "Job queue"
        case .audit: return "Audit log"
        case .keys: return "Keys"
        case .health: return "Health"
        }
    }
}

enum AdminFrameView {
    /// `sudoUntil`: HH:MM until which sensitive actions need no password; nil when they ask for it.
    static func render(_ section: AdminSection, sudoUntil: String?, confirmPath: String, _ body: HTML) -> HTML {
        let tabs = AdminSection.allCases.map { s -> HTML in
            s == section
                ? "<a href=\"\(s.path)\" aria-current=\"page\">\(s.label)</a>" : "<a href=\"\(s.path)\">\(s.label)</a>"
        }
        let sudo: HTML =
            sudoUntil.map { HTML("<span class=\"badge ok\">Password confirmed until \($0)</span>") }
            ?? "<span class=\"badge muted\">Sensitive actions ask for your password</span> <a href=\"\(url: confirmPath)\">Confirm now</a>"
        return """
            <div class="page-head"><p class="muted small">Site administration</p><p class="small">\(sudo)</p></div>
            <nav class="tabs" aria-label="Site administration">\(tabs)</nav>
            \(body)
            """
    }
}
