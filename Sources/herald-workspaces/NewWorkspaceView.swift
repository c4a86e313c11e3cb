// The form that creates a workspace: its name and time zone.
import HeraldHTML

enum NewWorkspaceView {
    static func render(name: String, timeZone: String, zones: PrerenderedOptions, errors: [String: String], csrf: HTML) -> HTML {
        """
        <div class="auth-card card"><h1>New workspace</h1>
        <p class="muted">A workspace holds a team's channels, campaigns and posts. You will be its owner.</p>
        <form class="form" method="post" action="/w/new" novalidate>\(csrf)
        \(Form.field("name", label: "Name", value: name, error: errors["name"], hint: "Your company, brand or client, e.g. Acme Coffee.", maxLength: 100))
        \(Form.select("time_zone", label: "Time zone", options: zones, selected: timeZone, error: errors["time_zone"]))
        <div class="actions"><button type="submit" class="button primary">Create workspace</button> <a class="button" href="/w">Cancel</a></div>
        </form></div>
        """
    }
}
