// The site's page layout shared by every program: header with the viewer's navigation and
// workspace switcher, flash message, main column, and the error pages.
public import HeraldFastCGI
public import HeraldHTML
import HeraldSupport

/// Who is looking at the page, for the header: their name and, on workspace pages, the workspace
/// they are in and the others they can switch to.
public struct Viewer: Sendable {
    public let name: String
    public let workspace: WorkspaceAccess?
    /// A site admin sees the link to /admin.
    public let isSiteAdmin: Bool

    public init(name: String, workspace: WorkspaceAccess? = nil, isSiteAdmin: Bool = false) {
        self.name = name
        self.workspace = workspace
        self.isSiteAdmin = isSiteAdmin
    }
}

public enum Layout {
    /// A whole page. `csrf` is needed for the header's log-out form when someone is logged in.
    public static func page(
        title: String, viewer: Viewer?, csrf: String, flash: Flash? = nil,
        current: String = "", body: HTML
    ) -> HTML {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
        <title>\(title) · Herald</title><link rel="stylesheet" href="/style.css"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
        <body>
        <header class="site-header"><div class="wrap"><a class="brand" href="/">Herald</a>
        <nav class="site-nav" aria-label="Site">\(navigation(viewer: viewer, csrf: csrf, current: current))</nav></div></header>
        <main class="wrap">
        \(flash.map(flashBox))\(body)
        </main>
        <footer class="site-footer"><div class="wrap">Herald · self-hosted social media manager</div></footer>
        </body></html>
        """
    }

    static func navigation(viewer: Viewer?, csrf: String, current: String) -> HTML {
        func link(_ href: StaticString, _ label: StaticString) -> HTML {
            let h = HTML(stringLiteral: href)
            let isCurrent = current == h.description
            return isCurrent
                ? "<a href=\"\(h)\" aria-current=\"page\">\(HTML(stringLiteral: label))</a>"
                : "<a href=\"\(h)\">\(HTML(stringLiteral: label))</a>"
        }
        if let viewer {
            var nav = HTML()
            if let access = viewer.workspace {
                nav.append(switcher(access))
                for (suffix, label, action) in [
                    ("/", "Dashboard", WorkspaceAction.view), ("/posts", "Posts", .view), ("/calendar", "Calendar", .view),
                    ("/analytics", "Analytics", .view), ("/channels", "Channels", .view), ("/members", "Members", .view),
                    ("/credits", "Credits", .viewCredits),
                    ("/publishing", "Publishing", .view), ("/settings", "Settings", .editSettings),
                ] where access.role.may(action) {
                    let href = access.path(suffix)
                    nav.append(current == href ? "<a href=\"\(href)\" aria-current=\"page\">\(label)</a>" : "<a href=\"\(href)\">\(label)</a>")
                }
            } else {
                nav.append(link("/w", "Workspaces"))
            }
            if viewer.isSiteAdmin { nav.append(link("/admin", "Admin")) }
            return nav + link("/account", "Account") + """
                <form method="post" action="/logout" class="inline">\(csrfField(csrf))<button class="link">Log out</button></form>
                """
        }
        return link("/login", "Log in") + link("/signup", "Sign up")
    }

    /// The workspace switcher: a `<details>` menu, so it works without JavaScript.
    static func switcher(_ access: WorkspaceAccess) -> HTML {
        let items = access.memberships.map { m -> HTML in
            m.slug == access.slug
                ? "<a href=\"/w/\(m.slug)/\" aria-current=\"true\">\(m.name) <span class=\"muted small\">\(m.role.rawValue)</span></a>"
                : "<a href=\"/w/\(m.slug)/\">\(m.name) <span class=\"muted small\">\(m.role.rawValue)</span></a>"
        }
        return """
            <details class="switcher"><summary>\(access.workspace.name)</summary><div class="menu">\(items)\
            <a href="/w/new" class="menu-new">+ New workspace</a><a href="/w">All workspaces</a></div></details>
            """
    }

    static func flashBox(_ flash: Flash) -> HTML {
        let role: HTML = flash.kind == .error ? "alert" : "status"
        return "<div class=\"flash flash-\(flash.kind.rawValue)\" role=\"\(role)\">\(flash.message)</div>\n"
    }

    /// The hidden field every POST form carries.
    public static func csrfField(_ token: String) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(token)\">"
    }

    /// A styled error page without header navigation (used where no session is at hand).
    public static func errorPage(_ error: HTTPError, viewer: Viewer? = nil, csrf: String = "") -> HTML {
        page(
            title: error.title, viewer: viewer, csrf: csrf,
            body: """
                <section class="error-page"><p class="muted">Error \(error.status)</p><h1>\(error.title)</h1>
                <p class="lead">\(error.message)</p><p><a class="button primary" href="/">Go to the start page</a></p></section>
                """)
    }
}
