import Testing

// The parts of billing that need no database: CSV quoting, price labels, periods, and the messages
// people read.
@testable import HeraldBilling
@testable import HeraldSupport
@testable import HeraldWeb

struct BillingUnitTests {
    @Test func csvQuotesOnlyWhatMustBeQuoted() {
        #expect(CSV.record([.text("plain"), .number(-3), .text(nil), .text("a,b")]) == "plain,-3,,\"a,b\"\r\n")
        #expect(CSV.encode(.text("say \"hi\"")) == "\"say \"\"hi\"\"\"")
        #expect(CSV.encode(.text("two\nlines")) == "\"two\nlines\"")
        #expect(CSV.encode(.text("cr\rhere")) == "\"cr\rhere\"")
        #expect(CSV.encode(.text("")) == "")
        #expect(CSV.encode(.text("café ☕")) == "café ☕")
    }

    @Test func csvDefusesSpreadsheetFormulasInTextButNotNumbers() {
        #expect(CSV.encode(.text("=1+1")) == "'=1+1")
        #expect(CSV.encode(.text("+1")) == "'+1")
        #expect(CSV.encode(.text("-1")) == "'-1")
        #expect(CSV.encode(.text("@SUM(A1)")) == "'@SUM(A1)")
        #expect(CSV.encode(.text("=HYPERLINK(\"x\",\"y\")")) == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")
        #expect(CSV.encode(.number(-25)) == "-25")
    }

    @Test func priceLabels() {
        func plan(_ cents: Int, _ currency: String = "USD", _ interval: String = "month") -> Plan {
            Plan(
                id: 1, code: "p", name: "P", priceCents: cents, currency: currency, billingInterval: interval, monthlyCredits: 0,
                maxMembers: nil, maxSocialAccounts: nil, maxScheduledPosts: nil, isActive: true)
        }
        #expect(plan(0).priceLabel == "Free")
        #expect(plan(1500).priceLabel == "$15 / month")
        #expect(plan(1505).priceLabel == "$15.05 / month")
        #expect(plan(9990, "EUR", "year").priceLabel == "€99.90 / year")
        #expect(plan(100, "CHF").priceLabel == "CHF 1 / month")
    }

    @Test func periods() {
        #expect(Credits.isPeriod("2025-03") && Credits.isPeriod("1999-12"))
        for bad in ["2025-3", "2025-13", "2025-00", "25-03-01", "2025_03", "２０２５-03", ""] { #expect(!Credits.isPeriod(bad), "\(bad)") }
    }

    @Test func messagesPeopleRead() {
        #expect(CreditError.insufficient(balance: 1, needed: 3).description == "not enough credits: you have 1, this needs 3")
        #expect(CreditError.insufficient(balance: 1, needed: 3).refusal.httpStatus == 409)
        #expect(CreditError.unknownAction("x").refusal.httpStatus == 400)
        #expect(RefusalKind.conflict.httpStatus == 409)
        #expect(PlanLimit.members.noun == "members" && PlanLimit.scheduledPosts.noun == "scheduled posts")
    }
}
