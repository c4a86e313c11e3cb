// herald-credits: the credit balance and ledger (with CSV export), spending, and the billing page.
import HeraldWeb

App.main(name: "credits", routes: addRoutes)
