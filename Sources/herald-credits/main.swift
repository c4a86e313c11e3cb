// herald-credits: the credit balance and ledger (with CSV export), spending, and the billing page.
import HeraldCore

App.main(name: "credits", routes: addRoutes)
