// Importing drafts from a CSV file (columns: title, body, campaign, tags). Every row is checked
// first; with any invalid row nothing is imported, unless the user chose "import the valid rows".
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PostsImport {
    struct Outcome {
        let line: Int
        let title: String
        let errors: [String]
    }

    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.writePosts) { access, _ in try render(c, access, report: nil) }
    }

    static func upload(_ c: RequestContext) throws -> Response {
        let form = try c.request.multipart()
        return try c.inWorkspace(.writePosts) { access, db in
            guard let file = form.file("file"), !file.bytes.isEmpty else {
                return try render(c, access, report: nil, error: "Choose a CSV file to import.", status: 422)
            }
            guard let text = String(validating: file.bytes, as: UTF8.self) else {
                return try render(c, access, report: nil, error: "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.", status: 422)
            }
            let table: [[String]]
            do { table = try CSV.parse(text) } catch let error as CSV.ParseError {
                return try render(c, access, report: nil, error: "The file is not valid CSV: line \(error.line): \(error.message).", status: 422)
            }
            guard let header = table.first?.map({ $0.trimmed.lowercased() }), let bodyColumn = header.firstIndex(of: "body") else {
                return try render(
                    c, access, report: nil,
                    error: "The first line must name the columns, with at least “body” (and optionally title, campaign, tags).", status: 422)
            }
            let titleColumn = header.firstIndex(of: "title")
            let campaignColumn = header.firstIndex(of: "campaign")
            let tagsColumn = header.firstIndex(of: "tags")
            guard table.count > 1 else { return try render(c, access, report: nil, error: "The file has no rows under its header.", status: 422) }
            guard table.count <= 2001 else { return try render(c, access, report: nil, error: "Import at most 2,000 rows at a time.", status: 422) }
            let campaigns = try PostStore.campaigns(access.id, includeArchived: false, db)
            var outcomes: [Outcome] = []
            var valid: [(PostContent, Int)] = []
            for (index, row) in table.dropFirst().enumerated() {
                func cell(_ column: Int?) -> String { column.flatMap { $0 < row.count ? row[$0] : nil }?.trimmed ?? "" }
                var errors: [String] = []
                let body = cell(bodyColumn)
                let title = cell(titleColumn)
                let campaignName = cell(campaignColumn)
                if body.isEmpty {
                    errors.append("the body is empty")
                } else if body.count > 40000 {
                    errors.append("the body is longer than 40,000 characters")
                }
                if title.count > 200 { errors.append("the title is longer than 200 characters") }
                var campaignID: Int?
                if !campaignName.isEmpty {
                    if let match = campaigns.first(where: { $0.name.lowercased() == campaignName.lowercased() }) {
                        campaignID = match.id
                    } else {
                        errors.append("there is no campaign named “\(campaignName)”")
                    }
                }
                let tags = cell(tagsColumn).split(separator: ";").map { String($0).trimmed }.filter { !$0.isEmpty }
                if tags.contains(where: { $0.count > 50 }) { errors.append("a tag is longer than 50 characters") }
                let line = index + 2
                outcomes.append(Outcome(line: line, title: title.isEmpty ? String(body.prefix(60)) : title, errors: errors))
                if errors.isEmpty {
                    valid.append(
                        (
                            PostContent(
                                title: title.isEmpty ? nil : title, body: body, campaignID: campaignID, tagIDs: [], newTags: tags, targets: [:]), line
                        ))
                }
            }
            let invalid = outcomes.filter { !$0.errors.isEmpty }.count
            let importValid = form.fields["import_valid"] == "yes"
            if invalid > 0 && !importValid {
                return try render(
                    c, access, report: outcomes,
                    error:
                        "\(invalid) of \(outcomes.count) rows have problems, so nothing was imported. Fix them, or tick “import the valid rows” to skip them.",
                    status: 422)
            }
            for (content, line) in valid {
                let id = try PostStore.create(access.id, author: access.user.id, content, db)
                try Audit.record(
                    db, workspace: access.id, actor: access.user.id, action: "post.imported", targetType: "post", targetID: id,
                    details: ["to": "draft", "file": file.fileName, "line": String(line)], ip: c.request.remoteAddress)
            }
            return try render(c, access, report: outcomes, imported: valid.count, skipped: invalid)
        }
    }

    static func render(
        _ c: RequestContext, _ access: WorkspaceAccess, report: [Outcome]?, error: String? = nil, imported: Int? = nil,
        skipped: Int = 0, status: Int = 200
    ) throws -> Response {
        let flash: Flash? =
            error.map { Flash(.error, $0) }
            ?? imported.map {
                Flash(
                    .success,
                    "Imported \($0) draft\($0 == 1 ? "" : "s")\(skipped > 0 ? " and skipped \(skipped) invalid row\(skipped == 1 ? "" : "s")" : "").")
            }
        return try c.page(
            "Import posts · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status,
            PostsImportView.html(access, report: report, csrf: Layout.csrfField(try c.csrfToken())))
    }
}
