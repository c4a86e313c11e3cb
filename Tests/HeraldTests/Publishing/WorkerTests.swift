// herald-worker end to end, against the platform stand-in: every target of a scheduled post is
// published exactly once, whatever fault the platform throws; a worker killed after the platform
// accepted a post leaves it published once; two workers share a queue of 1,000 targets.
import Foundation
import Glibc
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase

extension VaultDatabaseTests {
    /// These tests store sealed tokens, so they run inside the vault tests' serialized suite (`keys
    /// rotate` there walks every workspace); each deletes its workspace at the end.
    @Suite struct WorkerTests {
        static let platforms = ["mastodon", "bluesky", "x", "linkedin", "reddit"]

        /// An owner and a workspace with credits for X (priced per post).
        func team() throws -> (owner: Fixtures.User, workspace: Fixtures.Workspace) {
            let owner = try Fixtures.user("Owner")
            let workspace = try Fixtures.workspace(owner: owner)
            _ = try Credits.grant(TestEnvironment.connectSuperuser(database: "herald"), workspace: workspace.id, amount: 10_000, key: "test:x")
            return (owner, workspace)
        }

        func unique(_ text: String) -> String { "\(text) \(UUID().uuidString.prefix(8))" }

        @Test func aScheduledPostIsPublishedOnceToEveryPlatform() throws {
            let (owner, workspace) = try team()
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let channels = try WorkerTests.platforms.map { try WorkerSupport.channel(workspace, $0) }
            let post = try WorkerSupport.scheduledPost(
                workspace, author: owner, text: unique("Launch day: https://example.com #herald"), title: "Launch", channels: channels)
            try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: channels)
            let worker = try WorkerProcess()
            defer { worker.stop() }
            let states = try WorkerSupport.waitUntil(post.targets, in: ["published", "failed"])
            for (state, channel) in zip(states, channels) {
                #expect(state.status == "published", "\(channel.platform): \(state)")
                #expect(try WorkerSupport.platformPosts(channel).count == 1, "\(channel.platform) holds one post")
            }
            let status = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
                "SELECT status, published_at IS NOT NULL FROM posts WHERE id = $1", [.int(post.post)])!
            #expect(try status.string(0) == "published")
            #expect(try status.bool(1))
            #expect(worker.stop() == 0, "SIGTERM stops the worker cleanly")
        }

        /// What each fault must come to: the target's end state and the posts the platform holds.
        static let faults: [(fault: String, status: String, posts: Int)] = [
            ("none", "published", 1), ("500", "published", 1), ("drop", "published", 1), ("slow", "published", 1),
            ("invalid", "failed", 0), ("expired", "failed", 0),
        ]

        /// Every platform × every fault, through the real worker: exactly one post for each target that
        /// ends published, none for the failed ones. One round per fault, the five platforms at once
        /// (faults queue per platform, so one request per platform takes it).
        @Test func faultMatrix() throws {
            let (owner, workspace) = try team()
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let worker = try WorkerProcess()
            defer { worker.stop() }
            for expected in WorkerTests.faults {
                let channels = try WorkerTests.platforms.map { try WorkerSupport.channel(workspace, $0) }
                if expected.fault != "none" {
                    for channel in channels {
                        try WorkerSupport.control(
                            "/_control/faults", ["platform": channel.platform, "faults": [expected.fault], "delay": 8, "token": channel.token])
                    }
                }
                var targets: [Int] = []
                for channel in channels {
                    let post = try WorkerSupport.scheduledPost(
                        workspace, author: owner, text: unique("Fault \(expected.fault) on \(channel.platform)"), title: "Fault test",
                        channels: [channel])
                    try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: [channel])
                    targets += post.targets
                }
                let states = try WorkerSupport.waitUntil(targets, in: ["published", "failed"], seconds: 90)
                for (state, channel) in zip(states, channels) {
                    #expect(state.status == expected.status, "\(channel.platform) × \(expected.fault): \(state)")
                    #expect(
                        try WorkerSupport.platformPosts(channel).count == expected.posts,
                        "\(channel.platform) × \(expected.fault): posts at the platform"
                    )
                }
                if expected.fault == "expired" {
                    let reconnect = try Fixtures.count(
                        "SELECT count(*) FROM social_accounts WHERE id = ANY($1::bigint[]) AND status = 'needs_reconnect'",
                        [.text("{" + channels.map { String($0.id) }.joined(separator: ",") + "}")])
                    #expect(reconnect == channels.count, "an expired token asks for a reconnect")
                }
            }
        }

        /// The platforms whose 429 says when to come back (LinkedIn's does not: plain backoff).
        static let resetTellers: Set<String> = ["mastodon", "bluesky", "x", "reddit"]

        /// A 429 is retried, never before the platform's reset time.
        @Test func rateLimitedSendsWaitForTheReset() throws {
            let (owner, workspace) = try team()
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let worker = try WorkerProcess()
            defer { worker.stop() }
            let channels = try WorkerTests.platforms.map { try WorkerSupport.channel(workspace, $0) }
            for channel in channels {
                try WorkerSupport.control("/_control/faults", ["platform": channel.platform, "faults": ["429"], "token": channel.token])
            }
            var targets: [Int] = []
            for channel in channels {
                let post = try WorkerSupport.scheduledPost(workspace, author: owner, text: unique("Rate \(channel.platform)"), channels: [channel])
                try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: [channel])
                targets += post.targets
            }
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            // After the 429 each target waits, with the job due no earlier than the stand-in's reset (~60 s).
            let deadline = Date().addingTimeInterval(30)
            var waiting: [String] = []
            while Date() < deadline {
                waiting = try admin.query(
                    """
                    SELECT a.platform FROM post_targets t JOIN social_accounts a ON a.id = t.social_account_id
                    JOIN jobs j ON j.workspace_id = t.workspace_id AND (j.payload ->> 'target')::bigint = t.id
                    WHERE t.id = ANY($1::bigint[]) AND t.status = 'pending' AND t.attempts = 1 AND j.status = 'queued'
                      AND j.run_at > now() + interval '30 seconds'
                    """, [.text("{" + targets.map(String.init).joined(separator: ",") + "}")]
                ).rows.map { try $0.string(0) }
                if Set(waiting).isSuperset(of: WorkerTests.resetTellers) { break }
                usleep(200_000)
            }
            #expect(Set(waiting).isSuperset(of: WorkerTests.resetTellers), "these platforms say when to come back: \(waiting)")
            // Time passes: the reset is reached.
            try admin.query(
                "UPDATE jobs SET run_at = now() WHERE (payload ->> 'target')::bigint = ANY($1::bigint[]) AND status = 'queued'",
                [.text("{" + targets.map(String.init).joined(separator: ",") + "}")])
            try admin.query("UPDATE social_accounts SET rate_limited_until = NULL WHERE workspace_id = $1", [.int(workspace.id)])
            let states = try WorkerSupport.waitUntil(targets, in: ["published", "failed"], seconds: 60)
            for (state, channel) in zip(states, channels) {
                #expect(state.status == "published", "\(channel.platform): \(state)")
                #expect(try WorkerSupport.platformPosts(channel).count == 1)
            }
        }

        /// The platform accepted the post; the worker is killed before it recorded that. Another worker
        /// finds the expired lease, asks the platform, and adopts the post: published, one post.
        @Test(arguments: ["mastodon", "bluesky", "x", "linkedin", "reddit"])
        func killedAfterThePlatformAcceptedEndsPublishedOnce(_ platform: String) throws {
            let (owner, workspace) = try team()
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let channel = try WorkerSupport.channel(workspace, platform)
            try WorkerSupport.control("/_control/faults", ["platform": platform, "faults": ["slow"], "delay": 30, "token": channel.token])
            let post = try WorkerSupport.scheduledPost(workspace, author: owner, text: unique("Killed mid-send on \(platform)"), channels: [channel])
            try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: [channel])
            let victim = try WorkerProcess(environment: ["HERALD_WORKER_LEASE_SECONDS": "60", "HERALD_PUBLISH_TIMEOUT_SECONDS": "25"])
            let deadline = Date().addingTimeInterval(20)
            while try WorkerSupport.platformPosts(channel).isEmpty, Date() < deadline { usleep(50_000) }
            #expect(try WorkerSupport.platformPosts(channel).count == 1, "the platform accepted the post")
            victim.crash()
            #expect(try WorkerSupport.target(post.targets[0]).status == "publishing", "nothing was recorded")
            // Time passes: the dead worker's lease runs out.
            try TestEnvironment.connectSuperuser(database: "herald").query(
                "UPDATE jobs SET locked_until = now() - interval '1 second' WHERE locked_by = $1", [.text(victim.id)])
            let rescuer = try WorkerProcess()
            defer { rescuer.stop() }
            let state = try WorkerSupport.waitUntil(post.targets, in: ["published", "failed"], seconds: 60)[0]
            #expect(state.status == "published", "\(state)")
            #expect(try WorkerSupport.platformPosts(channel).count == 1, "still one post at \(platform)")
        }

        /// Two workers, 1,000 due targets over 50 accounts: each target is sent once.
        @Test func twoWorkersSendEachOfAThousandTargetsOnce() throws {
            let (owner, workspace) = try team()
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let channels = try (0..<50).map { _ in try WorkerSupport.channel(workspace, "mastodon") }
            var targets: [Int] = []
            for round in 0..<20 {
                for channel in channels {
                    let post = try WorkerSupport.scheduledPost(workspace, author: owner, text: unique("Bulk \(round)"), channels: [channel])
                    try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: [channel])
                    targets += post.targets
                }
            }
            let first = try WorkerProcess()
            let second = try WorkerProcess()
            defer {
                first.stop()
                second.stop()
            }
            try WorkerSupport.waitUntil(targets, in: ["published", "failed"], seconds: 240)
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            #expect(
                try admin.queryRow(
                    "SELECT count(*) FROM post_targets WHERE workspace_id = $1 AND status = 'published'", [.int(workspace.id)])!.int(0) == 1000)
            var total = 0
            for channel in channels {
                let posts = try WorkerSupport.platformPosts(channel)
                total += posts.count
                #expect(Set(posts.map { "\($0["idempotency_key"] ?? "")" }).count == posts.count, "no key was sent twice")
            }
            #expect(total == 1000, "the platform holds exactly 1,000 posts")
            let byWorker = try admin.query(
                "SELECT count(DISTINCT payload ->> 'target') FROM jobs WHERE workspace_id = $1 AND kind = 'publish_post_target' AND status = 'done'",
                [.int(workspace.id)])[0]
            #expect(try byWorker.int(0) == 1000)
        }
    }
}
