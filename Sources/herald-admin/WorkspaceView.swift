// One workspace's page: the plan and balance, the members with their roles, the newest ledger
// entries, and the form to grant or adjust credits with a reason.
import HeraldBilling
import HeraldHTML
import HeraldSupport

enum WorkspaceView {
    static func render(
        _ w: WorkspaceSummary, plan: WorkspacePlan, members: [WorkspaceMember], ledger: [LedgerLine], form: CreditForm, csrf: HTML
    ) -> HTML {
        var subscription = "none (on \(plan.plan.name))"
        if let s = plan.subscription {
            subscription = "\(s.plan.name) · \(s.status.label)"
            if let ends = s.trialEndsAt { subscription += " until " + ends.prefix(10) }
            if s.trialEnded { subscription += " (trial ended: on \(plan.plan.name))" }
        }
        let memberRows = members.map { m -> HTML in
            """
            <tr><td><a href="/admin/users/\(m.userID)">\(m.name)</a>\(m.locked ? HTML(" <span class=\"badge danger\">locked</span>") : HTML())\
            <br><span class="muted small">\(m.email)</span></td><td><span class="badge">\(m.role)</span></td><td class="muted small">\(m.since)</td></tr>
            """
        }
        return """
            <p class="small"><a href="/admin/workspaces">← Workspaces</a></p>
            <h1>\(w.name)</h1>
            <div class="grid">
            <section class="card"><h2>Workspace</h2><dl class="details">\
            <dt>Slug</dt><dd>\(w.slug)</dd><dt>Owner</dt><dd><a href="/admin/users/\(w.ownerID)">\(w.ownerEmail)</a></dd>\
            <dt>Plan</dt><dd>\(plan.plan.name) · \(grouped(plan.plan.monthlyCredits)) credits a month</dd><dt>Subscription</dt><dd>\(subscription)</dd>\
            <dt>Created</dt><dd>\(w.created)</dd><dt>Workspace id</dt><dd>\(w.id)</dd></dl>\
            <p><a href="/admin/audit?workspace=\(w.id)">Its audit log</a></p></section>
            <section class="card"><h2>Credits</h2><p class="balance"><strong>\(grouped(w.balance))</strong> credits</p>\
            \(creditForm(w, form, csrf: csrf))</section>
            </div>
            <section class="card"><h2>Members (\(members.count))</h2><div class="table-scroll" role="region" tabindex="0" aria-label="Members"><table class="table"><thead><tr><th>Member</th><th>Role</th>\
            <th>Since</th></tr></thead><tbody>\(memberRows)</tbody></table></div></section>
            <section class="card"><h2>Newest ledger entries</h2>\(entries(ledger))</section>
            """
    }

    static func creditForm(_ w: WorkspaceSummary, _ form: CreditForm, csrf: HTML) -> HTML {
        let grant: HTML = form.operation == "adjust" ? "" : " checked"
        let adjust: HTML = form.operation == "adjust" ? " checked" : ""
        return """
            <form class="form" method="post" action="/admin/workspaces/\(w.id)/credits" novalidate>\(csrf)
            <input type="hidden" name="key" value="\(form.key)">
            <fieldset class="field"><legend>Change</legend>\
            <label class="check"><input type="radio" name="operation" value="grant"\(grant)> Grant (add credits)</label>\
            <label class="check"><input type="radio" name="operation" value="adjust"\(adjust)> Adjust (a correction, + or −)</label>\
            \(form.errors["operation"].map { HTML("<p class=\"error\">\($0)</p>") })</fieldset>
            \(Form.field("amount", label: "Credits", value: form.amount, error: form.errors["amount"], hint: "A grant adds 1 or more; an adjustment takes a sign, like -25.", autocomplete: "off", maxLength: 20))
            \(Form.field("reason", label: "Reason", value: form.reason, error: form.errors["reason"], hint: "Recorded with the entry and in the audit log.", autocomplete: "off", maxLength: 1000))
            <div class="actions"><button class="button primary">Record</button></div></form>
            """
    }

    static func entries(_ ledger: [LedgerLine]) -> HTML {
        guard !ledger.isEmpty else { return "<p class=\"muted\">No entries yet.</p>" }
        let rows = ledger.map { e -> HTML in
            """
            <tr><td class="muted">\(e.id)</td><td class="small">\(e.date)</td><td><span class="badge">\(e.kind)</span></td>\
            <td class="num">\(e.amount > 0 ? "+" + grouped(e.amount) : grouped(e.amount))</td><td class="num">\(grouped(e.balanceAfter))</td>\
            <td class="small">\(e.note ?? "")</td><td class="small">\(e.who ?? "Herald")</td></tr>
            """
        }
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Newest ledger entries"><table class="table"><thead><tr><th>No.</th><th>Date</th><th>Kind</th><th class="num">Amount</th>\
            <th class="num">Balance after</th><th>Note</th><th>Who</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }
}
