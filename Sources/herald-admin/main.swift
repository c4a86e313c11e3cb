// herald-admin: the site admins' pages at /admin (users, workspaces, the job queue, the audit log,
// keys, health). Started like every page program, except that the site-admin check runs before the
// CSRF check on POSTs, so that for anyone else every /admin action is a plain 404 too.
import Glibc
import HeraldCrypto
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

/// The identity hooks with the site-admin check in front of the CSRF check, and 404 rather than 405
/// for a method a path does not take, unless a site admin asks.
func adminHooks() -> RequestHooks {
    var hooks = App.identityHooks
    let checkCSRF = hooks.beforePost
    let errorPage = hooks.errorPage
    hooks.beforePost = { c in
        _ = try AdminGate.siteAdmin(c)
        try checkCSRF(c)
    }
    hooks.errorPage = { c, error in
        guard error.status == 405, let c, (try? AdminGate.siteAdmin(c)) == nil else { return errorPage(c, error) }
        return errorPage(c, .notFound)
    }
    return hooks
}

var router = Router<Handler>()
addRoutes(&router)
App.printRoutesIfAsked(router)
do {
    try Sodium.initialize()
    App(name: "admin", services: Services(config: try Config.fromEnvironment()), routes: router, hooks: adminHooks()).run()
} catch {
    Log.error("cannot start herald-admin: \(error)")
    exit(1)
}
