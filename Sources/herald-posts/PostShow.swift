// A post's page: loads the post, its channels, its history and revisions (and the schedule form's
// default time when the viewer may schedule it), then renders PostShowView.
import HeraldContent
import HeraldDatabase
import HeraldFastCGI
import HeraldHTML
import HeraldIdentity
import HeraldWeb

enum PostShow {
    static func show(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.view) { access, db in
            guard let post = try PostStore.find(access.id, id: id, timeZone: access.user.timeZone, db) else { throw HTTPError.notFound }
            return try respond(c, access, post, db, flash: Notice.from(c))
        }
    }

    /// Loads everything the post's page shows and renders it: for the page itself, and for an action
    /// that refuses with a message on the page (brand issues, a rejection without comment, a bad time).
    static func respond(
        _ c: RequestContext, _ access: WorkspaceAccess, _ post: PostRecord, _ db: Connection, flash: Flash? = nil,
        issues: [BrandIssue] = [], reviewError: String? = nil, scheduleError: String? = nil,
        scheduleDate: String? = nil, scheduleTime: String? = nil, status: Int = 200
    ) throws -> Response {
        let targets = try PostStore.targets(access.id, post: post.id, timeZone: access.user.timeZone, db)
        // Only a viewer who may schedule sees the schedule form, so only then are its defaults worth a query.
        let maySchedule = PostAction.schedule.refusal(status: post.status, role: access.role, userIsAuthor: post.authorID == access.user.id) == nil
        let defaults = try maySchedule ? PostStore.scheduleDefaults(access.id, post: post.id, timeZone: access.user.timeZone, db) : nil
        let page = PostShowView.Page(
            post: post, targets: targets,
            events: try PostHistoryStore.events(access.id, post: post.id, timeZone: access.user.timeZone, db),
            revisions: try PostHistoryStore.revisions(access.id, post: post.id, timeZone: access.user.timeZone, db),
            scheduleDate: scheduleDate ?? defaults?.date ?? "", scheduleTime: scheduleTime ?? defaults?.time ?? "09:00")
        let body = PostShowView.html(
            access, page, csrf: Layout.csrfField(try c.csrfToken()), issues: issues, reviewError: reviewError,
            scheduleError: scheduleError, selectedRevision: c.request.query["diff"].flatMap(Int.init))
        return try c.page("\(post.displayTitle) · \(access.workspace.name)", flash: flash, current: access.path("/posts"), status: status, body)
    }
}
