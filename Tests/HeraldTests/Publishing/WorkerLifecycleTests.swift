// The worker with the rest of the product: what scheduling through the pages queues is what gets
// sent (edit, unschedule and delete send nothing; a reschedule sends once, at the new time, and a
// post planned in New York after a clock change is due at that instant), and publishing to a
// priced platform spends credits once per target, refunded when the target fails.
import Foundation
import Glibc
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase

extension VaultDatabaseTests {
    /// Sealed tokens again: inside the vault tests' serialized suite, each test deleting its workspace.
    @Suite struct WorkerLifecycleTests {
        func unique(_ text: String) -> String { "\(text) \(UUID().uuidString.prefix(8))" }

        /// Jobs of a post by status.
        func jobs(_ post: Int) throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for row in try TestEnvironment.connectSuperuser(database: "herald").query(
                "SELECT status, count(*) FROM jobs WHERE (payload ->> 'post')::bigint = $1 GROUP BY status", [.int(post)]
            ).rows {
                counts[try row.string(0)] = try row.int(1)
            }
            return counts
        }

        /// Time passes: every job of the post that is still queued is due now.
        func makeDue(_ post: Int) throws {
            try TestEnvironment.connectSuperuser(database: "herald").query(
                "UPDATE jobs SET run_at = now() WHERE (payload ->> 'post')::bigint = $1 AND status = 'queued'", [.int(post)])
        }

        @Test func editingUnschedulingAndDeletingSendNothingAndAReschedulesSendsOnceAtTheNewTime() throws {
            let owner = try Fixtures.user("Owner")
            let workspace = try Fixtures.workspace(owner: owner)
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let channel = try WorkerSupport.channel(workspace, "mastodon")
            let browser = try Fixtures.browser(for: owner)
            let worker = try WorkerProcess()
            defer { worker.stop() }
            func scheduled(_ label: String, date: String = "2031-05-04", time: String = "09:15") throws -> (id: Int, path: String) {
                let id = try Fixtures.post(workspace, author: owner, status: "approved", body: unique(label), account: channel.id)
                let path = "/w/\(workspace.slug)/posts/\(id)"
                try browser.get(path)
                let response = try browser.post(path + "/schedule", [("date", date), ("time", time)])
                #expect(response.status == 303, "\(label): \(response.status) \(response.body.prefix(300))")
                #expect(try jobs(id)["queued"] == 1, "\(label): one job queued")
                return (id, path)
            }
            let unscheduled = try scheduled("Unscheduled")
            #expect(try browser.post(unscheduled.path + "/unschedule", []).status == 303)
            let deleted = try scheduled("Deleted")
            #expect(try browser.post(deleted.path + "/delete", []).status == 303)
            let edited = try scheduled("Edited")
            let version = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
                "SELECT version FROM posts WHERE id = $1", [.int(edited.id)])!.int(0)
            try browser.get(edited.path + "/edit")
            let save = try browser.post(
                edited.path + "/edit", [("version", String(version)), ("body", unique("Edited again")), ("target", String(channel.id))])
            #expect(save.status == 303, "\(save.status) \(save.body.prefix(300))")
            #expect(try Fixtures.postState(edited.id)?.status == "draft", "an edited scheduled post goes back to draft")
            for post in [unscheduled.id, deleted.id, edited.id] {
                #expect(try jobs(post)["queued"] == nil, "no job left queued")
                try makeDue(post)
            }
            let rescheduled = try scheduled("Rescheduled")
            try browser.get(rescheduled.path)
            #expect(try browser.post(rescheduled.path + "/schedule", [("date", "2031-05-05"), ("time", "10:30")]).status == 303)
            #expect(try jobs(rescheduled.id) == ["queued": 1, "canceled": 1])
            let due = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
                """
                SELECT to_char(run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM jobs
                WHERE (payload ->> 'post')::bigint = $1 AND status = 'queued'
                """, [.int(rescheduled.id)])!
            #expect(try due.string(0) == "2031-05-05 10:30", "due at the new time (the owner's zone is UTC)")
            try makeDue(rescheduled.id)
            let target = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
                "SELECT id FROM post_targets WHERE post_id = $1", [.int(rescheduled.id)])!.int(0)
            #expect(try WorkerSupport.waitUntil([target], in: ["published", "failed"])[0].status == "published")
            usleep(1_000_000)  // anything wrongly queued for the other posts has had its chance
            let texts = try WorkerSupport.platformPosts(channel).map { "\($0["text"] ?? "")" }
            #expect(texts.count == 1, "only the rescheduled post went out: \(texts)")
            #expect(texts.first?.contains("Rescheduled") == true)
        }

        /// The Monday after each clock change, 09:00 in New York: due at exactly that instant.
        @Test(arguments: [("2027-03-15", "2027-03-15 13:00"), ("2027-11-08", "2027-11-08 14:00")])
        func aPostPlannedInNewYorkIsDueAtThatInstantAfterAClockChange(_ date: String, _ utc: String) throws {
            let owner = try Fixtures.user("Owner")
            try TestEnvironment.connectSuperuser(database: "herald").query(
                "UPDATE users SET time_zone = 'America/New_York' WHERE id = $1", [.int(owner.id)])
            let workspace = try Fixtures.workspace(owner: owner)
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let channel = try WorkerSupport.channel(workspace, "mastodon")
            let id = try Fixtures.post(workspace, author: owner, status: "approved", body: unique("Monday"), account: channel.id)
            let browser = try Fixtures.browser(for: owner)
            try browser.get("/w/\(workspace.slug)/posts/\(id)")
            #expect(try browser.post("/w/\(workspace.slug)/posts/\(id)/schedule", [("date", date), ("time", "09:00")]).status == 303)
            let due = try TestEnvironment.connectSuperuser(database: "herald").queryRow(
                """
                SELECT to_char(run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), run_at = p.scheduled_at
                FROM jobs j JOIN posts p ON p.id = (j.payload ->> 'post')::bigint
                WHERE p.id = $1 AND j.status = 'queued'
                """, [.int(id)])!
            #expect(try due.string(0) == utc)
            #expect(try due.bool(1), "the job is due when the post is scheduled")
            // A running worker leaves it alone until then.
            let worker = try WorkerProcess()
            usleep(800_000)
            worker.stop()
            #expect(try jobs(id) == ["queued": 1])
            #expect(try WorkerSupport.platformPosts(channel).isEmpty)
        }

        func balance(_ workspace: Fixtures.Workspace) throws -> Int {
            try TestEnvironment.connectSuperuser(database: "herald").queryRow(
                "SELECT coalesce((SELECT balance FROM credit_accounts WHERE workspace_id = $1), 0)", [.int(workspace.id)])!.int(0)
        }

        /// X is priced (publish_x 1, publish_x_link 2): charged once per target even when a 500 is
        /// retried, refunded when the target fails, refused before any call when the balance is short.
        @Test func publishingToXSpendsCreditsOnceAndRefundsFailures() throws {
            let owner = try Fixtures.user("Owner")
            let workspace = try Fixtures.workspace(owner: owner)
            defer { VaultSupport.dropWorkspaces([workspace.id]) }
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            _ = try Credits.grant(admin, workspace: workspace.id, amount: 3, key: "test:grant")
            let channel = try WorkerSupport.channel(workspace, "x")
            let worker = try WorkerProcess()
            defer { worker.stop() }
            func publish(_ text: String, faults: [String] = []) throws -> WorkerSupport.TargetState {
                if !faults.isEmpty { try WorkerSupport.control("/_control/faults", ["platform": "x", "faults": faults, "token": channel.token]) }
                let post = try WorkerSupport.scheduledPost(workspace, author: owner, text: unique(text), channels: [channel])
                try WorkerSupport.enqueue(workspace, post: post.post, targets: post.targets, channels: [channel])
                return try WorkerSupport.waitUntil(post.targets, in: ["published", "failed"])[0]
            }
            #expect(try publish("With a link https://example.com", faults: ["500"]).status == "published")
            #expect(try balance(workspace) == 1, "2 credits for a post with a link, once despite the retry")
            let failed = try publish("Plain text", faults: ["invalid"])
            #expect(failed.status == "failed")
            #expect(try balance(workspace) == 1, "the failed target's credit came back")
            let refused = try publish("Another link https://example.org")
            #expect(refused.status == "failed")
            #expect(refused.lastError?.contains("not enough credits: you have 1, this needs 2") == true, "\(refused)")
            #expect(try WorkerSupport.platformPosts(channel).count == 1, "only the paid post reached X")
            let sum = try admin.queryRow("SELECT sum(amount) FROM credit_entries WHERE workspace_id = $1", [.int(workspace.id)])!.int(0)
            #expect(sum == 1, "the ledger adds up to the balance")
        }
    }
}
