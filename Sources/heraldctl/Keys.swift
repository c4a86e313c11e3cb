// heraldctl keys: the keyring's life cycle — init, add, promote, rotate, retire, status — each
// step audited; waits until running programs have loaded a changed keyring before relying on it.
import ArgumentParser
import Glibc
import HeraldCrypto
import HeraldSupport

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the keyring that seals OAuth tokens (HERALD_KEYRING_FILE).",
        discussion: """
            Rotation, online: `keys add` → `keys promote ID` → `keys rotate` → `keys retire OLD_ID`. Programs re-read \
            the keyring within \(Int(TokenVault.defaultCheckInterval)) s of a change (at once on SIGHUP); promote, rotate \
            and retire first wait until the last change is that old (--no-wait skips this once every program got SIGHUP).
            """,
        subcommands: [Init.self, Add.self, Promote.self, Rotate.self, Retire.self, Status.self, DemoTokens.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the keyring file (mode 0600) with key 1 as primary.")

        func run() throws {
            let config = try Setup.config()
            let keyring = try Keyring.create(path: config.keyringFile)
            print("created \(config.keyringFile) with key \(keyring.primaryID) (primary); keep it secret and back it up apart from the database")
            try audit(config, "keys.initialized", keyring.primaryID)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a fresh key (active: it opens, the primary still seals).")

        func run() throws {
            let config = try Setup.config()
            let (_, id) = try Keyring.update(path: config.keyringFile) { $0.addingKey() }
            print("added key \(id) (active); next: heraldctl keys promote \(id)")
            try audit(config, "keys.added", id)
        }
    }

    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key primary: new seals use it.")
        @Argument(help: "The key id.") var id: Int
        @Flag(help: "Do not wait for programs to load the keyring (every one has been sent SIGHUP).") var noWait = false

        func run() throws {
            let config = try Setup.config()
            // Every program must know the key before any of them seals with it.
            try settle(config.keyringFile, skip: noWait)
            let (_, previous) = try Keyring.update(path: config.keyringFile) { keyring in (try keyring.promoting(id), keyring.primaryID) }
            print("key \(id) is now primary (was \(previous)); next: heraldctl keys rotate")
            try audit(config, "keys.promoted", id, ["previous_primary": previous])
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every token under an older key with the primary key, in batches.",
            discussion: "Safe beside live traffic, and to interrupt (even kill -9) and run again.")
        @Option(help: "Rows per transaction.") var batch: Int = 500
        @Flag(help: "Do not wait for programs to load the keyring (every one has been sent SIGHUP).") var noWait = false

        func validate() throws {
            guard (1...100_000).contains(batch) else { throw ValidationError("--batch must be from 1 to 100000") }
        }

        func run() throws {
            let config = try Setup.config()
            let keyring = try Keyring.load(path: config.keyringFile)
            // Programs still sealing with the previous primary would leave rows behind.
            try settle(config.keyringFile, skip: noWait)
            let db = try Setup.ownerConnection(config)
            let outcome = try KeyRotation(db: db, keyring: keyring, batchSize: batch).run()
            let primary = keyring.primaryID
            if outcome.rows == 0 && outcome.unreadable.isEmpty && outcome.skippedLocked == 0 {
                print("nothing to rotate: every sealed token is under key \(primary); 0 rows changed")
            } else {
                let from = outcome.fromKeys.sorted().map(String.init).joined(separator: ", ")
                print(
                    "re-sealed \(outcome.rows) rows (\(outcome.tokens) tokens) from key \(from.isEmpty ? "-" : from) to key \(primary) "
                        + "in \(formatTenths(outcome.seconds)) s (\(Int((Double(outcome.rows) / max(outcome.seconds, 0.001)).rounded())) rows/s, \(outcome.batches) batches)"
                )
            }
            try KeyUsage.audit(
                db, action: "keys.rotated", keyID: primary,
                details: [
                    "rows": outcome.rows, "tokens": outcome.tokens, "batches": outcome.batches,
                    "unreadable_rows": outcome.unreadable.count, "skipped_locked_rows": outcome.skippedLocked,
                    "milliseconds": Int(outcome.seconds * 1000),
                ])
            for failure in outcome.unreadable.prefix(20) {
                printError("\(failure.row): \(failure.why)")
            }
            if !outcome.unreadable.isEmpty {
                throw KeyringError("\(outcome.unreadable.count) rows could not be opened and still use their old key (their accounts need attention)")
            }
            if outcome.skippedLocked > 0 {
                throw KeyringError("\(outcome.skippedLocked) rows stayed locked by other transactions: run `heraldctl keys rotate` again")
            }
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Destroy a key no row uses any more (its id is never reused).")
        @Argument(help: "The key id.") var id: Int
        @Flag(help: "Do not wait for programs to load the keyring (every one has been sent SIGHUP).") var noWait = false

        func run() throws {
            let config = try Setup.config()
            _ = try Keyring.load(path: config.keyringFile).retiring(id)  // refuses the primary and unknown ids up front
            try settle(config.keyringFile, skip: noWait)
            let db = try Setup.ownerConnection(config)
            // Every sealed column counts: a key still sealing one value of any of them must stay.
            let columns = try KeyUsage.census(db)[id] ?? []
            guard columns.allSatisfy({ $0.values == 0 }) else {
                throw KeyringError("key \(id) still seals \(KeyUsage.describe(columns)) values: run `heraldctl keys rotate` first")
            }
            _ = try Keyring.update(path: config.keyringFile) { keyring in (try keyring.retiring(id), ()) }
            print("key \(id) retired: no row uses it, and it is gone from \(config.keyringFile)")
            try KeyUsage.audit(db, action: "keys.retired", keyID: id)
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The keyring's keys and how many sealed values each seals, by column.")

        func run() throws {
            let config = try Setup.config()
            let keyring = try Keyring.load(path: config.keyringFile)
            let usage = try KeyUsage.census(try Setup.ownerConnection(config))
            print("keyring \(config.keyringFile), primary key \(keyring.primaryID)")
            print("key  status    values")
            for entry in keyring.entries {
                print("\(String(entry.id).padding(4)) \(entry.status.rawValue.padding(9)) \(KeyUsage.describe(usage[entry.id] ?? []))")
            }
            for (id, columns) in usage.sorted(by: { $0.key < $1.key }) where keyring.status(of: id) == nil {
                print(
                    "\(String(id).padding(4)) \("MISSING".padding(9)) \(KeyUsage.describe(columns))  (not in this keyring: these values cannot be opened)"
                )
            }
        }
    }
}

/// Writes the audit event of a keyring change; says so if the change stands but its event could not be written.
private func audit(_ config: Config, _ action: String, _ keyID: Int, _ details: KeyValuePairs<String, Int> = [:]) throws {
    do {
        try KeyUsage.audit(try Setup.ownerConnection(config), action: action, keyID: keyID, details: details)
    } catch {
        throw KeyringError("the keyring was changed, but its audit event could not be written: \(error)")
    }
}

/// Waits until the keyring file has been unchanged for longer than programs take to notice a
/// change, so every running program has the keys this command relies on.
private func settle(_ path: String, skip: Bool) throws {
    guard !skip else { return }
    var st = stat()
    guard stat(path, &st) == 0 else { return }  // loading it reports the problem
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let age = Double(now.tv_sec - st.st_mtim.tv_sec) + Double(now.tv_nsec - st.st_mtim.tv_nsec) / 1e9
    let needed = TokenVault.defaultCheckInterval + 1
    guard age < needed else { return }
    let wait = min(needed, needed - age)
    note("waiting \(formatTenths(wait)) s for running programs to load the keyring changed \(formatTenths(max(0, age))) s ago (--no-wait skips this)")
    usleep(UInt32(wait * 1_000_000))
}
