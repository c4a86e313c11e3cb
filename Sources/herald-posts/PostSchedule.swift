// Scheduling an approved post: a date and time entered in the user's own time zone, stored as an
// instant plus that IANA zone. A time the clocks skip is refused with a clear message; a time they
// show twice takes its first occurrence (see LocalTime). In the same transaction the post's sends are
// queued for that instant, one job per channel (a reschedule cancels the ones queued before).
import HeraldBilling
import HeraldContent
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum PostSchedule {
    static func schedule(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let form = try c.form()
        return try c.inWorkspace(.schedulePosts) { access, db in
            let post = try PostTransition.load(.schedule, id, access, db)
            try PostTransition.refuseWhileSending(.schedule, post, access, db)
            let date = (form["date"] ?? "").trimmed
            let time = (form["time"] ?? "").trimmed
            let zone = access.user.timeZone
            guard try PublishingStore.targetCount(access.id, post: id, db) > 0 else {
                return try PostShow.respond(
                    c, access, post, db, scheduleError: "Choose at least one channel before scheduling.", scheduleDate: date, scheduleTime: time,
                    status: 422)
            }
            let resolved: ResolvedTime
            do {
                resolved = try LocalTime.resolve(date: date, time: time, zone: zone, db)
            } catch let error as LocalTimeError {
                return try PostShow.respond(c, access, post, db, scheduleError: error.message, scheduleDate: date, scheduleTime: time, status: 422)
            }
            guard try PostStore.isFuture(resolved.instant, db) else {
                return try PostShow.respond(
                    c, access, post, db, scheduleError: "Pick a time in the future.", scheduleDate: date, scheduleTime: time, status: 422)
            }
            // A newly scheduled post counts against the plan; rescheduling one does not.
            if post.status != .scheduled {
                do {
                    try PlanLimits.check(db, workspace: access.id, .scheduledPosts)
                } catch let limit as PlanLimitError {
                    return try PostShow.respond(
                        c, access, post, db, scheduleError: limit.message, scheduleDate: date, scheduleTime: time, status: limit.refusal.httpStatus)
                }
            }
            guard
                let version = try PostStore.transition(
                    access.id, post: id, from: post.status, to: .scheduled, scheduledAt: resolved.instant, zone: zone, db)
            else {
                throw PostTransition.changedMeanwhile
            }
            try PostTransition.queueSends(id, version: version, runAt: resolved.instant, access, db)
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: PostAction.schedule.auditAction, targetType: "post", targetID: id,
                details: ["from": post.status.rawValue, "to": "scheduled", "at": resolved.instant, "zone": zone, "local": "\(date) \(time)"]
                    .merging(resolved.wasAmbiguous ? ["ambiguous": "first occurrence"] : [:]) { $1 },
                ip: c.request.remoteAddress)
            return .redirect(to: access.path("/posts/\(id)?notice=scheduled"))
        }
    }
}
