// heraldctl: Herald's admin command line: migrations, users, the mail outbox.
import ArgumentParser
import HeraldCrypto
import HeraldDatabase
import HeraldSupport

@main
struct Heraldctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heraldctl",
        abstract: "Administer a Herald installation.",
        subcommands: [
            Migrate.self, Users.self, Mail.self, Demo.self, DemoPublishing.self, Partitions.self, Keys.self, CreditsCommand.self, PlansCommand.self,
            BackupCommand.self, RestoreCommand.self,
        ])
}

/// Shared start-up for sub-commands: libsodium, config, a connection.
enum Setup {
    static func config() throws -> Config {
        try Sodium.initialize()
        return try Config.fromEnvironment()
    }

    /// The owner-role connection (migrations, admin work that crosses tenants).
    static func ownerConnection(_ config: Config) throws -> Connection {
        try Connection(config.ownerDatabaseURL)
    }
}

/// Prints to standard error, for progress and failures.
func printError(_ text: String) { Log.write("error", text) }

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply, revert or list database migrations.",
        subcommands: [Up.self, Down.self, Status.self])

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations (all, or up to a version).")
        @Argument(help: "Stop after this version.") var target: Int?

        func run() throws {
            let config = try Setup.config()
            let migrator = Migrator(
                connection: try Setup.ownerConnection(config),
                migrations: try Migration.load(directory: config.migrationsDirectory))
            let applied = try migrator.up(to: target) { print("applying \(pad4($0.version))_\($0.name)") }
            print(applied.isEmpty ? "schema is up to date" : "applied \(applied.count) migration(s)")
        }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revert the newest N applied migrations (default 1).")
        @Argument(help: "How many to revert.") var steps: Int = 1

        func validate() throws {
            guard steps >= 1 else { throw ValidationError("steps must be at least 1") }
        }

        func run() throws {
            let config = try Setup.config()
            let migrator = Migrator(
                connection: try Setup.ownerConnection(config),
                migrations: try Migration.load(directory: config.migrationsDirectory))
            let reverted = try migrator.down(steps: steps) { print("reverting \(pad4($0.version))_\($0.name)") }
            print("reverted \(reverted.count) migration(s)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List migrations and whether each is applied.")

        func run() throws {
            let config = try Setup.config()
            let migrator = Migrator(
                connection: try Setup.ownerConnection(config),
                migrations: try Migration.load(directory: config.migrationsDirectory))
            var pending = 0
            for row in try migrator.status() {
                let state: String
                if let at = row.appliedAt {
                    state = row.checksumMatches ? "applied \(at)" : "applied \(at), FILE CHANGED"
                } else {
                    state = "pending"
                    pending += 1
                }
                print("\(pad4(row.version))  \(row.name.padding(28))  \(state)")
            }
            print(pending == 0 ? "schema is up to date" : "\(pending) pending: run `heraldctl migrate up`")
        }
    }
}

struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List users, or make one a site admin.",
        subcommands: [List.self, SetAdmin.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users, newest first.")
        @Option(help: "How many.") var limit: Int = 50

        func run() throws {
            let config = try Setup.config()
            let db = try Setup.ownerConnection(config)
            let rows = try db.query(
                """
                SELECT id, email, name, status, is_site_admin, email_verified_at IS NOT NULL, to_char(created_at, 'YYYY-MM-DD HH24:MI')
                FROM users ORDER BY id DESC LIMIT $1
                """, [.int(limit)]
            ).rows
            for row in rows {
                let flags = [try row.bool(4) ? "admin" : nil, try row.bool(5) ? "verified" : "unverified"].compactMap { $0 }.joined(separator: ",")
                print("\(try row.int(0))\t\(try row.string(1))\t\(try row.string(2))\t\(try row.string(3))\t\(flags)\t\(try row.string(6))")
            }
            if rows.isEmpty { print("no users") }
        }
    }

    struct SetAdmin: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-admin", abstract: "Grant or revoke site admin rights.")
        @Argument(help: "The user's email.") var email: String
        @Flag(help: "Revoke instead of grant.") var revoke = false

        func run() throws {
            let config = try Setup.config()
            let db = try Setup.ownerConnection(config)
            let changed = try db.query("UPDATE users SET is_site_admin = $2 WHERE email = $1", [.text(email), .bool(!revoke)]).affectedRows
            guard changed == 1 else { throw ValidationError("no user with email \(email)") }
            print(revoke ? "\(email) is no longer a site admin" : "\(email) is now a site admin")
        }
    }
}

struct Mail: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect outgoing mail.", subcommands: [Outbox.self])

    struct Outbox: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the newest messages of the outbox.")
        @Option(help: "How many messages.") var limit: Int = 5
        @Option(help: "Only messages to this address.") var to: String?

        func run() throws {
            let config = try Setup.config()
            let db = try Setup.ownerConnection(config)
            let rows = try db.query(
                """
                SELECT id, recipient, subject, body, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS TZ'),
                       CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN last_error IS NOT NULL THEN 'failed: ' || last_error ELSE 'not sent (no mail server configured)' END
                FROM outbox_emails WHERE ($2::text IS NULL OR recipient = $2::text) ORDER BY id DESC LIMIT $1
                """, [.int(limit), .text(to)]
            ).rows
            if rows.isEmpty { print("the outbox is empty") }
            for row in rows {
                print(
                    """
                    ── message \(try row.int(0)) · \(try row.string(4)) · \(try row.string(5))
                    To: \(try row.string(1))
                    Subject: \(try row.string(2))

                    \(try row.string(3))

                    """)
            }
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// A migration version as four digits, like its file name.
func pad4(_ value: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
