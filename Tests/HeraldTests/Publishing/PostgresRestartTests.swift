// PostgreSQL restarted while the worker publishes: it reconnects, and every target ends published
// exactly once. This restarts the test cluster, so `make test` runs it on its own, before the rest
// (HERALD_TEST_PG_RESTART=1); in the main run it is skipped.
import Foundation
import Glibc
import Testing

@Suite(
    .enabled(
        if: TestEnvironment.isAvailable && TestEnvironment.variables["HERALD_TEST_PG_RESTART"] == "1",
        "restarts PostgreSQL: make test runs it alone, before the other suites"))
struct PostgresRestartTests {
    /// `pg_ctl restart` with the options the cluster was started with (postmaster.opts), as its owner.
    /// Through system(3), which waits for its own child: Foundation's Process could miss this exit.
    func restartPostgreSQL() throws {
        let pgCtl = TestEnvironment.pgBinDir + "/pg_ctl"
        let data = TestEnvironment.variables["HERALD_TEST_PG_DATA"]!
        // -l: the new postmaster writes to the log, not to our output.
        let command = "'\(pgCtl)' -D '\(data)' -l '\(data)/server.log' -m fast -w -t 60 restart >/dev/null 2>&1"
        let status = ProcessTable.asClusterOwner(command)
        guard status == 0 else { throw TestFailure("pg_ctl restart exited with \(status)") }
    }

    @Test func theWorkerReconnectsAndNothingIsLostOrDoubled() throws {
        let owner = try Fixtures.user("Owner")
        let workspace = try Fixtures.workspace(owner: owner)
        defer { VaultSupport.dropWorkspaces([workspace.id]) }
        let channels = try (0..<10).map { _ in try WorkerSupport.channel(workspace, "mastodon") }
        // Some sends are slow, so that the restart finds work in flight.
        try WorkerSupport.control("/_control/faults", ["platform": "mastodon", "faults": Array(repeating: "slow", count: 30), "delay": 1])
        var targets: [Int] = []
        for round in 0..<10 {
            for channel in channels {
                let post = try WorkerSupport.scheduledPost(
                    workspace, author: owner, text: "Restart \(round) \(UUID().uuidString.prefix(8))", channels: [channel])
                try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: [channel])
                targets += post.targets
            }
        }
        let worker = try WorkerProcess(environment: ["HERALD_WORKER_CONCURRENCY": "4", "HERALD_PUBLISH_TIMEOUT_SECONDS": "4"])
        defer { worker.stop() }
        // Let it start, then pull the database from under it.
        let deadline = Date().addingTimeInterval(20)
        while try Fixtures.count("SELECT count(*) FROM post_targets WHERE workspace_id = $1 AND status = 'published'", [.int(workspace.id)]) < 5,
            Date() < deadline
        {
            usleep(20_000)
        }
        try restartPostgreSQL()
        let states = try WorkerSupport.waitUntil(targets, in: ["published", "failed"], seconds: 120)
        #expect(states.allSatisfy { $0.status == "published" }, "\(states.filter { $0.status != "published" })")
        var total = 0
        for channel in channels {
            let posts = try WorkerSupport.platformPosts(channel)
            total += posts.count
            #expect(Set(posts.map { "\($0["text"] ?? "")" }).count == posts.count, "no text was posted twice")
        }
        #expect(total == 100, "every target once: \(total) posts")
        #expect(worker.process.isRunning, "the worker survived the restart")
    }
}
