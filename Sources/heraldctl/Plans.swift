// heraldctl plans: list the plans, show a workspace's plan and usage, change it, extend a trial —
// the core operations (HeraldCore/Billing/Plans.swift) a payment webhook will call; each audited.
import ArgumentParser
import HeraldBilling

struct PlansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans",
        abstract: "List plans; show, change or extend a workspace's plan and trial.",
        subcommands: [List.self, Show.self, SetPlan.self, ExtendTrial.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The plans on offer, with their limits.")

        func run() throws {
            let db = try Setup.ownerConnection(try Setup.config())
            print("code      name      price            credits/month  members  channels  scheduled posts")
            for plan in try Plans.all(db) {
                let limit = { (value: Int?) in value.map(String.init) ?? "unlimited" }
                print(
                    "\(plan.code.padding(9)) \(plan.name.padding(9)) \(plan.priceLabel.padding(16)) \(String(plan.monthlyCredits).padding(14)) "
                        + "\(limit(plan.maxMembers).padding(8)) \(limit(plan.maxSocialAccounts).padding(9)) \(limit(plan.maxScheduledPosts))")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A workspace's plan, trial and this period's usage.")
        @Argument(help: "The workspace's slug.") var slug: String

        func run() throws {
            let db = try Setup.ownerConnection(try Setup.config())
            let workspace = try AdminWorkspace.find(db, slug: slug)
            try db.transaction(workspace: workspace.id) { db in
                let current = try Plans.current(db, workspace: workspace.id)
                let usage = try Plans.usage(db, workspace: workspace.id, periodStart: current.periodStart, periodEnd: current.periodEnd)
                print("\(workspace.name) (\(slug)): \(PlansCommand.describe(current))")
                print("period \(current.periodStart) to \(current.periodEnd)")
                for limit in PlanLimit.allCases {
                    print("  \(limit.noun.padding(20)) \(usage.used(limit)) of \(current.plan.limit(limit).map(String.init) ?? "unlimited")")
                }
                print("  \("credits spent".padding(20)) \(usage.creditsSpent) (\(current.plan.monthlyCredits) included); balance \(usage.balance)")
            }
        }
    }

    struct SetPlan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Put a workspace on a plan from now (the current subscription is kept as history).",
            discussion: "With --trial-days the new subscription is a trial; when it ends, the free plan applies until a plan is set.")
        @Argument(help: "The workspace's slug.") var slug: String
        @Argument(help: "The plan's code (see `heraldctl plans list`).") var plan: String
        @Option(help: "Start it as a trial of this many days.") var trialDays: Int?

        func run() throws {
            let db = try Setup.ownerConnection(try Setup.config())
            let workspace = try AdminWorkspace.find(db, slug: slug)
            let after = try db.transaction(workspace: workspace.id) { db in
                let before = try Plans.current(db, workspace: workspace.id)
                let after = try Plans.change(db, workspace: workspace.id, to: plan, trialDays: trialDays)
                if after.subscription?.id != before.subscription?.id {
                    var details = ["from": before.plan.code, "to": after.plan.code]
                    if let trialDays { details["trial_days"] = String(trialDays) }
                    try AdminWorkspace.audit(db, workspace.id, "plan.changed", targetType: "subscription", targetID: after.subscription?.id, details)
                }
                return after
            }
            print("\(slug): \(PlansCommand.describe(after))")
        }
    }

    struct ExtendTrial: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "extend-trial", abstract: "Move the end of a workspace's trial later.")
        @Argument(help: "The workspace's slug.") var slug: String
        @Argument(help: "How many days.") var days: Int

        func run() throws {
            let db = try Setup.ownerConnection(try Setup.config())
            let workspace = try AdminWorkspace.find(db, slug: slug)
            let after = try db.transaction(workspace: workspace.id) { db in
                let after = try Plans.extendTrial(db, workspace: workspace.id, days: days)
                try AdminWorkspace.audit(
                    db, workspace.id, "plan.trial_extended", targetType: "subscription", targetID: after.subscription?.id,
                    ["days": String(days), "trial_ends_at": after.subscription?.trialEndsAt ?? ""])
                return after
            }
            print("\(slug): \(PlansCommand.describe(after))")
        }
    }

    /// "Team (trial until 2025-03-20T10:00:00+00, 14 days left)", "Free (no subscription)".
    static func describe(_ current: WorkspacePlan) -> String {
        guard let subscription = current.subscription else { return "\(current.plan.name) (no subscription)" }
        switch subscription.status {
        case .trial where subscription.trialEnded:
            return "\(current.plan.name) (the trial of \(subscription.plan.name) ended \(subscription.trialEndsAt ?? ""))"
        case .trial:
            return "\(subscription.plan.name) (trial until \(subscription.trialEndsAt ?? ""), \(subscription.trialDaysLeft ?? 0) days left)"
        default:
            return "\(subscription.plan.name) (\(subscription.status.label.lowercased()))"
        }
    }
}
