// The settings page's markup: the name and time zone form, the workspace's address, and for the
// owner the delete form.
import HeraldHTML
import HeraldIdentity

enum SettingsView {
    static func render(
        _ access: WorkspaceAccess, name: String, timeZone: String, zones: PrerenderedOptions, errors: [String: String],
        baseURL: String, csrf: HTML
    ) -> HTML {
        let danger: HTML =
            access.role.may(.deleteWorkspace)
            ? """
            <section class="card danger-zone"><h2>Delete this workspace</h2>
            <p>Deleting <strong>\(access.workspace.name)</strong> removes its members, channels, campaigns, posts, metrics and credits at once. This cannot be undone.</p>
            <form class="form" method="post" action="\(access.path("/delete"))" novalidate>\(csrf)
            \(Form.field("confirm_name", label: "Type the workspace's name to confirm", error: errors["confirm_name"], autocomplete: "off"))
            <div class="actions"><button class="button danger">Delete workspace</button></div></form></section>
            """ : HTML()
        return """
            <h1>Settings</h1>
            <section class="card"><h2>Workspace</h2>
            <form class="form" method="post" action="\(access.path("/settings"))" novalidate>\(csrf)
            \(Form.field("name", label: "Name", value: name, error: errors["name"], maxLength: 100))
            <div class="field"><label>Address</label><p class="muted">\(baseURL)/w/\(access.slug)/ (the address stays when the name changes)</p></div>
            \(Form.select("time_zone", label: "Time zone", options: zones, selected: timeZone, error: errors["time_zone"]))
            <div class="actions"><button class="button primary">Save settings</button></div></form></section>
            \(danger)
            """
    }
}
