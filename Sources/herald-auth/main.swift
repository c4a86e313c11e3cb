// herald-auth: sign-up, login, logout, the account page, email verification and password reset.
import HeraldIdentity
import HeraldWeb

// Read the common-password list now, at start: a missing list stops the program here.
_ = PasswordPolicy.common.count
App.main(name: "auth", routes: addRoutes, prepare: { services in _ = services.hasher.decoyHash })
