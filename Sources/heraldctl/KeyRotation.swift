// Re-sealing every token under an older key with the primary key, online: batches claimed with
// FOR UPDATE SKIP LOCKED, written with a compare-and-set on the old key ids, committed one by one,
// so it runs beside live traffic and can be killed at any moment and run again.
import Glibc
import HeraldCrypto
import HeraldDatabase
import HeraldSupport

struct KeyRotation {
    let db: Connection
    let keyring: Keyring
    let batchSize: Int

    struct Outcome {
        var rows = 0
        var tokens = 0
        var batches = 0
        var fromKeys: Set<Int> = []
        /// Rows that could not be opened (unknown key, or altered): which ("workspace 3, social account 7"), and why.
        var unreadable: [(row: String, why: String)] = []
        /// Rows other transactions kept locked for too long; a re-run takes them.
        var skippedLocked = 0
        var seconds = 0.0
    }

    /// One claimed row: its id and its two sealed tokens as read (nil where there is none).
    private struct Claimed {
        let id: Int
        let access: SealedValue?
        let refresh: SealedValue?
    }

    func run() throws -> Outcome {
        let primary = keyring.primaryID
        var outcome = Outcome()
        var pending: [(workspace: Int, rows: Int)] = []
        for workspace in try KeyUsage.workspaceIDs(db) {
            let rows = try KeyUsage.rowsToRotate(db, workspace: workspace, primary: primary)
            if rows > 0 { pending.append((workspace, rows)) }
        }
        let started = Clock.monotonicNanos()
        let total = pending.reduce(0) { $0 + $1.rows }
        if total > 0 {
            let progress = Progress("re-sealing to key \(primary)", total: total)
            for (workspace, _) in pending {
                try rotateWorkspace(workspace, primary: primary, progress: progress, outcome: &outcome)
            }
            progress.finish()
        }
        for sealed in KeyRotation.singleColumns {
            if sealed.tenant {
                for workspace in try KeyUsage.workspaceIDs(db) { try rotateColumn(sealed, workspace: workspace, primary: primary, outcome: &outcome) }
            } else {
                try rotateColumn(sealed, workspace: nil, primary: primary, outcome: &outcome)
            }
        }
        outcome.seconds = Double(Clock.monotonicNanos() - started) / 1e9
        return outcome
    }

    /// The sealed columns besides social accounts' tokens, one per row (`<column>_key_id`, `_nonce`,
    /// `_ciphertext`): an app per Mastodon instance, a flow per connection under way. Few rows, so
    /// each is re-sealed on its own, with the same compare-and-set on its key id.
    static let singleColumns: [(table: String, column: String, tenant: Bool, label: String)] = [
        ("mastodon_apps", "client_secret", false, "Mastodon app"),
        ("oauth_flows", "code_verifier", true, "OAuth flow"),
    ]

    private func rotateColumn(
        _ sealed: (table: String, column: String, tenant: Bool, label: String), workspace: Int?, primary: Int, outcome: inout Outcome
    ) throws {
        let (table, column) = (sealed.table, sealed.column)
        let scope = workspace == nil ? "" : " AND workspace_id = $3"
        var cursor = 0
        var failed = 0
        while true {
            let result = try db.transaction(workspace: workspace) { db -> (last: Int, changed: Int, from: Set<Int>, failed: [(Int, String)])? in
                let rows = try db.query(
                    """
                    SELECT id, \(column)_key_id, \(column)_nonce, \(column)_ciphertext FROM \(table)
                    WHERE \(column)_key_id <> $1 AND id > $2\(scope)
                    ORDER BY id LIMIT \(batchSize)
                    FOR UPDATE SKIP LOCKED
                    """, [.int(primary), .int(cursor)] + (workspace.map { [.int($0)] } ?? [])
                ).rows
                guard let lastRow = rows.last else { return nil }
                var changed = 0
                var from: Set<Int> = []
                var failed: [(Int, String)] = []
                for row in rows {
                    let id = try row.int(0)
                    do {
                        guard let old = try self.sealed(row, 1),
                            let new = try reseal(old, SealedField(table: table, column: column, rowID: id), primary)
                        else { continue }
                        changed += try db.query(
                            """
                            UPDATE \(table) SET \(column)_key_id = $2, \(column)_nonce = $3, \(column)_ciphertext = $4
                            WHERE id = $1 AND \(column)_key_id = $5
                            """, [.int(id), .int(new.keyID), .bytes(new.nonce), .bytes(new.ciphertext), .int(old.keyID)]
                        ).affectedRows
                        from.insert(old.keyID)
                    } catch {
                        failed.append((id, String(describing: error)))
                    }
                }
                return (try lastRow.int(0), changed, from, failed)
            }
            guard let result else { break }
            cursor = result.last
            outcome.batches += 1
            outcome.rows += result.changed
            outcome.tokens += result.changed
            outcome.fromKeys.formUnion(result.from)
            for (row, why) in result.failed {
                outcome.unreadable.append(((workspace.map { "workspace \($0), " } ?? "") + "\(sealed.label) \(row)", why))
                failed += 1
            }
        }
        // Rows a live transaction kept locked were skipped: a re-run takes them.
        let left = try db.transaction(workspace: workspace) { db in
            try db.queryRow(
                "SELECT count(*) FROM \(table) WHERE \(column)_key_id <> $1\(workspace == nil ? "" : " AND workspace_id = $2")",
                [.int(primary)] + (workspace.map { [.int($0)] } ?? []))?.int(0) ?? 0
        }
        outcome.skippedLocked += max(0, left - failed)
    }

    /// Passes over one workspace by ascending id until no row under an older key is left but the
    /// unreadable ones, or the rest stays locked by others for 10 s.
    private func rotateWorkspace(_ workspace: Int, primary: Int, progress: Progress, outcome: inout Outcome) throws {
        var unreadable: Set<Int> = []
        var idleSince = Clock.monotonicNanos()
        while true {
            var cursor = 0
            while let last = try batch(
                workspace, after: cursor, primary: primary, progress: progress,
                outcome: &outcome, unreadable: &unreadable)
            {
                cursor = last
                idleSince = Clock.monotonicNanos()
            }
            let left = try KeyUsage.rowsToRotate(db, workspace: workspace, primary: primary) - unreadable.count
            if left <= 0 { return }
            // Rows locked by a live transaction (or by the backend of a killed run, until the server
            // notices) were skipped: wait a little and pass again.
            if Clock.monotonicNanos() - idleSince > 10_000_000_000 {
                outcome.skippedLocked += left
                return
            }
            usleep(100_000)
        }
    }

    /// Claims, re-seals and writes one batch in one transaction: the rows under older keys among
    /// the next `batchSize` ids of the workspace. Returns the window's last id, or nil when the
    /// pass is over. (A window of ids rather than "the next N rows under an older key" keeps each
    /// batch an index range scan, whatever the planner believes about the key columns.)
    private func batch(
        _ workspace: Int, after cursor: Int, primary: Int, progress: Progress,
        outcome: inout Outcome, unreadable: inout Set<Int>
    ) throws -> Int? {
        let result = try db.transaction(workspace: workspace) {
            db -> (last: Int, changed: Int, tokens: Int, from: Set<Int>, failed: [(Int, String)])? in
            guard
                let last = try db.queryRow(
                    """
                    SELECT max(id) FROM (SELECT id FROM social_accounts WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3) AS w
                    """, [.int(workspace), .int(cursor), .int(batchSize)])?.optionalInt(0)
            else { return nil }
            let claimed = try db.query(
                """
                SELECT id, access_token_key_id, access_token_nonce, access_token_ciphertext,
                       refresh_token_key_id, refresh_token_nonce, refresh_token_ciphertext
                FROM social_accounts
                WHERE workspace_id = $1 AND id > $2 AND id <= $3 AND (access_token_key_id <> $4 OR refresh_token_key_id <> $4)
                ORDER BY id
                FOR UPDATE SKIP LOCKED
                """, [.int(workspace), .int(cursor), .int(last), .int(primary)]
            ).rows.map { row in
                Claimed(id: try row.int(0), access: try sealed(row, 1), refresh: try sealed(row, 4))
            }
            var update = BatchUpdate()
            var tokens = 0
            var from: Set<Int> = []
            var failed: [(Int, String)] = []
            for row in claimed {
                do {
                    let access = try reseal(row.access, SealedField(table: "social_accounts", column: "access_token", rowID: row.id), primary)
                    let refresh = try reseal(row.refresh, SealedField(table: "social_accounts", column: "refresh_token", rowID: row.id), primary)
                    for old in [row.access, row.refresh] {
                        if let old, old.keyID != primary {
                            from.insert(old.keyID)
                            tokens += 1
                        }
                    }
                    update.add(id: row.id, access: access, refresh: refresh, oldAccessKey: row.access?.keyID, oldRefreshKey: row.refresh?.keyID)
                } catch {
                    failed.append((row.id, String(describing: error)))
                }
            }
            let changed = update.isEmpty ? 0 : try update.run(db, workspace: workspace)
            return (last, changed, tokens, from, failed)
        }
        guard let result else { return nil }
        outcome.batches += 1
        outcome.rows += result.changed
        outcome.tokens += result.tokens
        outcome.fromKeys.formUnion(result.from)
        var newlyFailed = 0
        for (row, why) in result.failed where unreadable.insert(row).inserted {
            outcome.unreadable.append(("workspace \(workspace), social account \(row)", why))
            newlyFailed += 1
        }
        progress.advance(result.changed + newlyFailed)
        return result.last
    }

    /// The value under the primary key: unchanged if it already is, re-sealed otherwise.
    private func reseal(_ value: SealedValue?, _ field: SealedField, _ primary: Int) throws -> SealedValue? {
        guard let value, value.keyID != primary else { return value }
        let plaintext = try keyring.open(value, for: field)
        return keyring.seal(plaintext, for: field)
    }

    private func sealed(_ row: Row, _ column: Int) throws -> SealedValue? {
        guard let keyID = try row.optionalInt(column) else { return nil }
        return SealedValue(keyID: keyID, nonce: try row.bytes(column + 1), ciphertext: try row.bytes(column + 2))
    }
}

/// One UPDATE for a whole batch (arrays unnested on the server), each row written only if its key
/// ids are still the ones read: the compare-and-set that makes a lost race change nothing.
private struct BatchUpdate {
    private var ids: [String] = [], accessKeys: [String] = [], accessNonces: [String] = [], accessCiphertexts: [String] = []
    private var refreshKeys: [String] = [], refreshNonces: [String] = [], refreshCiphertexts: [String] = []
    private var oldAccessKeys: [String] = [], oldRefreshKeys: [String] = []

    var isEmpty: Bool { ids.isEmpty }

    mutating func add(id: Int, access: SealedValue?, refresh: SealedValue?, oldAccessKey: Int?, oldRefreshKey: Int?) {
        ids.append(String(id))
        accessKeys.append(access.map { String($0.keyID) } ?? "NULL")
        accessNonces.append(access.map { Sodium.hex($0.nonce) } ?? "NULL")
        accessCiphertexts.append(access.map { Sodium.hex($0.ciphertext) } ?? "NULL")
        refreshKeys.append(refresh.map { String($0.keyID) } ?? "NULL")
        refreshNonces.append(refresh.map { Sodium.hex($0.nonce) } ?? "NULL")
        refreshCiphertexts.append(refresh.map { Sodium.hex($0.ciphertext) } ?? "NULL")
        oldAccessKeys.append(oldAccessKey.map(String.init) ?? "NULL")
        oldRefreshKeys.append(oldRefreshKey.map(String.init) ?? "NULL")
    }

    /// Array literals hold only digits, hex digits and NULL, so they need no quoting.
    private func array(_ items: [String]) -> SQLValue { .text("{" + items.joined(separator: ",") + "}") }

    func run(_ db: Connection, workspace: Int) throws -> Int {
        try db.query(
            """
            UPDATE social_accounts s
            SET access_token_key_id = u.access_key, access_token_nonce = decode(u.access_nonce, 'hex'),
                access_token_ciphertext = decode(u.access_ciphertext, 'hex'),
                refresh_token_key_id = u.refresh_key, refresh_token_nonce = decode(u.refresh_nonce, 'hex'),
                refresh_token_ciphertext = decode(u.refresh_ciphertext, 'hex')
            FROM unnest($2::bigint[], $3::int[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::int[], $10::int[])
                 AS u(id, access_key, access_nonce, access_ciphertext, refresh_key, refresh_nonce, refresh_ciphertext,
                      old_access_key, old_refresh_key)
            WHERE s.workspace_id = $1 AND s.id = u.id
              AND s.access_token_key_id IS NOT DISTINCT FROM u.old_access_key
              AND s.refresh_token_key_id IS NOT DISTINCT FROM u.old_refresh_key
            """,
            [
                .int(workspace), array(ids), array(accessKeys), array(accessNonces), array(accessCiphertexts),
                array(refreshKeys), array(refreshNonces), array(refreshCiphertexts), array(oldAccessKeys), array(oldRefreshKeys),
            ]
        ).affectedRows
    }
}
