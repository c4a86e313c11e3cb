// /w/{slug}/credits: the balance, what credits buy, and the ledger newest first, 50 entries a page,
// with dates in the viewer's time zone (CreditsView); `?format=csv` is the export.
import HeraldBilling
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum CreditsPage {
    static func show(_ c: RequestContext) throws -> Response {
        switch c.request.query["format"] {
        case nil, "html": break
        case "csv": return try CreditsExport.csv(c)
        case let other?: throw HTTPError.badRequest("The ledger comes as a page or as CSV (format=csv), not as \"\(other)\".")
        }
        let page = try pageNumber(c.request.query["page"])
        return try c.inWorkspace(.viewCredits) { access, db in
            try LedgerStore.useTimeZone(access.user.timeZone, db)
            let plan = try Plans.current(db, workspace: access.id)
            let usage = try Plans.usage(db, workspace: access.id, periodStart: plan.periodStart, periodEnd: plan.periodEnd)
            let total = try LedgerStore.count(access.id, db)
            let lines = try LedgerStore.page(access.id, page: page, db)
            let prices = try LedgerStore.prices(db)
            return try c.page(
                "Credits · \(access.workspace.name)", flash: Notice.from(c), current: access.path("/credits"),
                CreditsView.render(access, plan: plan, usage: usage, prices: prices, lines: lines, page: page, total: total))
        }
    }

    /// `?page=N`: a whole number from 1; absent is 1.
    static func pageNumber(_ text: String?) throws -> Int {
        guard let text else { return 1 }
        guard let page = Int(text), (1...1_000_000).contains(page) else {
            throw HTTPError.badRequest("The page is a whole number from 1, like ?page=2.")
        }
        return page
    }
}
