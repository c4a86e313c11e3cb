// heraldctl demo: fills a database with realistic workspaces, people, channels, campaigns, posts
// and metrics, fast (set-based INSERT … SELECT on the server), for benchmarks and for trying Herald.
import ArgumentParser
import Glibc
import HeraldCrypto
import HeraldDatabase
import HeraldSupport

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the database with demo data (workspaces, users, channels, campaigns, posts, metrics).",
        discussion:
            "Every workspace gets an owner, an editor and a reviewer (demo-owner-N@example.com and so on, password \"\(Demo.password)\"), three channels, campaigns, tags, posts in every status spread over ±60 days, targets for the published posts, and metric snapshots."
    )

    static let password = "herald demo password"

    @Option(help: "How many workspaces.") var workspaces: Int = 3
    @Option(help: "How many posts in all, spread over the workspaces.") var posts: Int = 3000
    @Option(help: "How many metric snapshots in all.") var metrics: Int = 30000
    @Option(help: "Prefix of the workspace slugs and user emails, so several runs can coexist.") var prefix: String = "demo"

    func validate() throws {
        guard (1...10_000).contains(workspaces) else { throw ValidationError("--workspaces must be from 1 to 10000") }
        guard (0...10_000_000).contains(posts) else { throw ValidationError("--posts must be from 0 to 10000000") }
        guard (0...100_000_000).contains(metrics) else { throw ValidationError("--metrics must be from 0 to 100000000") }
        let lowerOrDigit = { (c: Character) in c.isASCII && (c.isLowercase || c.isNumber) }
        guard let first = prefix.first, first.isASCII, first.isLowercase, prefix.count <= 16, prefix.allSatisfy(lowerOrDigit) else {
            throw ValidationError("--prefix must be 1 to 16 lower-case letters or digits, starting with a letter")
        }
    }

    func run() throws {
        let config = try Setup.config()
        let db = try Setup.ownerConnection(config)
        let started = Clock.monotonicNanos()
        let hash = try PasswordHasher(opsLimit: config.argon2OpsLimit, memLimit: config.argon2MemLimitBytes).hash(Demo.password)

        // Monthly partitions for the metrics' months, so they do not all land in the default one.
        try db.query("SELECT ensure_post_metrics_partitions(3, 3)")

        var totals = (posts: 0, targets: 0, metrics: 0)
        for index in 1...workspaces {
            let postCount = posts / workspaces + (index <= posts % workspaces ? 1 : 0)
            let metricCount = metrics / workspaces + (index <= metrics % workspaces ? 1 : 0)
            let made = try fillWorkspace(db, index: index, passwordHash: hash, posts: postCount, metrics: metricCount)
            totals.posts += made.posts
            totals.targets += made.targets
            totals.metrics += made.metrics
            if workspaces <= 20 || index % max(1, workspaces / 10) == 0 {
                print("workspace \(prefix)-\(index): \(made.posts) posts, \(made.targets) targets, \(made.metrics) metric rows")
            }
        }
        try db.query("ANALYZE")
        let seconds = Double(Clock.monotonicNanos() - started) / 1e9
        print(
            "made \(workspaces) workspaces, \(workspaces * 3) users, \(totals.posts) posts, \(totals.targets) post targets, \(totals.metrics) metric rows in \(formatSeconds(seconds)) s"
        )
        print("log in as \(prefix)-owner-1@example.com with the password \"\(Demo.password)\"")
    }

    func formatSeconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// One workspace and everything in it, in one transaction with the tenant set.
    func fillWorkspace(_ db: Connection, index: Int, passwordHash: String, posts: Int, metrics: Int) throws -> (
        posts: Int, targets: Int, metrics: Int
    ) {
        try db.transaction { db in
            let slug = "\(prefix)-\(index)"
            let people = try db.query(
                """
                INSERT INTO users (email, name, password_hash, time_zone, email_verified_at)
                SELECT $1::text || '-' || r || '-' || $2::int || '@example.com', n, $3::text, z, now()
                FROM unnest(ARRAY['owner', 'editor', 'reviewer'], ARRAY[$4::text, $5::text, $6::text], ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'])
                     AS t(r, n, z)
                RETURNING id
                """,
                [.text(prefix), .int(index), .text(passwordHash), .text(Demo.name(index, 0)), .text(Demo.name(index, 1)), .text(Demo.name(index, 2))]
            )
            .rows.map { try $0.int(0) }
            let (owner, editor, reviewer) = (people[0], people[1], people[2])
            try db.query("SELECT set_config('app.user_id', $1, true)", [.text(String(owner))])
            let workspace = try db.queryRow(
                """
                INSERT INTO workspaces (slug, name, owner_id, time_zone) VALUES ($1, $2, $3, 'Europe/Berlin') RETURNING id
                """, [.text(slug), .text(Demo.company(index)), .int(owner)])!.int(0)
            try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(workspace))])
            try db.query(
                """
                INSERT INTO memberships (workspace_id, user_id, role)
                VALUES ($1, $2, 'owner'), ($1, $3, 'editor'), ($1, $4, 'reviewer')
                """, [.int(workspace), .int(owner), .int(editor), .int(reviewer)])
            let accounts = try db.query(
                """
                INSERT INTO social_accounts (workspace_id, platform, external_id, handle, display_name, status, connected_by)
                SELECT $1::bigint, p, p || '-' || $1::bigint, h || $2::text, $3::text, 'needs_reconnect', $4::bigint
                FROM unnest(ARRAY['x', 'linkedin', 'mastodon'], ARRAY['@', '', '@']) AS t(p, h)
                RETURNING id
                """, [.int(workspace), .text(slug), .text(Demo.company(index)), .int(owner)]
            ).rows.map { try $0.int(0) }
            try db.query(
                """
                INSERT INTO campaigns (workspace_id, name, description, status, starts_on, ends_on)
                SELECT $1::bigint, c, 'Demo campaign: ' || c, s, current_date + d, current_date + d + 30
                FROM unnest(ARRAY['Spring launch', 'Customer stories', 'Hiring', 'Product tips', 'Year in review'],
                            ARRAY['completed', 'active', 'active', 'planned', 'planned'],
                            ARRAY[-60, -20, -5, 10, 40]) AS t(c, s, d)
                """, [.int(workspace)])
            try db.query("INSERT INTO credit_accounts (workspace_id) VALUES ($1)", [.int(workspace)])
            try db.query(
                """
                INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key, actor_id, note)
                VALUES ($1, 500, 'grant', 'demo-welcome-grant', $2, 'Welcome credits')
                """, [.int(workspace), .int(owner)])
            try db.query(
                """
                INSERT INTO audit_events (workspace_id, actor_id, action, target_type, target_id, details)
                VALUES ($1, $2, 'workspace.created', 'workspace', $1, jsonb_build_object('source', 'heraldctl demo'))
                """, [.int(workspace), .int(owner)])
            try db.query(
                """
                INSERT INTO tags (workspace_id, kind, name, color)
                SELECT $1::bigint, k, n, c FROM unnest(ARRAY['pillar', 'pillar', 'pillar', 'series', 'label', 'label'],
                                               ARRAY['Education', 'Culture', 'Product', 'Tip Tuesday', 'evergreen', 'needs-image'],
                                               ARRAY['#4f46e5', '#059669', '#d97706', '#db2777', '#0891b2', '#6b7280']) AS t(k, n, c)
                """, [.int(workspace)])
            guard posts > 0 else { return (0, 0, 0) }
            // Posts: statuses by a fixed mix; past ones published (a few failed), future ones scheduled,
            // approved, in review or drafts. Bodies are sentences drawn from a small corpus.
            try db.query(
                """
                WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM campaigns WHERE workspace_id = $1),
                words AS (SELECT ARRAY[
                    'We are publishing our guide to planning a month of posts in one afternoon.',
                    'Three lessons we learned shipping the new scheduler.',
                    'Meet the team behind the analytics dashboard.',
                    'Tip: write the hook first, then the body.',
                    'Our customers published over a thousand posts last week.',
                    'Why approval workflows save brands from embarrassing typos.',
                    'Behind the scenes of our spring launch.',
                    'How to measure what matters on social media.',
                    'We are hiring a designer who loves typography.',
                    'A short thread on time zones and why they are hard.'] AS s),
                g AS (SELECT i, (i * 7919) % 1000 AS r FROM generate_series(1, $2::int) AS i)
                INSERT INTO posts (workspace_id, campaign_id, author_id, title, body, status, scheduled_at, scheduled_zone, published_at, version)
                SELECT $1::bigint, c.ids[1 + g.i % 5], CASE WHEN g.i % 3 = 0 THEN $3::bigint ELSE $4::bigint END,
                       CASE WHEN g.i % 4 = 0 THEN NULL ELSE 'Post ' || g.i || ': ' || left(words.s[1 + g.i % 10], 60) END,
                       words.s[1 + g.i % 10] || ' ' || words.s[1 + (g.i / 10) % 10] || ' #herald',
                       st.status,
                       CASE WHEN st.status IN ('draft', 'in_review', 'rejected') AND g.r % 2 = 0 THEN NULL ELSE at END,
                       CASE WHEN st.status IN ('draft', 'in_review', 'rejected') AND g.r % 2 = 0 THEN NULL ELSE 'Europe/Berlin' END,
                       CASE WHEN st.status = 'published' THEN at END,
                       1 + g.i % 3
                FROM g, c, words,
                     LATERAL (SELECT date_trunc('minute', now() + make_interval(mins => ((g.r * 173) % 172800) - 86400)) AS at) t,
                     LATERAL (SELECT CASE
                         WHEN t.at < now() THEN CASE WHEN g.r % 20 = 0 THEN 'failed' ELSE 'published' END
                         WHEN g.r % 10 < 5 THEN 'scheduled'
                         WHEN g.r % 10 < 7 THEN 'approved'
                         WHEN g.r % 10 < 8 THEN 'in_review'
                         WHEN g.r % 10 < 9 THEN 'rejected'
                         ELSE 'draft' END AS status) st
                """, [.int(workspace), .int(posts), .int(owner), .int(editor)])
            try db.query(
                """
                INSERT INTO post_tags (workspace_id, post_id, tag_id)
                SELECT p.workspace_id, p.id, t.ids[1 + p.id % 6]
                FROM posts p, (SELECT array_agg(id ORDER BY id) AS ids FROM tags WHERE workspace_id = $1) t
                WHERE p.workspace_id = $1
                """, [.int(workspace)])
            // One target per post, on one of the three channels; published and failed ones with their outcome.
            let targets = try db.query(
                """
                INSERT INTO post_targets (workspace_id, post_id, social_account_id, status, attempts, external_post_id, external_url, last_error, published_at)
                SELECT p.workspace_id, p.id, a.ids[1 + p.id % 3],
                       CASE p.status WHEN 'published' THEN 'published' WHEN 'failed' THEN 'failed' ELSE 'pending' END,
                       CASE p.status WHEN 'published' THEN 1 WHEN 'failed' THEN 5 ELSE 0 END,
                       CASE p.status WHEN 'published' THEN 'ext-' || p.id END,
                       CASE p.status WHEN 'published' THEN 'https://social.example/p/' || p.id END,
                       CASE p.status WHEN 'failed' THEN 'rate limited by the platform (HTTP 429)' END,
                       p.published_at
                FROM posts p, (SELECT $2::bigint[] AS ids) a
                WHERE p.workspace_id = $1
                """, [.int(workspace), .text("{\(accounts.map(String.init).joined(separator: ","))}")]
            ).affectedRows
            // Demo channels have no tokens: nothing for the worker to fetch.
            try db.query("UPDATE post_targets SET metrics_next_at = NULL WHERE workspace_id = $1", [.int(workspace)])
            guard metrics > 0 else { return (posts, targets, 0) }
            // A big fill plans better with statistics of what this transaction made (ANALYZE counts its
            // own rows): without them `workspace_id = $1 AND status = 'published'` is guessed at a few
            // rows of 200,000 and the rollups join 10,000,000 snapshots by index lookups. A small one is
            // fast whatever the plan, and skips the ANALYZEs (a second each, per workspace, on big tables).
            let analyze = metrics >= 100_000
            if analyze { try db.query("ANALYZE posts, post_targets") }
            // The same number of snapshots for each published target (the last ones get fewer when
            // they do not divide evenly), counted first so the INSERT is one plain nested loop.
            let published = try db.queryRow(
                "SELECT count(*) FROM post_targets WHERE workspace_id = $1 AND status = 'published'", [.int(workspace)])!.int(0)
            let each = max(1, (metrics + published - 1) / max(published, 1))
            // Snapshots spread between publishing and now, with counters that only grow, each
            // platform's own (X: views, likes, replies, reposts, quotes, bookmarks; LinkedIn: likes
            // and comments; Mastodon: favourites, replies, boosts). Made in the primary key's order
            // (target, then time), so its index grows at the right edge.
            try db.query("SET LOCAL work_mem = '256MB'")
            let metricRows = try db.query(
                """
                WITH t AS MATERIALIZED (
                    SELECT t.id, t.published_at, a.platform, row_number() OVER (ORDER BY t.id) AS n
                    FROM post_targets t JOIN social_accounts a ON a.id = t.social_account_id
                    WHERE t.workspace_id = $1 AND t.status = 'published'),
                s AS (SELECT t.id, t.platform, t.published_at + (now() - t.published_at) * (g.k::float8 / ($3::int + 1)) AS at, g.k,
                             (t.id * 31 + g.k) % 97 AS noise
                      FROM t CROSS JOIN LATERAL generate_series(1, least($3::int, $2::bigint - (t.n - 1) * $3::int)::int) AS g(k)
                      WHERE (t.n - 1) * $3::int < $2::bigint)
                INSERT INTO post_metrics (workspace_id, post_target_id, captured_at, views, likes, comments, shares, clicks, quotes, saves, score)
                SELECT $1::bigint, s.id, s.at,
                       CASE WHEN s.platform = 'x' THEN s.k * (200 + s.noise * 5) END, s.k * (10 + s.noise / 3), s.k * (s.noise % 7),
                       CASE WHEN s.platform <> 'linkedin' THEN s.k * (s.noise % 5) END, NULL,
                       CASE WHEN s.platform = 'x' THEN s.k * (s.noise % 3) END, CASE WHEN s.platform = 'x' THEN s.k * (s.noise % 4) END, NULL
                FROM s
                """, [.int(workspace), .int(metrics), .int(each)]
            ).affectedRows
            if analyze { try db.query("ANALYZE post_metrics") }
            try Demo.rollUp(db, workspace: workspace)
            return (posts, targets, metricRows)
        }
    }

    /// The rollups record_post_metrics keeps snapshot by snapshot, built at once for a workspace
    /// filled in bulk (same arithmetic: RollupTests checks the function against these aggregates),
    /// and a follower count per channel and day.
    static func rollUp(_ db: Connection, workspace: Int) throws {
        try db.query(
            """
            INSERT INTO post_metrics_latest (workspace_id, post_target_id, captured_at, views, likes, comments, shares, clicks, quotes, saves, score, snapshots)
            SELECT DISTINCT ON (post_target_id) workspace_id, post_target_id, captured_at, views, likes, comments, shares, clicks, quotes, saves, score,
                   count(*) OVER (PARTITION BY post_target_id)
            FROM post_metrics WHERE workspace_id = $1 ORDER BY post_target_id, captured_at DESC
            """, [.int(workspace)])
        try db.query(
            """
            INSERT INTO post_metrics_daily (workspace_id, post_target_id, day, views, likes, comments, shares, clicks, quotes, saves, score)
            SELECT DISTINCT ON (post_target_id, (captured_at AT TIME ZONE 'UTC')::date) workspace_id, post_target_id,
                   (captured_at AT TIME ZONE 'UTC')::date, views, likes, comments, shares, clicks, quotes, saves, score
            FROM post_metrics WHERE workspace_id = $1 ORDER BY post_target_id, (captured_at AT TIME ZONE 'UTC')::date, captured_at DESC
            """, [.int(workspace)])
        try db.query(
            """
            INSERT INTO account_engagement (workspace_id, bucket_start, social_account_id, views, likes, comments, shares, clicks, quotes, saves, score, snapshots)
            SELECT $1::bigint, bucket, account, sum(views), sum(likes), sum(comments), sum(shares), sum(clicks), sum(quotes), sum(saves), sum(score), count(*)
            FROM (SELECT t.social_account_id AS account, date_bin('15 minutes', m.captured_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
                         m.views - coalesce(lag(m.views) OVER w, 0) AS views, m.likes - coalesce(lag(m.likes) OVER w, 0) AS likes,
                         m.comments - coalesce(lag(m.comments) OVER w, 0) AS comments, m.shares - coalesce(lag(m.shares) OVER w, 0) AS shares,
                         m.clicks - coalesce(lag(m.clicks) OVER w, 0) AS clicks, m.quotes - coalesce(lag(m.quotes) OVER w, 0) AS quotes,
                         m.saves - coalesce(lag(m.saves) OVER w, 0) AS saves, m.score - coalesce(lag(m.score) OVER w, 0) AS score
                  FROM post_metrics m JOIN post_targets t ON t.workspace_id = m.workspace_id AND t.id = m.post_target_id
                  WHERE m.workspace_id = $1
                  WINDOW w AS (PARTITION BY m.post_target_id ORDER BY m.captured_at)) c
            GROUP BY bucket, account
            """, [.int(workspace)])
        try db.query(
            """
            INSERT INTO account_followers_daily (workspace_id, social_account_id, day, followers, captured_at)
            SELECT a.workspace_id, a.id, d::date, 1000 + a.id % 500 + (120 - (current_date - d::date)) * (3 + a.id % 7),
                   d::date + time '23:00'
            FROM social_accounts a, generate_series(current_date - 120, current_date, interval '1 day') d
            WHERE a.workspace_id = $1 AND a.platform <> 'linkedin'
            """, [.int(workspace)])
    }

    static func name(_ index: Int, _ role: Int) -> String {
        let first = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances"]
        let last = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen"]
        return "\(first[(index * 3 + role) % first.count]) \(last[(index * 7 + role * 3) % last.count])"
    }

    static func company(_ index: Int) -> String {
        let names = [
            "Acme Coffee", "Northwind Books", "Bluebird Studio", "Copper Kettle", "Lumen Labs", "Harbor Bikes", "Oak & Iron", "Pixel Garden",
        ]
        return index <= names.count ? names[index - 1] : "\(names[(index - 1) % names.count]) \(index)"
    }
}

struct Partitions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the monthly post_metrics partitions ahead (run daily; the worker will too).",
        subcommands: [Ensure.self])

    struct Ensure: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create missing monthly partitions from N months back to M months ahead.")
        @Option(help: "Months ahead of this one.") var monthsAhead: Int = 3
        @Option(help: "Months before this one.") var monthsBack: Int = 0

        func validate() throws {
            guard (0...120).contains(monthsAhead), (0...120).contains(monthsBack) else {
                throw ValidationError("months must be from 0 to 120")
            }
        }

        func run() throws {
            let config = try Setup.config()
            let db = try Setup.ownerConnection(config)
            let created = try db.queryRow("SELECT ensure_post_metrics_partitions($1, $2)", [.int(monthsAhead), .int(monthsBack)])!.int(0)
            let partitions = try db.query(
                """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'post_metrics'::regclass ORDER BY 1
                """
            ).rows.map { try $0.string(0) }
            print("created \(created) partition(s); post_metrics has: \(partitions.joined(separator: ", "))")
        }
    }
}
