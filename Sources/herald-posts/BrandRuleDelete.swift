// Deleting a brand rule.
import HeraldFastCGI
import HeraldIdentity
import HeraldWeb

enum BrandRuleDelete {
    static func delete(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        return try c.inWorkspace(.editSettings) { access, db in
            guard try BrandRuleStore.delete(access.id, id: id, db) else { throw HTTPError.notFound }
            return .redirect(to: access.path("/brand-rules?notice=rule-deleted"))
        }
    }
}
