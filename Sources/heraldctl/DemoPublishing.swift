// heraldctl demo-publishing: connected accounts the platform stand-in knows, and scheduled posts
// with pending targets and queued publish_post_target jobs, for herald-worker to publish (the
// publishing section of `make bench`, or trying the worker with `HERALD_STANDIN=1 make run`).
// Channels and jobs are made as the publishing tests make them (Tests/HeraldTests/Publishing/
// WorkerSupport.swift): each account registered at the stand-in with a fresh token, stored with that
// token sealed; the posts, targets and jobs with set-based inserts, one statement per workspace.
import ArgumentParser
import HeraldCrypto
import HeraldDatabase
import HeraldPlatforms
import HeraldSupport

struct DemoPublishing: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-publishing",
        abstract: "Add accounts registered at the platform stand-in and scheduled posts due for herald-worker to publish.",
        discussion: """
            Makes --workspaces workspaces (as `heraldctl demo` does, with no posts), splits --accounts accounts of \
            --platform over them (each registered at the stand-in with POST /_control/accounts and stored active with its \
            token sealed), and gives every account --targets targets: each workspace gets --targets scheduled posts, each \
            with one pending target per account of the workspace and its queued publish_post_target job, due --due-in \
            seconds from now. Mind the stand-in's rate limits (Mastodon: 300 statuses per account in 3 hours, 300 requests \
            per token in 5 minutes).
            """)

    static let platforms = ["mastodon", "bluesky", "x", "linkedin", "reddit"]

    @Option(help: "The platform stand-in's address (http://127.0.0.1:PORT).") var standin: String
    @Option(help: "How many accounts in all.") var accounts: Int = 100
    @Option(help: "Targets per account (each workspace gets this many posts, one target per account of it).") var targets: Int = 100
    @Option(help: "How many workspaces the accounts are spread over.") var workspaces: Int = 10
    @Option(help: "The accounts' platform: \(DemoPublishing.platforms.joined(separator: ", ")).") var platform: String = "mastodon"
    @Option(help: "Seconds from now until the posts are due (0: due now).") var dueIn: Int = 0
    @Option(help: "Prefix of the workspace slugs and user emails, so several runs can coexist.") var prefix: String = "pub"

    func validate() throws {
        guard (1...100_000).contains(accounts) else { throw ValidationError("--accounts must be from 1 to 100000") }
        guard (1...100_000).contains(targets) else { throw ValidationError("--targets must be from 1 to 100000") }
        guard (1...10_000).contains(workspaces), workspaces <= accounts else {
            throw ValidationError("--workspaces must be from 1 to 10000 and at most --accounts")
        }
        guard accounts * targets <= 10_000_000 else { throw ValidationError("--accounts × --targets must be at most 10000000") }
        guard DemoPublishing.platforms.contains(platform) else {
            throw ValidationError("--platform must be one of \(DemoPublishing.platforms.joined(separator: ", "))")
        }
        guard (0...31_536_000).contains(dueIn) else { throw ValidationError("--due-in must be from 0 to 31536000 seconds") }
        guard standin.hasPrefix("http://") || standin.hasPrefix("https://") else { throw ValidationError("--standin must be an http(s):// address") }
        // The workspaces and their people are made as `heraldctl demo` makes them: same rules for the prefix.
        _ = try Demo.parse(["--prefix", prefix])
    }

    func run() throws {
        let config = try Setup.config()
        let db = try Setup.ownerConnection(config)
        let vault = TokenVault(path: config.keyringFile)
        let http = HTTPFetch(timeoutSeconds: 10)
        let standIn = standin.hasSuffix("/") ? String(standin.dropLast()) : standin
        let host = standIn.split(separator: "/").last.map(String.init) ?? standIn
        let started = Clock.monotonicNanos()
        guard try findWorkspace(db, slug: "\(prefix)-1") == nil else {
            throw ValidationError("workspace \(prefix)-1 exists already: choose another --prefix")
        }
        let demo = try Demo.parse(["--prefix", prefix, "--posts", "0", "--metrics", "0"])
        let hash = try PasswordHasher(opsLimit: config.argon2OpsLimit, memLimit: config.argon2MemLimitBytes).hash(Demo.password)
        // One due instant for every post, so every target's due-to-sent time counts from the same moment.
        let dueAt = try db.queryRow("SELECT (now() + make_interval(secs => $1))::text", [.int(dueIn)])!.string(0)
        // Account ids the platform would give (unique within this run; Mastodon's and X's are numeric).
        let base = UInt64.random(in: 100_000_000_000...899_999_999_999)
        let tag = Sodium.hex(Sodium.randomBytes(4))
        var made = (accounts: 0, posts: 0, targets: 0)
        for index in 1...workspaces {
            _ = try demo.fillWorkspace(db, index: index, passwordHash: hash, posts: 0, metrics: 0)
            let slug = "\(prefix)-\(index)"
            guard let found = try findWorkspace(db, slug: slug) else { throw ValidationError("workspace \(slug) was not made") }
            let (workspace, owner) = (found.id, found.owner)
            let count = accounts / workspaces + (index <= accounts % workspaces ? 1 : 0)
            var ids: [Int] = []
            for _ in 0..<count {
                made.accounts += 1
                ids.append(
                    try channel(
                        db, workspace: workspace, owner: owner, number: made.accounts, base: base, tag: tag, standIn: standIn, host: host,
                        vault: vault, http: http))
            }
            let row = try db.transaction(workspace: workspace) { db in
                try db.queryRow(
                    """
                    WITH p AS (
                        INSERT INTO posts (workspace_id, author_id, title, body, status, scheduled_at, scheduled_zone)
                        SELECT $1::bigint, $2::bigint, 'Demo publishing ' || i,
                               'Post ' || i || ' of ' || $3::text || ', sent by herald-worker. #herald', 'scheduled', $4::timestamptz, 'UTC'
                        FROM generate_series(1, $5::int) AS i
                        RETURNING id, version, scheduled_at
                    ), t AS (
                        INSERT INTO post_targets (workspace_id, post_id, social_account_id)
                        SELECT $1::bigint, p.id, a.id FROM p, unnest($6::bigint[]) WITH ORDINALITY AS a(id, n)
                        ORDER BY p.id, a.n
                        RETURNING id, post_id, social_account_id
                    ), j AS (
                        -- As scheduling enqueues them (Jobs.enqueue): due at the post's time, one send per account at a time.
                        INSERT INTO jobs (workspace_id, kind, payload, run_at, idempotency_key, serial_key, max_attempts, priority)
                        SELECT $1::bigint, 'publish_post_target',
                               jsonb_build_object('account', t.social_account_id::text, 'post', t.post_id::text, 'target', t.id::text,
                                                  'version', p.version::text),
                               p.scheduled_at, 'post_target:' || t.id || ':v' || p.version, 'account:' || t.social_account_id, 8, 0
                        FROM t JOIN p ON p.id = t.post_id
                        ORDER BY t.id
                        RETURNING 1
                    )
                    SELECT (SELECT count(*) FROM p), (SELECT count(*) FROM t), (SELECT count(*) FROM j)
                    """,
                    [
                        .int(workspace), .int(owner), .text(slug), .text(dueAt), .int(targets),
                        .text("{\(ids.map(String.init).joined(separator: ","))}"),
                    ])!
            }
            made.posts += try row.int(0)
            made.targets += try row.int(1)
        }
        try db.query("ANALYZE posts, post_targets, jobs, social_accounts")
        let seconds = Double(Clock.monotonicNanos() - started) / 1e9
        print(
            "made \(workspaces) workspaces, \(made.accounts) \(platform) accounts registered at \(standIn), \(made.posts) scheduled posts and \(made.targets) targets with their publish jobs, due at \(dueAt), in \(formatTenths(seconds)) s"
        )
        print(
            "log in as \(prefix)-owner-1@example.com with the password \"\(Demo.password)\"; what arrived: \(standIn)/_control/posts?platform=\(platform)"
        )
    }

    /// A workspace's id and owner by its slug (across tenants, as `heraldctl keys` reads them).
    func findWorkspace(_ db: Connection, slug: String) throws -> (id: Int, owner: Int)? {
        try db.transaction { db in
            try db.query("SELECT set_config('app.cross_tenant', 'on', true)")
            return try db.queryRow("SELECT id, owner_id FROM workspaces WHERE slug = $1", [.text(slug)]).map { (try $0.int(0), try $0.int(1)) }
        }
    }

    /// One connected account: registered at the stand-in with a fresh token, stored active with it sealed.
    func channel(
        _ db: Connection, workspace: Int, owner: Int, number: Int, base: UInt64, tag: String, standIn: String, host: String, vault: TokenVault,
        http: HTTPFetch
    ) throws -> Int {
        let externalID: String
        switch platform {
        case "bluesky": externalID = "did:plc:\(tag)\(prefix)\(number)"
        case "reddit": externalID = "\(prefix)_\(tag)_\(number)"
        case "linkedin": externalID = "li\(tag)\(number)"
        default: externalID = String(base + UInt64(number))
        }
        let handle = platform == "bluesky" ? "\(prefix)\(number)-\(tag).bsky.social" : "\(prefix)\(number)_\(tag)"
        let token = "tok-\(platform)-" + Sodium.randomToken()
        let response: FetchResponse
        do {
            response = try http.postJSON(
                standIn + "/_control/accounts", ["platform": platform, "token": token, "account_id": externalID, "handle": handle])
        } catch {
            throw ValidationError("the stand-in at \(standIn) cannot be reached: \(error)")
        }
        guard response.status == 200 else { throw ValidationError("the stand-in refused the account: \(response.status) \(response.snippet)") }
        let stored = platform == "mastodon" ? "\(externalID)@\(host)" : externalID
        return try db.transaction(workspace: workspace) { db in
            let id = try db.queryRow(
                """
                INSERT INTO social_accounts (workspace_id, platform, external_id, handle, display_name, status, instance_url, connected_by)
                VALUES ($1, $2, $3, $4, $5, 'needs_reconnect', CASE WHEN $2 = 'mastodon' THEN $6 END, $7) RETURNING id
                """,
                [.int(workspace), .text(platform), .text(stored), .text(handle), .text("Demo account \(number)"), .text(standIn), .int(owner)])!.int(
                    0)
            try SocialAccounts.storeTokens(db, workspace: workspace, id: id, tokens: TokenSet(accessToken: token), keepRefresh: false, vault: vault)
            return id
        }
    }
}
