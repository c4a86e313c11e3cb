// The route table of herald-posts; nothing else registers routes.
import HeraldFastCGI
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/w/{slug}/posts", PostsList.show)
    r.get("/w/{slug}/posts.csv", PostsList.csv)
    r.get("/w/{slug}/posts/new", PostCreate.show)
    r.post("/w/{slug}/posts/new", PostCreate.create)
    r.get("/w/{slug}/posts/import", PostsImport.show)
    r.post("/w/{slug}/posts/import", PostsImport.upload)
    r.get("/w/{slug}/posts/{id}", PostShow.show)
    r.get("/w/{slug}/posts/{id}/edit", PostEdit.show)
    r.post("/w/{slug}/posts/{id}/edit", PostEdit.save)
    r.post("/w/{slug}/posts/{id}/submit", PostTransition.submit)
    r.post("/w/{slug}/posts/{id}/approve", PostTransition.approve)
    r.post("/w/{slug}/posts/{id}/reject", PostTransition.reject)
    r.post("/w/{slug}/posts/{id}/schedule", PostSchedule.schedule)
    r.post("/w/{slug}/posts/{id}/unschedule", PostTransition.unschedule)
    r.post("/w/{slug}/posts/{id}/delete", PostTransition.delete)
    r.get("/w/{slug}/campaigns", Campaigns.list)
    r.post("/w/{slug}/campaigns", Campaigns.create)
    r.get("/w/{slug}/campaigns/{id}", Campaigns.show)
    r.post("/w/{slug}/campaigns/{id}", Campaigns.update)
    r.post("/w/{slug}/campaigns/{id}/archive", Campaigns.archive)
    r.get("/w/{slug}/brand-rules", BrandRulesPage.show)
    r.post("/w/{slug}/brand-rules", BrandRulesPage.create)
    r.post("/w/{slug}/brand-rules/{id}/delete", BrandRulesPage.delete)
}

/// The `{id}` path parameter as a positive number; anything else is not found.
func idParameter(_ c: RequestContext, _ name: String = "id") throws -> Int {
    guard let id = Int(try c.parameter(name)), id > 0 else { throw HTTPError.notFound }
    return id
}
