// The billing page's markup: the plan and its status, trial days left, this period's usage as
// bars against the limits, and what each plan includes.
import HeraldBilling
import HeraldHTML
import HeraldIdentity
import HeraldSupport

enum BillingView {
    static func render(_ access: WorkspaceAccess, current: WorkspacePlan, usage: PlanUsage, plans: [Plan]) -> HTML {
        let plan = current.plan
        let bars =
            PlanLimit.allCases.map { limit in
                bar(limitLabel(limit), used: usage.used(limit), allowed: plan.limit(limit), hint: limit.counting)
            } + [
                bar(
                    "Credits spent", used: usage.creditsSpent, allowed: nil, included: plan.monthlyCredits,
                    hint: "\(grouped(plan.monthlyCredits)) included each month; balance \(grouped(usage.balance))")
            ]
        return """
            <h1>Billing</h1>
            <p class="lead">\(access.workspace.name) is on the <strong>\(plan.name)</strong> plan\(plan.priceCents > 0 ? " (\(plan.priceLabel))" : "").</p>
            <div class="grid">
            <section class="card"><h2>Plan</h2><dl class="details">\(details(current, usage))</dl>
            <p><a href="\(access.path("/credits"))">Credits and ledger</a></p></section>
            <section class="card"><h2>This period</h2>
            <p class="muted small">\(day(current.periodStart)) to \(day(current.periodEnd))</p>\(bars)</section>
            </div>
            <section class="card"><h2>What each plan includes</h2>\(comparison(plans, current: plan))
            <p class="muted">No payment provider is connected yet: to change plans or extend a trial, ask your Herald administrator.</p></section>
            """
    }

    static func details(_ current: WorkspacePlan, _ usage: PlanUsage) -> HTML {
        var out: HTML = "<dt>Plan</dt><dd>\(current.plan.name) · \(current.plan.priceLabel)</dd>"
        guard let subscription = current.subscription else {
            out.append(
                "<dt>Status</dt><dd><span class=\"badge muted\">No subscription</span> every workspace starts on the \(current.plan.name) plan</dd>")
            return out + "<dt>Monthly credits</dt><dd>\(grouped(current.plan.monthlyCredits))</dd>"
        }
        let statusClass: HTML =
            subscription.status == .pastDue || subscription.trialEnded ? "badge warn" : (subscription.status == .trial ? "badge info" : "badge")
        out.append(
            "<dt>Status</dt><dd><span class=\"\(statusClass)\">\(subscription.trialEnded ? "Trial ended" : subscription.status.label)</span></dd>")
        if subscription.status == .trial, let ends = subscription.trialEndsAt, let left = subscription.trialDaysLeft {
            let text =
                subscription.trialEnded
                ? "The trial of \(subscription.plan.name) ended on \(day(ends)); the \(current.plan.name) plan applies until another is chosen."
                : "\(subscription.plan.name) until \(day(ends)): \(left) \(left == 1 ? "day" : "days") left"
            out.append("<dt>Trial</dt><dd>\(text)</dd>")
        }
        if subscription.cancelAtPeriodEnd { out.append("<dt>Renewal</dt><dd>Ends on \(day(subscription.periodEnd))</dd>") }
        return out + "<dt>Monthly credits</dt><dd>\(grouped(current.plan.monthlyCredits))</dd>"
    }

    /// One usage row: label, "3 of 5", a <meter> (no inline style: the CSP forbids it), and a hint.
    static func bar(_ label: String, used: Int, allowed: Int?, included: Int? = nil, hint: String) -> HTML {
        let figure: String
        var meter = HTML()
        if let allowed {
            figure = "\(grouped(used)) of \(grouped(allowed))"
            let low = max(1, allowed * 8 / 10)
            meter =
                "<meter class=\"bar\" min=\"0\" max=\"\(allowed)\" low=\"\(low)\" high=\"\(allowed)\" optimum=\"0\" value=\"\(min(used, allowed))\">\(figure)</meter>"
        } else if let included {
            figure = "\(grouped(used)) of \(grouped(included)) included"
            meter = "<meter class=\"bar\" min=\"0\" max=\"\(max(included, 1))\" value=\"\(min(used, max(included, 1)))\">\(figure)</meter>"
        } else {
            figure = "\(grouped(used)) · unlimited"
        }
        return """
            <div class="usage"><div class="usage-label"><span>\(label)</span><span class="muted">\(figure)</span></div>\(meter)\
            <p class="hint">\(hint)</p></div>
            """
    }

    static func comparison(_ plans: [Plan], current: Plan) -> HTML {
        let head = plans.map { p -> HTML in
            p.id == current.id
                ? "<th class=\"current\" scope=\"col\">\(p.name) <span class=\"badge\">current</span></th>"
                : "<th scope=\"col\">\(p.name)</th>"
        }
        func row(_ label: String, _ value: (Plan) -> String) -> HTML {
            let cells = plans.map { p -> HTML in "<td class=\"num\(p.id == current.id ? " current" : "")\">\(value(p))</td>" }
            return "<tr><td>\(label)</td>\(cells)</tr>"
        }
        let limit = { (l: PlanLimit) in { (p: Plan) in p.limit(l).map(grouped) ?? "Unlimited" } }
        return """
            <div class="table-scroll" role="region" tabindex="0" aria-label="What each plan includes"><table class="table plans"><thead><tr><th scope="col">Includes</th>\(head)</tr></thead><tbody>
            \(row("Price", \.priceLabel))\(row("Credits each month") { grouped($0.monthlyCredits) })\
            \(row(limitLabel(.members), limit(.members)))\(row(limitLabel(.channels), limit(.channels)))\
            \(row(limitLabel(.scheduledPosts), limit(.scheduledPosts)))
            </tbody></table></div>
            """
    }

    static func limitLabel(_ limit: PlanLimit) -> String {
        switch limit {
        case .members: return "Members"
        case .channels: return "Connected channels"
        case .scheduledPosts: return "Scheduled posts at once"
        }
    }

    /// The date part of an ISO 8601 time (already in the viewer's zone).
    static func day(_ iso: String) -> String { String(iso.prefix(10)) }
}
