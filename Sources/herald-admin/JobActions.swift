// POST /admin/jobs/{id}/retry and /admin/jobs/{id}/discard: a dead job back to the queue (attempts
// reset, due now) or discarded (canceled). Sensitive (sudo mode); the row-level security policy
// site_admin_requeue allows exactly these moves of a dead job. The audit event is the job's
// workspace's.
import HeraldDatabase
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum JobActions {
    static func retry(_ c: RequestContext) throws -> Response {
        try act(c, action: "admin.job_retried", notice: "job-retried", JobStore.retry)
    }

    static func discard(_ c: RequestContext) throws -> Response {
        try act(c, action: "admin.job_discarded", notice: "job-discarded", JobStore.discard)
    }

    static func act(_ c: RequestContext, action: String, notice: String, _ change: (Int, Connection) throws -> Bool) throws -> Response {
        let id = try Param.id(c, "job")
        let back = "/admin/jobs"
        return try AdminGate.transaction(c) { admin, db in
            guard let job = try JobStore.find(id, db) else { throw HTTPError(404, "Not found", "There is no job \(id).") }
            try AdminGate.requireSudo(admin, db, returnTo: back)
            guard job.status == "dead", try change(id, db) else {
                throw HTTPError(409, "Not a dead job", "Job \(id) is \(job.status), not dead: only dead jobs are retried or discarded here.")
            }
            try AdminGate.actInWorkspace(job.workspaceID, db)
            try Audit.record(
                db, workspace: job.workspaceID, actor: admin.id, action: action, targetType: "job", targetID: id,
                details: ["kind": job.kind], ip: c.request.remoteAddress)
            return .redirect(to: "\(back)?notice=\(notice)")
        }
    }
}
