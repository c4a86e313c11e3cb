// Deleting a source: its text and its links to personas go (a profile learned from it stays), and
// a fetch that has not started is canceled.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum SourceDelete {
    static func delete(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.writePosts) { access, db in
            guard let title = try SourceStore.delete(access.id, id: id, db) else { throw HTTPError.notFound }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "source.deleted", targetType: "source", targetID: id,
                details: ["title": title], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/sources?notice=source-deleted"))
        }
    }
}
