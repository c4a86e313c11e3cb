// The overview's markup: one card per section with its headline numbers.
import HeraldHTML
import HeraldSupport

enum OverviewView {
    static func render(_ f: Overview.Figures) -> HTML {
        let percent = f.maxConnections > 0 ? f.connections * 100 / f.maxConnections : 0
        return """
            <h1>Site administration</h1>
            <p class="lead">Everything here acts on the whole site. Every change is written to the audit log with your name and address.</p>
            <div class="grid">
            <section class="card"><h2><a href="/admin/users">Users</a></h2><dl class="details">\
            <dt>Accounts</dt><dd>\(grouped(f.users))</dd><dt>Locked</dt><dd>\(grouped(f.lockedUsers))</dd>\
            <dt>Email not confirmed</dt><dd>\(grouped(f.unverifiedUsers))</dd><dt>Site admins</dt><dd>\(grouped(f.siteAdmins))</dd></dl></section>
            <section class="card"><h2><a href="/admin/workspaces">Workspaces</a></h2><dl class="details">\
            <dt>Workspaces</dt><dd>\(grouped(f.workspaces))</dd></dl>\
            <p class="muted small">Plans, members and credit balances; grant or adjust credits.</p></section>
            <section class="card"><h2><a href="/admin/jobs">Job queue</a></h2><dl class="details">\
            <dt>Due now</dt><dd>\(grouped(f.jobsDue))</dd><dt>Dead</dt><dd>\(f.jobsDead > 0 ? HTML("<span class=\"badge danger\">\(grouped(f.jobsDead))</span>") : "0")</dd></dl></section>
            <section class="card"><h2><a href="/admin/audit">Audit log</a></h2><dl class="details">\
            <dt>Events in the last 24 hours</dt><dd>\(grouped(f.eventsToday))</dd>\
            <dt>Wrong admin passwords (24 hours)</dt><dd>\(grouped(f.sudoFailuresToday))</dd></dl></section>
            <section class="card"><h2><a href="/admin/health">Health</a></h2><dl class="details">\
            <dt>Database connections</dt><dd>\(grouped(f.connections)) of \(grouped(f.maxConnections)) (\(percent) %)</dd></dl></section>
            <section class="card"><h2><a href="/admin/keys">Keys</a></h2>\
            <p class="muted small">Which keys seal how many stored secrets, and which key is primary.</p></section>
            </div>
            """
    }
}
