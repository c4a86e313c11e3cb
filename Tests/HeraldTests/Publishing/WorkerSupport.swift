// The publishing tests' stack: channels whose tokens the platform stand-in knows (sealed with the
// test keyring), scheduled posts with their targets and jobs, herald-worker processes the tests
// start, stop and kill, and a look at what the stand-in received.
import Foundation
import Glibc

@testable import HeraldCrypto
@testable import HeraldDatabase
@testable import HeraldPlatforms
@testable import HeraldQueue

enum WorkerSupport {
    static var standIn: String { ChannelsSupport.standIn }

    /// A control call to the stand-in (JSON body).
    @discardableResult
    static func control(_ path: String, _ body: [String: Any]? = nil) throws -> FetchResponse {
        let response: FetchResponse
        if let body {
            let data = try JSONSerialization.data(withJSONObject: body)
            response = try ChannelsSupport.http.send(
                "POST", standIn + path, headers: [("Content-Type", "application/json")], body: [UInt8](data))
        } else {
            response = try ChannelsSupport.http.get(standIn + path)
        }
        guard response.status < 300 else { throw TestFailure("stand-in \(path): \(response.status) \(response.snippet)") }
        return response
    }

    struct Channel {
        let id: Int
        let platform: String
        /// As Herald stores it (Mastodon: `id@host`, as a connection stores it).
        let externalID: String
        /// As the platform knows it (Mastodon's numeric account id).
        let platformAccount: String
        let handle: String
        let token: String
    }

    /// A connected account on `platform`: registered at the stand-in with a fresh token, stored in
    /// the workspace with that token sealed, active.
    static func channel(_ workspace: Fixtures.Workspace, _ platform: String) throws -> Channel {
        let tag = UUID().uuidString.prefix(10).lowercased().filter { $0.isLetter || $0.isNumber }
        let externalID: String
        switch platform {
        case "bluesky": externalID = "did:plc:" + tag + "herald"
        case "reddit": externalID = "herald_" + tag
        case "linkedin": externalID = "li" + tag
        default: externalID = String(UInt64.random(in: 100_000_000...999_999_999_999))
        }
        let handle = platform == "bluesky" ? "\(tag).bsky.social" : "herald\(tag)"
        let token = "tok-\(platform)-" + Sodium.randomToken()
        try control("/_control/accounts", ["platform": platform, "token": token, "account_id": externalID, "handle": handle])
        let platformAccount = externalID
        let host = standIn.split(separator: "/").last.map(String.init) ?? standIn
        let stored = platform == "mastodon" ? "\(externalID)@\(host)" : externalID
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let id = try admin.queryRow(
            """
            INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, instance_url)
            VALUES ($1, $2, $3, $4, 'needs_reconnect', CASE WHEN $2 = 'mastodon' THEN $5 END) RETURNING id
            """, [.int(workspace.id), .text(platform), .text(stored), .text(handle), .text(standIn)])!.int(0)
        try SocialAccounts.storeTokens(
            admin, workspace: workspace.id, id: id, tokens: TokenSet(accessToken: token), keepRefresh: false, vault: ChannelsSupport.vault())
        return Channel(id: id, platform: platform, externalID: stored, platformAccount: platformAccount, handle: handle, token: token)
    }

    /// A post scheduled for `at` (SQL, default now) with one pending target per channel. Returns the
    /// post and its targets in the channels' order.
    static func scheduledPost(
        _ workspace: Fixtures.Workspace, author: Fixtures.User, text: String, title: String? = nil, channels: [Channel], at: String = "now()"
    ) throws -> (post: Int, targets: [Int]) {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        return try admin.transaction { db in
            let post = try db.queryRow(
                """
                INSERT INTO posts (workspace_id, author_id, title, body, status, scheduled_at, scheduled_zone)
                VALUES ($1, $2, $3, $4, 'scheduled', \(at), 'UTC') RETURNING id
                """, [.int(workspace.id), .int(author.id), .text(title), .text(text)])!.int(0)
            let targets = try channels.map { channel in
                try db.queryRow(
                    "INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ($1, $2, $3) RETURNING id",
                    [.int(workspace.id), .int(post), .int(channel.id)])!.int(0)
            }
            return (post, targets)
        }
    }

    /// The jobs scheduling makes: one publish_post_target per target, due at the post's time.
    static func enqueue(_ workspace: Fixtures.Workspace, post: Int, targets: [Int], channels: [Channel]) throws {
        let admin = try TestEnvironment.connectSuperuser(database: "herald")
        let version = try admin.queryRow("SELECT version, scheduled_at::text FROM posts WHERE id = $1", [.int(post)])!
        for (target, channel) in zip(targets, channels) {
            try Jobs.enqueue(
                admin, workspace: workspace.id, kind: "publish_post_target",
                payload: ["post": String(post), "target": String(target), "version": String(try version.int(0)), "account": String(channel.id)],
                runAt: try version.string(1), key: "post_target:\(target):v\(try version.int(0))", serialKey: "account:\(channel.id)")
        }
    }

    struct TargetState: Equatable {
        let status: String
        let attempts: Int
        let externalID: String?
        let lastError: String?
    }

    static func target(_ id: Int) throws -> TargetState {
        let row = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
            "SELECT status, attempts, external_post_id, last_error FROM post_targets WHERE id = $1", [.int(id)])!
        return TargetState(status: try row.string(0), attempts: try row.int(1), externalID: row.optionalString(2), lastError: row.optionalString(3))
    }

    /// Waits (up to `seconds`) until every target is in one of `statuses`; returns their states.
    @discardableResult
    static func waitUntil(_ targets: [Int], in statuses: Set<String>, seconds: Double = 60) throws -> [TargetState] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let states = try targets.map(target)
            if states.allSatisfy({ statuses.contains($0.status) }) { return states }
            if Date() > deadline { throw TestFailure("targets did not reach \(statuses.sorted()) in \(seconds) s: \(states)") }
            usleep(100_000)
        }
    }

    /// The posts the stand-in holds for one account.
    static func platformPosts(_ channel: Channel) throws -> [[String: Any]] {
        let response = try control("/_control/posts?platform=\(channel.platform)")
        let list = (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? []
        return list.filter {
            let account = "\($0["account"] ?? "")"
            return account == channel.platformAccount || account == channel.handle || account.hasSuffix(":" + channel.platformAccount)
        }
    }
}

/// A herald-worker the test started: its own id and settings, its log in the test's temp dir.
final class WorkerProcess {
    let id: String
    let process = Process()

    /// Fast settings for tests: short poll, lease, timeout, backoff and reconcile delay. No metrics
    /// collection unless a test asks for it (HERALD_METRICS_THREADS): a collector fetches every
    /// published target's metrics, and would take stand-in faults meant for another test's sends.
    init(id: String = "test-" + UUID().uuidString.prefix(8).lowercased(), environment: [String: String] = [:]) throws {
        self.id = id
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binary("herald-worker"))
        process.environment = TestEnvironment.variables.merging(
            [
                "HERALD_WORKER_ID": id, "HERALD_WORKER_POLL_MS": "100", "HERALD_WORKER_LEASE_SECONDS": "10",
                "HERALD_PUBLISH_TIMEOUT_SECONDS": "2", "HERALD_RETRY_BASE_SECONDS": "1", "HERALD_RECONCILE_DELAY_SECONDS": "1",
                "HERALD_WORKER_CONCURRENCY": "8", "HERALD_METRICS_THREADS": "0",
            ].merging(environment) { $1 }
        ) { $1 }
        let log = TestEnvironment.temporaryDirectory + "/logs/worker-\(id).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// SIGTERM, then waits for the exit; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: the worker dies wherever it is.
    func crash() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(pid, SIGKILL) } }
}
