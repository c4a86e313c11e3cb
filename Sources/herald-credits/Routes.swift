// The route table of herald-credits; nothing else registers routes.
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/w/{slug}/credits", CreditsPage.show)
    r.get("/w/{slug}/credits.csv", CreditsExport.csv)
    r.post("/w/{slug}/credits/spend", CreditSpend.spend)
    r.get("/w/{slug}/billing", Billing.show)
}
