// Jobs whose worker died or lost its connection: their lease ran out while they were running. A
// send that may have started is never repeated blindly: its target becomes unconfirmed and a
// reconcile asks the platform. Anything that had not started goes back to the queue.
import HeraldDatabase
import HeraldQueue
import HeraldSupport

struct Rescue {
    let services: WorkerServices
    let db: Connection
    var worker: String { services.settings.workerID }

    func expiredLeases() throws {
        for job in try Jobs.expired(db) {
            guard try Jobs.takeOver(db, job, worker: worker, leaseSeconds: services.settings.leaseSeconds) else { continue }
            let result: String
            switch job.kind {
            case JobKind.publish, JobKind.reconcile: result = try rescueSend(job)
            default:
                try db.transaction(workspace: job.workspaceID) { db in
                    _ = try Jobs.retry(db, job, worker: worker, at: "now", error: "its worker stopped; queued again")
                }
                result = "queued again"
            }
            Log.warn("rescued a job whose lease expired", ["id": String(job.id), "kind": job.kind, "result": result])
        }
    }

    func rescueSend(_ job: Job) throws -> String {
        guard let targetID = job.int("target") else {
            try db.transaction(workspace: job.workspaceID) { db in _ = try Jobs.kill(db, job, worker: worker, error: "the job names no target") }
            return "dead"
        }
        return try db.transaction(workspace: job.workspaceID) { db in
            guard let target = try PublishStore.lockTarget(db, workspace: job.workspaceID, target: targetID) else {
                _ = try Jobs.complete(db, job, worker: worker, note: "the target no longer exists")
                return "target gone"
            }
            switch target.status {
            case "publishing":
                try PublishStore.unconfirmed(
                    db, workspace: job.workspaceID, target: targetID,
                    reason: "The worker stopped during the send; Herald is asking the platform whether it went out.")
                try PublishJob(services: services, db: db).enqueueReconcile(db, workspace: job.workspaceID, target: target)
                _ = try Jobs.complete(db, job, worker: worker, note: "its worker stopped during the send; reconciling")
                return "reconciling"
            case "pending", "unconfirmed":
                // The send had not started (or a reconcile had not): run the job again.
                _ = try Jobs.retry(db, job, worker: worker, at: "now", error: "its worker stopped before sending; queued again")
                return "queued again"
            default:
                _ = try Jobs.complete(db, job, worker: worker, note: "the target is \(target.status)")
                return "target \(target.status)"
            }
        }
    }
}
