// "Retry now" on the publishing page: a failed send goes back to pending with a new job due now
// (keyed by its attempts, so a second click queues nothing more); a pending one's queued job is
// made due now; an unconfirmed one is checked with the platform again (a reconcile job, which
// sends only when the post is certainly not there). The post's status follows its targets again.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldQueue
import HeraldWeb

enum TargetRetry {
    static func retry(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.schedulePosts) { access, db in
            let target = try PublishingActions.load(.retry, id, access, db)
            if target.status == .unconfirmed {
                // Never a blind resend: ask the platform again (a reconcile sends only if the post is
                // certainly not there).
                try queue(target, kind: PublishingStore.reconcileKind, key: "reconcile:\(target.id):manual\(target.attempts)", access, db)
            } else if target.status == .failed {
                guard let attempts = try PublishingStore.retryFailed(access.id, target: id, db) else { throw PublishingActions.changedMeanwhile }
                try queue(target, attempts: attempts, access, db)
                try PublishingStore.refreshPost(access.id, post: target.postID, db)
            } else if try !PublishingStore.sendNow(access.id, target: id, post: target.postID, db) {
                // Its send is due already (a second click): nothing more to do. With none queued at
                // all (its job ended, or was never made), queue one.
                guard try !PublishingStore.hasOpenSend(access.id, target: id, post: target.postID, db) else {
                    return PublishingActions.back(access, notice: "sending-now")
                }
                try queue(target, attempts: target.attempts, access, db)
            }
            try PublishingActions.record(.retry, target, access, db, c)
            return PublishingActions.back(access, notice: "sending-now")
        }
    }

    /// One job due now for the target; a key used before (the target failed again without a new
    /// attempt, e.g. while its account needed reconnecting) queues that job again.
    static func queue(_ target: PublishingTarget, attempts: Int, _ access: WorkspaceAccess, _ db: Connection) throws {
        try queue(target, kind: PublishingStore.publishKind, key: "post_target:\(target.id):retry\(attempts)", access, db)
    }

    static func queue(_ target: PublishingTarget, kind: String, key: String, _ access: WorkspaceAccess, _ db: Connection) throws {
        let payload = [
            "post": String(target.postID), "target": String(target.id), "version": String(target.postVersion), "account": String(target.accountID),
        ]
        if try Jobs.enqueue(
            db, workspace: access.id, kind: kind, payload: payload, key: key, serialKey: "account:\(target.accountID)")
            == nil
        {
            _ = try PublishingStore.requeue(access.id, key: key, db)
        }
    }
}
