// herald-worker: publishes scheduled posts, reconciles sends whose outcome is unknown, refreshes tokens
// ahead of expiry (from the PostgreSQL job queue), and collects analytics. SIGTERM lets in-flight work finish.
import Glibc
import HeraldCrypto
import HeraldDatabase
import HeraldPlatforms
import HeraldSupport

do {
    try Sodium.initialize()
    let config = try Config.fromEnvironment()
    let settings = try WorkerSettings.fromEnvironment()
    let oauth = try OAuthConfig.fromEnvironment()
    let publishSettings = try PublishSettings.fromEnvironment()
    let migrations = try Migration.load(directory: config.migrationsDirectory)
    try Migrator.requireCurrent(connection: try Connection(config.databaseURL), migrations: migrations)
    let vault = TokenVault(path: config.keyringFile)
    let http = HTTPFetch(timeoutSeconds: Double(settings.publishTimeoutSeconds))
    let env = Environment()
    let ai = try AIConfig.fromEnvironment()
    let services = WorkerServices(
        config: config, settings: settings, vault: vault,
        publishers: Publishers(http: http, settings: publishSettings),
        refresher: TokenRefresher(config: oauth, vault: vault, http: HTTPFetch(timeoutSeconds: Double(oauth.timeoutSeconds))),
        chat: ai.map { ChatClient(config: $0, http: HTTPFetch(timeoutSeconds: Double($0.timeoutSeconds))) },
        guarded: GuardedFetch(
            timeoutSeconds: Double(settings.publishTimeoutSeconds), maxBytes: 5 << 20,
            allowedOrigins: try GuardedFetch.allowedOrigins { try env.optional($0) }))
    Worker(services: services).run()
} catch {
    Log.error("cannot start herald-worker: \(error)")
    exit(1)
}
