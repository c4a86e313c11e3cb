// /w/{slug}/billing (owners): the plan and its status, trial days left, the limits and this period's
// usage as bars, and what each plan includes. Plan changes are admin actions until a payment
// provider is connected.
import HeraldBilling
import HeraldFastCGI
import HeraldHTML
import HeraldWeb

enum Billing {
    static func show(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.manageBilling) { access, db in
            try LedgerStore.useTimeZone(access.user.timeZone, db)
            let current = try Plans.current(db, workspace: access.id)
            let usage = try Plans.usage(db, workspace: access.id, periodStart: current.periodStart, periodEnd: current.periodEnd)
            let plans = try Plans.all(db)
            return try c.page(
                "Billing · \(access.workspace.name)", current: access.path("/billing"),
                BillingView.render(access, current: current, usage: usage, plans: plans))
        }
    }
}
