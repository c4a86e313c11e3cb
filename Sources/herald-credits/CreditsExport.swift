// /w/{slug}/credits.csv (and /w/{slug}/credits?format=csv): the whole ledger, oldest first, as CSV
// with the dates in the viewer's time zone (ISO 8601 with offset), offered as a download.
import HeraldFastCGI
import HeraldSupport
import HeraldWeb

enum CreditsExport {
    static let batchSize = 1000

    static func csv(_ c: RequestContext) throws -> Response {
        try c.inWorkspace(.viewCredits) { access, db in
            try LedgerStore.useTimeZone(access.user.timeZone, db)
            var body = CSV.record(
                ["Entry", "Date", "Kind", "Amount", "Balance after", "Reference", "Note", "Who", "Idempotency key"]
                    .map { CSV.Field.text($0) })
            var after: (created: String, id: Int)?
            while true {
                let batch = try LedgerStore.batch(access.id, after: after, limit: batchSize, db)
                for (line, _) in batch {
                    body += CSV.record([
                        .number(line.id), .text(line.date), .text(line.kind.rawValue), .number(line.amount),
                        .number(line.balanceAfter), .text(line.reference), .text(line.note),
                        .text(line.who ?? "Herald"), .text(line.key),
                    ])
                }
                guard batch.count == batchSize, let last = batch.last else { break }
                after = (last.created, last.line.id)
            }
            var response = Response.text(body, contentType: "text/csv; charset=utf-8")
            // The slug is [a-z0-9-] and the date digits: nothing to escape in the header.
            response.setHeader("Content-Disposition", "attachment; filename=\"herald-\(access.slug)-credits-\(try LedgerStore.today(db)).csv\"")
            return response
        }
    }
}
