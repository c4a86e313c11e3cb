// herald-auth: sign-up, login, logout, the account page, email verification and password reset.
import HeraldCore

App.main(name: "auth", routes: addRoutes)
