// Campaigns (the seeds' "projects"): list and create, a campaign's page with its posts by status,
// edit, archive.
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum Campaigns {
    static let statuses = ["planned", "active", "completed", "archived"]

    struct Values {
        var name = "", description = "", status = "planned", startsOn = "", endsOn = ""
    }

    static func parse(_ form: FormData) -> (Values, [String: String]) {
        var v = Values(name: (form["name"] ?? "").trimmed, description: (form["description"] ?? "").trimmed, status: form["status"] ?? "planned",
                       startsOn: (form["starts_on"] ?? "").trimmed, endsOn: (form["ends_on"] ?? "").trimmed)
        var errors: [String: String] = [:]
        if v.name.isEmpty { errors["name"] = "Give the campaign a name." } else if v.name.count > 100 { errors["name"] = "Use at most 100 characters." }
        if v.description.count > 5000 { errors["description"] = "Use at most 5,000 characters." }
        if !statuses.contains(v.status) { v.status = "planned"; errors["status"] = "Choose a status from the list." }
        if !v.startsOn.isEmpty && !LocalTime.isDate(v.startsOn) { errors["starts_on"] = "Enter a date like 2026-03-01." }
        if !v.endsOn.isEmpty && !LocalTime.isDate(v.endsOn) { errors["ends_on"] = "Enter a date like 2026-03-31." }
        if errors["starts_on"] == nil, errors["ends_on"] == nil, !v.startsOn.isEmpty, !v.endsOn.isEmpty, v.endsOn < v.startsOn {
            errors["ends_on"] = "The end must not be before the start."
        }
        return (v, errors)
    }

    /// Saves; maps PostgreSQL's verdicts (duplicate name, impossible date) to form errors.
    static func save(_ db: Connection, workspace: Int, id: Int?, _ v: Values) throws -> (Int?, [String: String]) {
        do { return try db.savepoint {
            let params: [SQLValue] = [.int(workspace), .text(v.name), .text(v.description.isEmpty ? nil : v.description), .text(v.status),
                                      .text(v.startsOn.isEmpty ? nil : v.startsOn), .text(v.endsOn.isEmpty ? nil : v.endsOn)]
            if let id {
                let changed = try db.query("""
                    UPDATE campaigns SET name = $2, description = $3, status = $4, starts_on = $5::date, ends_on = $6::date, updated_at = now()
                    WHERE workspace_id = $1 AND id = $7
                    """, params + [.int(id)]).affectedRows
                return (changed == 1 ? id : nil, [:])
            }
            let row = try db.queryRow("""
                INSERT INTO campaigns (workspace_id, name, description, status, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5::date, $6::date) RETURNING id
                """, params)
            return (try row?.int(0), [:])
        } } catch let error as DatabaseError where error.constraint == "campaigns_workspace_name_key" {
            return (nil, ["name": "There is a campaign with this name already."])
        } catch let error as DatabaseError where error.sqlState?.hasPrefix("22") == true {
            return (nil, ["starts_on": "That is not a real date."])
        }
    }

    static func list(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.view) { access, db in try renderList(c, access, db, Values(), [:], flash: Notice.from(c)) }
    }

    static func create(_ c: RequestContext) throws -> Response {
        let form = try c.form()
        return try c.inWorkspace(.writePosts) { access, db in
            var (values, errors) = parse(form)
            if errors.isEmpty {
                let saved = try save(db, workspace: access.id, id: nil, values)
                errors = saved.1
                if let id = saved.0, errors.isEmpty {
                    try Audit.record(db, workspace: access.id, actor: access.user.id, action: "campaign.created", targetType: "campaign", targetID: id,
                                     details: ["name": values.name], ip: c.request.remoteAddress)
                    return .redirect(to: access.path("/campaigns/\(id)?notice=campaign-created"))
                }
            }
            values.status = values.status.isEmpty ? "planned" : values.status
            return try renderList(c, access, db, values, errors, status: 422)
        }
    }

    static func renderList(_ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, _ values: Values, _ errors: [String: String],
                           flash: Flash? = nil, status: Int = 200) throws -> Response {
        let rows = try db.query("""
            SELECT c.id, c.name, c.status, coalesce(to_char(c.starts_on, 'YYYY-MM-DD'), ''), coalesce(to_char(c.ends_on, 'YYYY-MM-DD'), ''),
                   (SELECT count(*) FROM posts p WHERE p.workspace_id = c.workspace_id AND p.campaign_id = c.id)
            FROM campaigns c WHERE c.workspace_id = $1 ORDER BY c.status = 'archived', lower(c.name)
            """, [.int(access.id)]).rows.map { r -> HTML in
            "<tr><td><a href=\"\(access.path("/campaigns/\(try r.int(0))"))\">\(try r.string(1))</a></td><td><span class=\"badge muted\">\(try r.string(2))</span></td><td class=\"muted\">\(try r.string(3)) – \(try r.string(4))</td><td>\(try r.int(5))</td></tr>"
        }
        let form: HTML = access.role.may(.writePosts) ? """
            <section class="card"><h2>New campaign</h2>\(fields(access.path("/campaigns"), values, errors, try c.csrfToken(), label: "Create campaign"))</section>
            """ : HTML()
        return try c.page("Campaigns · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status, """
            <p class="muted small"><a href="\(access.path("/posts"))">Posts</a> /</p><h1>Campaigns</h1>
            <section class="card">\(rows.isEmpty ? HTML("<p class=\"empty\">No campaigns yet.</p>")
                : HTML("<table class=\"table\"><thead><tr><th>Campaign</th><th>Status</th><th>Dates</th><th>Posts</th></tr></thead><tbody>\(rows)</tbody></table>"))</section>
            \(form)
            """)
    }

    static func fields(_ action: String, _ v: Values, _ errors: [String: String], _ csrf: String, label: StaticString) -> HTML {
        """
        <form class="form" method="post" action="\(action)" novalidate>\(Layout.csrfField(csrf))
        \(Form.field("name", label: "Name", value: v.name, error: errors["name"], maxLength: 100))
        \(Form.field("description", label: "Description (optional)", value: v.description, error: errors["description"], required: false))
        \(Form.select("status", label: "Status", options: statuses, selected: v.status, error: errors["status"]))
        <div class="inline-fields">\(Form.field("starts_on", label: "Starts", type: "date", value: v.startsOn, error: errors["starts_on"], required: false))\
        \(Form.field("ends_on", label: "Ends", type: "date", value: v.endsOn, error: errors["ends_on"], required: false))</div>
        <div class="actions"><button class="button primary">\(HTML(stringLiteral: label))</button></div></form>
        """
    }

    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.view) { access, db in try renderCampaign(c, access, db, id: id, values: nil, errors: [:], flash: Notice.from(c)) }
    }

    static func update(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let form = try c.form()
        return try c.inWorkspace(.writePosts) { access, db in
            var (values, errors) = parse(form)
            if errors.isEmpty {
                let saved = try save(db, workspace: access.id, id: id, values)
                errors = saved.1
                if errors.isEmpty {
                    guard saved.0 != nil else { throw HTTPError.notFound }
                    return .redirect(to: access.path("/campaigns/\(id)?notice=campaign-saved"))
                }
            }
            return try renderCampaign(c, access, db, id: id, values: values, errors: errors, status: 422)
        }
    }

    static func archive(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            let changed = try db.query("UPDATE campaigns SET status = 'archived', updated_at = now() WHERE workspace_id = $1 AND id = $2",
                                       [.int(access.id), .int(id)]).affectedRows
            guard changed == 1 else { throw HTTPError.notFound }
            return .redirect(to: access.path("/campaigns/\(id)?notice=campaign-archived"))
        }
    }

    static func renderCampaign(_ c: RequestContext, _ access: WorkspaceAccess, _ db: Connection, id: Int, values: Values?, errors: [String: String],
                               flash: Flash? = nil, status: Int = 200) throws -> Response {
        guard let row = try db.queryRow("""
            SELECT name, coalesce(description, ''), status, coalesce(to_char(starts_on, 'YYYY-MM-DD'), ''), coalesce(to_char(ends_on, 'YYYY-MM-DD'), '')
            FROM campaigns WHERE workspace_id = $1 AND id = $2
            """, [.int(access.id), .int(id)]) else { throw HTTPError.notFound }
        let stored = Values(name: try row.string(0), description: try row.string(1), status: try row.string(2), startsOn: try row.string(3), endsOn: try row.string(4))
        let posts = try db.query("""
            SELECT id, coalesce(title, left(body, 80)), status FROM posts WHERE workspace_id = $1 AND campaign_id = $2
            ORDER BY array_position(ARRAY['draft','in_review','approved','scheduled','publishing','published','partially_published','failed','rejected'], status), created_at DESC
            LIMIT 500
            """, [.int(access.id), .int(id)]).rows
        var groups: [(PostStatus, [HTML])] = []
        for r in posts {
            let s = PostStatus(rawValue: try r.string(2)) ?? .draft
            let item: HTML = "<li><a href=\"\(access.path("/posts/\(try r.int(0))"))\">\(try r.string(1))</a></li>"
            if groups.last?.0 == s { groups[groups.count - 1].1.append(item) } else { groups.append((s, [item])) }
        }
        let byStatus = HTML.join(groups.map { g -> HTML in "<h3>\(g.0.label) <span class=\"muted small\">\(g.1.count)</span></h3><ul class=\"plain\">\(g.1)</ul>" })
        let canWrite = access.role.may(.writePosts)
        let csrf = try c.csrfToken()
        return try c.page("\(stored.name) · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status, """
            <p class="muted small"><a href="\(access.path("/campaigns"))">Campaigns</a> /</p>
            <h1>\(stored.name) <span class="badge muted">\(stored.status)</span></h1>
            \(stored.description.isEmpty ? HTML() : HTML("<p class=\"lead\">\(stored.description)</p>"))
            <div class="grid wide-first">
            <section class="card"><h2>Posts</h2>\(posts.isEmpty ? HTML("<p class=\"empty\">No posts in this campaign yet.</p>") : byStatus)
            \(canWrite ? HTML("<p><a class=\"button primary\" href=\"\(access.path("/posts/new?campaign=\(id)"))\">New post in this campaign</a></p>") : HTML())</section>
            \(canWrite ? HTML("""
                <section class="card"><h2>Edit</h2>\(fields(access.path("/campaigns/\(id)"), values ?? stored, errors, csrf, label: "Save campaign"))
                \(stored.status == "archived" ? HTML() : HTML("<form method=\"post\" action=\"\(access.path("/campaigns/\(id)/archive"))\">\(Layout.csrfField(csrf))<button class=\"button small\">Archive campaign</button></form>"))</section>
                """) : HTML())
            </div>
            """)
    }
}
