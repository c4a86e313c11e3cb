// POST /admin/workspaces/{id}/credits: grant or adjust a workspace's credits with a reason, through
// the ledger operations heraldctl uses (HeraldBilling Credits.grant and .adjust, with the workspace as
// the tenant), audited as heraldctl audits them (credits.granted, credits.adjusted) with the admin as
// the actor: one event per entry. Sensitive (sudo mode). The form's key makes a second send of the
// same form record nothing more.
import HeraldBilling
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum CreditsChange {
    static func record(_ c: RequestContext) throws -> Response {
        let id = try Param.id(c, "workspace")
        let fields = try c.form()
        var form = CreditForm(
            operation: fields["operation"] ?? "", amount: (fields["amount"] ?? "").trimmed, reason: (fields["reason"] ?? "").trimmed,
            key: fields["key"] ?? "")
        return try AdminGate.transaction(c) { admin, db in
            guard try WorkspaceDirectory.find(id, db) != nil else { throw HTTPError(404, "Not found", "There is no workspace \(id).") }
            guard CreditForm.isKey(form.key) else {
                throw HTTPError.badRequest("This form is incomplete (its key is missing). Reload the workspace's page and send it again.")
            }
            try AdminGate.requireSudo(admin, db, returnTo: link("/admin/workspaces/\(id)", form.items))
            let amount = validate(&form)
            guard form.errors.isEmpty, let amount else { return try WorkspaceShow.respond(c, admin, db, id, form: form, status: 400) }
            let grant = form.operation == "grant"
            try AdminGate.actInWorkspace(id, db)
            let key = "admin-web:" + form.key
            let posting =
                try grant
                ? Credits.grant(db, workspace: id, amount: amount, key: key, actor: admin.id, note: form.reason)
                : Credits.adjust(db, workspace: id, amount: amount, key: key, actor: admin.id, reason: form.reason)
            if posting.replayed { return .redirect(to: "/admin/workspaces/\(id)?notice=credits-replayed") }
            try Audit.record(
                db, workspace: id, actor: admin.id, action: grant ? "credits.granted" : "credits.adjusted", targetType: "credit_entry",
                targetID: posting.entry.id,
                details: [
                    "reason": form.reason, "amount": String(posting.entry.amount), "balance_after": String(posting.entry.balanceAfter),
                    "by": "admin",
                ], ip: c.request.remoteAddress)
            return .redirect(to: "/admin/workspaces/\(id)?notice=\(grant ? "credits-granted" : "credits-adjusted")")
        }
    }

    /// The amount when the form is valid; otherwise the form's errors say what to fix.
    static func validate(_ form: inout CreditForm) -> Int? {
        guard form.operation == "grant" || form.operation == "adjust" else {
            form.errors["operation"] = "Choose whether to grant or to adjust."
            form.operation = "grant"
            return nil
        }
        if form.reason.isEmpty {
            form.errors["reason"] = "Give a reason: it is recorded with the entry and in the audit log."
        } else if form.reason.unicodeScalars.count > 1000 {
            form.errors["reason"] = "A reason has at most 1,000 characters."
        }
        let digits = form.amount.hasPrefix("+") ? String(form.amount.dropFirst()) : form.amount
        let amount = Int(digits.replacing("−", with: "-"))
        let limit = Credits.maxAmount
        switch (form.operation, amount) {
        case (_, nil):
            form.errors["amount"] = form.amount.isEmpty ? "Enter how many credits." : "Enter a whole number of credits, like 50."
        case ("grant", let value?) where !(1...limit).contains(value):
            form.errors["amount"] = "A grant adds 1 to \(grouped(limit)) credits; to take credits away, adjust with a minus sign."
        case ("adjust", let value?) where value == 0 || value.magnitude > UInt(limit):
            form.errors["amount"] = "An adjustment moves 1 to \(grouped(limit)) credits, up (50) or down (-50)."
        default: break
        }
        return form.errors.isEmpty ? amount : nil
    }
}
