// GET /admin/workspaces/{id}: one workspace — plan, balance, members and roles, newest ledger
// entries — with the form that grants or adjusts its credits (prefilled when the confirm page sent
// the admin back here).
import HeraldBilling
import HeraldCrypto
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

/// What the credits form shows (again, after a refusal or the confirm page).
struct CreditForm {
    var operation = "grant"
    var amount = ""
    var reason = ""
    /// The idempotency key this form was rendered with: sending it twice records one entry.
    var key = ""
    var errors: [String: String] = [:]

    /// For the way back from the confirm page.
    var items: [(String, String)] { [("operation", operation), ("amount", amount), ("reason", reason), ("key", key)] }

    static func isKey(_ text: String) -> Bool {
        (1...100).contains(text.utf8.count)
            && text.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 }
    }
}

enum WorkspaceShow {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try Param.id(c, "workspace")
        let query = c.request.query
        var form = CreditForm()
        if query["operation"] == "adjust" { form.operation = "adjust" }
        form.amount = String((query["amount"] ?? "").prefix(20))
        form.reason = String((query["reason"] ?? "").prefix(1000))
        form.key = query["key"].flatMap { CreditForm.isKey($0) ? $0 : nil } ?? Sodium.randomToken()
        return try AdminGate.transaction(c) { admin, db in try respond(c, admin, db, id, form: form) }
    }

    static func respond(_ c: RequestContext, _ admin: CurrentUser, _ db: Connection, _ id: Int, form: CreditForm, status: Int = 200) throws
        -> Response
    {
        guard let workspace = try WorkspaceDirectory.find(id, db) else { throw HTTPError(404, "Not found", "There is no workspace \(id).") }
        let plan = try Plans.current(db, workspace: id)
        let members = try WorkspaceDirectory.members(id, db)
        let ledger = try WorkspaceDirectory.ledger(id, limit: 10, db)
        return try AdminPage.render(
            c, admin, db, .workspaces, title: workspace.name, status: status,
            WorkspaceView.render(workspace, plan: plan, members: members, ledger: ledger, form: form, csrf: try AdminPage.csrf(c)))
    }
}
