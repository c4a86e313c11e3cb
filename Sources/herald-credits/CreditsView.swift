// The credits page's markup: the balance and this period's spending, the price list, and one
// page of the ledger with links to newer and older entries and the CSV download.
import HeraldBilling
import HeraldHTML
import HeraldIdentity
import HeraldSupport

enum CreditsView {
    static func render(
        _ access: WorkspaceAccess, plan: WorkspacePlan, usage: PlanUsage, prices: [Price], lines: [LedgerLine],
        page: Int, total: Int
    ) -> HTML {
        let billingLink: HTML =
            access.role.may(.manageBilling)
            ? "<p><a href=\"\(access.path("/billing"))\">Plan, limits and usage</a></p>" : HTML()
        let priceRows = prices.map { p -> HTML in
            "<tr><td>\(p.description)<br><code class=\"small\">\(p.action)</code></td><td class=\"num\">\(grouped(p.credits))</td></tr>"
        }
        return """
            <h1>Credits</h1>
            <p class="lead">Credits pay for generating posts and images and for publishing beyond your plan. \
            Every change to the balance is an entry in the ledger below; dates are in your time zone, \(access.user.timeZone).</p>
            <div class="grid">
            <section class="card"><h2>Balance</h2><p class="balance"><strong>\(grouped(usage.balance))</strong> credits</p>
            <dl class="details"><dt>Plan</dt><dd>\(plan.plan.name) · \(grouped(plan.plan.monthlyCredits)) credits a month</dd>
            <dt>Spent this period</dt><dd>\(grouped(usage.creditsSpent))</dd></dl>\(billingLink)</section>
            <section class="card"><h2>What credits buy</h2>
            <table class="table"><thead><tr><th>Action</th><th class="num">Credits</th></tr></thead><tbody>\(priceRows)</tbody></table></section>
            </div>
            <section class="card"><h2>Ledger</h2>\(ledger(access, lines, page: page, total: total))</section>
            """
    }

    static func ledger(_ access: WorkspaceAccess, _ lines: [LedgerLine], page: Int, total: Int) -> HTML {
        guard total > 0 else {
            return
                "<p class=\"empty\">No entries yet. The plan's monthly credits arrive at the start of each period, and every spend shows up here.</p>"
        }
        guard !lines.isEmpty else {
            return
                "<p class=\"empty\">There is no page \(page); the ledger has \(total) entries. <a href=\"\(access.path("/credits"))\">Go to the newest</a>.</p>"
        }
        let rows = lines.map { line -> HTML in
            let reference: HTML = line.reference.map { "<code>\($0)</code>" } ?? HTML()
            let note: HTML =
                line.note.map { line.reference == nil ? "<span class=\"muted small\">\($0)</span>" : "<br><span class=\"muted small\">\($0)</span>" }
                ?? HTML()
            let who: HTML = line.who.map { HTML("\($0)") } ?? "<span class=\"muted\">Herald</span>"
            return """
                <tr><td class="muted">\(line.id)</td><td class="nowrap">\(line.date)</td><td>\(badge(line.kind))</td>\
                <td class="num">\(signed(line.amount))</td><td class="num">\(grouped(line.balanceAfter))</td>\
                <td>\(reference)\(note)</td><td>\(who)</td></tr>
                """
        }
        let first = (page - 1) * LedgerStore.pageSize + 1
        let last = first + lines.count - 1
        let newer: HTML = page > 1 ? "<a href=\"\(access.path("/credits"))?page=\(page - 1)\" rel=\"prev\">← Newer</a>" : "<span></span>"
        let older: HTML = last < total ? "<a href=\"\(access.path("/credits"))?page=\(page + 1)\" rel=\"next\">Older →</a>" : "<span></span>"
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Ledger"><table class="table"><thead><tr><th>No.</th><th>Date</th><th>Kind</th><th class="num">Amount</th>\
            <th class="num">Balance after</th><th>Reference</th><th>Who</th></tr></thead><tbody>\(rows)</tbody></table></div>
            <nav class="pagination" aria-label="Ledger pages">\(newer)<span>Entries \(first)–\(last) of \(total)</span>\(older)</nav>
            <p class="actions"><a class="button small" href="\(access.path("/credits.csv"))" download>Download the whole ledger (CSV)</a></p>
            """
    }

    static func badge(_ kind: CreditKind) -> HTML {
        switch kind {
        case .grant, .purchase: return "<span class=\"badge\">\(kind.label)</span>"
        case .spend: return "<span class=\"badge muted\">\(kind.label)</span>"
        case .refund: return "<span class=\"badge info\">\(kind.label)</span>"
        case .adjustment: return "<span class=\"badge warn\">\(kind.label)</span>"
        }
    }
}
