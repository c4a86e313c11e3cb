// GET /admin/audit.csv: the filtered audit trail as CSV, newest first, read in batches; at most
// `limit` events (the page says so), with times in ISO 8601 and the details as stored (JSON).
import HeraldFastCGI
import HeraldSupport
import HeraldWeb

enum AuditExport {
    static let batchSize = 1000
    static let limit = 100_000

    static func csv(_ c: RequestContext) throws -> Response {
        let filter = try AuditFilter.parse(c)
        return try AdminGate.transaction(c) { _, db in
            var (query, _) = try filter.resolve(db)
            var body = CSV.record(
                [
                    "Event", "Time", "Action", "Actor id", "Actor email", "Workspace id", "Workspace slug", "Workspace deleted", "Target type",
                    "Target id", "IP", "Details",
                ].map { CSV.Field.text($0) })
            var written = 0
            while written < limit {
                let batch = try AuditStore.events(query, limit: min(batchSize, limit - written), db)
                for e in batch {
                    body += CSV.record([
                        .number(e.id), .text(e.isoTime), .text(e.action), .text(e.actorID.map(String.init)), .text(e.actorEmail),
                        .text(e.workspaceID.map(String.init)), .text(e.workspaceSlug), .text(e.workspaceDeleted ? "yes" : ""),
                        .text(e.targetType), .text(e.targetID.map(String.init)), .text(e.ip), .text(e.detailsJSON),
                    ])
                }
                written += batch.count
                guard batch.count == batchSize, let last = batch.last else { break }
                query.before = last.id
            }
            var response = Response.text(body, contentType: "text/csv; charset=utf-8")
            response.setHeader("Content-Disposition", "attachment; filename=\"herald-audit.csv\"")
            return response
        }
    }
}
