// Fast set-up for tests that are about something other than sign-up: users, workspaces and
// memberships made directly in the database (as the superuser), and browsers holding a real
// session for a user, so every request still goes through nginx and the programs.
import Foundation

@testable import HeraldCrypto
@testable import HeraldDatabase
@testable import HeraldIdentity

enum Fixtures {
    /// An Argon2id hash of `TestEnvironment.defaultPassword`, made once.
    static let passwordHash: String = {
        try! Sodium.initialize()
        return try! PasswordHasher(opsLimit: 0, memLimit: 0).hash(TestEnvironment.defaultPassword)
    }()

    struct User {
        let id: Int
        let name: String
        let email: String
    }

    static func user(_ name: String = "Member") throws -> User {
        let email = TestEnvironment.uniqueEmail(name.lowercased().filter(\.isLetter))
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let id = try admin.queryRow(
            "INSERT INTO users (name, email, password_hash, email_verified_at) VALUES ($1, $2, $3, now()) RETURNING id",
            [.text(name), .text(email), .text(passwordHash)])!.int(0)
        return User(id: id, name: name, email: email)
    }

    struct Workspace {
        let id: Int
        let slug: String
        let name: String
    }

    /// A workspace owned by `owner`, with the other members in the given roles.
    static func workspace(owner: User, members: [(User, Role)] = [], name: String? = nil) throws -> Workspace {
        let slug = "ws-" + UUID().uuidString.prefix(12).lowercased()
        let name = name ?? "Workspace \(slug.suffix(6))"
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let id = try admin.transaction { db in
            let id = try db.queryRow(
                "INSERT INTO workspaces (slug, name, owner_id) VALUES ($1, $2, $3) RETURNING id",
                [.text(slug), .text(name), .int(owner.id)])!.int(0)
            try db.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')", [.int(id), .int(owner.id)])
            for (user, role) in members {
                try db.query(
                    "INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)", [.int(id), .int(user.id), .text(role.rawValue)])
            }
            return id
        }
        return Workspace(id: id, slug: slug, name: name)
    }

    /// A browser logged in as `user` (a session row made directly; the cookie is real).
    static func browser(for user: User) throws -> Browser {
        let token = Sodium.randomToken()
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        try admin.query(
            "INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')",
            [.int(user.id), .bytes(Sodium.sha256(token))])
        let browser = Browser()
        browser.cookies["__Host-herald_session"] = token
        return browser
    }

    static func count(_ sql: String, _ params: [SQLValue] = []) throws -> Int {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow(sql, params)!.int(0)
    }
}

extension Fixtures {
    /// A connected (needs-reconnect, token-less) social account of the workspace.
    static func account(_ workspace: Workspace, platform: String = "mastodon", handle: String = "@team") throws -> Int {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            """
            INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status)
            VALUES ($1, $2, $3, $4, 'needs_reconnect') RETURNING id
            """, [.int(workspace.id), .text(platform), .text(UUID().uuidString), .text(handle)])!.int(0)
    }

    /// A post in any status (with the times that status needs) and one target on `account`.
    static func post(
        _ workspace: Workspace, author: User, status: String = "draft", body: String = "Hello from Herald #launch",
        title: String? = nil, account: Int? = nil
    ) throws -> Int {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let id = try admin.queryRow(
            """
            INSERT INTO posts (workspace_id, author_id, title, body, status, scheduled_at, scheduled_zone, published_at)
            VALUES ($1, $2, $3, $4, $5,
                    CASE WHEN $5 IN ('scheduled', 'publishing', 'published', 'partially_published', 'failed') THEN now() + interval '2 days' END,
                    CASE WHEN $5 IN ('scheduled', 'publishing', 'published', 'partially_published', 'failed') THEN 'UTC' END,
                    CASE WHEN $5 IN ('published', 'partially_published') THEN now() END)
            RETURNING id
            """, [.int(workspace.id), .int(author.id), .text(title), .text(body), .text(status)])!.int(0)
        try admin.query(
            "INSERT INTO post_revisions (workspace_id, post_id, version, title, body, editor_id) VALUES ($1, $2, 1, $3, $4, $5)",
            [.int(workspace.id), .int(id), .text(title), .text(body), .int(author.id)])
        if let account {
            try admin.query(
                "INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ($1, $2, $3)",
                [.int(workspace.id), .int(id), .int(account)])
        }
        return id
    }

    static func postState(_ id: Int) throws -> (status: String, version: Int)? {
        try TestEnvironment.connectSuperuser(database: "herald").queryRow("SELECT status, version FROM posts WHERE id = $1", [.int(id)])
            .map { (try $0.string(0), try $0.int(1)) }
    }
}
