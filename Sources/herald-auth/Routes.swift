// The route table of herald-auth; nothing else registers routes.
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/", Home.show)
    r.get("/signup", Signup.show)
    r.post("/signup", Signup.create)
    r.get("/signup/sent", Signup.sent)
    r.get("/signup/confirm/{token}", Signup.showConfirm)
    r.post("/signup/confirm/{token}", Signup.confirm)
    r.get("/login", Login.show)
    r.post("/login", Login.create)
    r.post("/logout", Logout.destroy)
    r.get("/account", Account.show)
    r.post("/account", Account.update)
    r.post("/account/password", PasswordChange.update)
    r.post("/account/verify-email", EmailVerification.resend)
    r.get("/verify-email/{token}", EmailConfirm.show)
    r.post("/verify-email/{token}", EmailConfirm.confirm)
    r.get("/password/forgot", PasswordForgot.show)
    r.post("/password/forgot", PasswordForgot.request)
    r.get("/password/reset/{token}", PasswordReset.show)
    r.post("/password/reset/{token}", PasswordReset.reset)
}
