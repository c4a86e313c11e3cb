// GET /admin/jobs: the queue by kind and status, the oldest due job's age, and the dead jobs with
// their last error, newest first, 25 a page (optionally of one kind), each with retry and discard.
import HeraldFastCGI
import HeraldWeb

enum JobsPage {
    static func show(_ c: RequestContext) throws -> Response {
        let kind = try Param.text(c, "kind", limit: 50)
        guard kind.utf8.allSatisfy({ (97...122).contains($0) || $0 == 95 }) else {
            throw HTTPError.badRequest("A job kind is lowercase letters and _, like publish_post_target.")
        }
        let page = try Param.page(c)
        return try AdminGate.transaction(c) { user, db in
            let total = try JobStore.deadCount(kind: kind, db)
            try Param.requireExists(page: page, total: total, pageSize: JobStore.pageSize, "the dead jobs")
            let view = JobsView.Model(
                counts: try JobStore.counts(db), due: try JobStore.due(db), kind: kind, page: page, deadTotal: total,
                dead: try JobStore.dead(kind: kind, page: page, db))
            return try AdminPage.render(c, user, db, .jobs, title: "Job queue", JobsView.render(view, csrf: try AdminPage.csrf(c)))
        }
    }
}
