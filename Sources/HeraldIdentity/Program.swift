// Starting a FastCGI program: configuration, libsodium, the route table, and the identity hooks
// (CSRF on every POST, error pages in the site's layout, the user in the log line).
import Glibc
import HeraldCrypto
import HeraldSupport
public import HeraldWeb

extension App {
    /// The hooks every Herald page program runs with.
    public static let identityHooks = RequestHooks(
        beforePost: { context in try context.verifyCSRF() },
        errorPage: { context, error in
            guard let context else { return .html(Layout.errorPage(error), status: error.status) }
            let viewer = (try? context.viewer()) ?? nil
            let csrf = (try? context.csrfToken()) ?? ""
            return .html(Layout.errorPage(error, viewer: viewer, csrf: csrf), status: error.status)
        },
        actor: { context in context.loggedUserID.map(String.init) ?? "-" }
    )

    /// Starts the program from `main.swift`: reads config, initialises libsodium, builds routes, runs.
    /// `name` is the program's name in the manifest without `herald-` (`posts` serves `posts.sock`).
    /// `prepare` runs once the services exist, before the program serves (herald-auth makes its
    /// decoy password hash there).
    public static func main(name: String, routes: (inout Router<Handler>) -> Void, prepare: (Services) -> Void = { _ in }) -> Never {
        var router = Router<Handler>()
        routes(&router)
        printRoutesIfAsked(router)
        do {
            try Sodium.initialize()
            let app = App(name: name, services: Services(config: try Config.fromEnvironment()), routes: router, hooks: identityHooks)
            prepare(app.services)
            app.run()
        } catch {
            Log.error("cannot start herald-\(name): \(error)")
            exit(1)
        }
    }
}
