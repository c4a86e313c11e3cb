// The route table of herald-posts; nothing else registers routes.
import HeraldFastCGI
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/w/{slug}/posts", PostsList.show)
    r.get("/w/{slug}/posts.csv", PostsExport.csv)
    r.get("/w/{slug}/posts/new", PostCreate.show)
    r.post("/w/{slug}/posts/new", PostCreate.create)
    r.get("/w/{slug}/posts/import", PostsImport.show)
    r.post("/w/{slug}/posts/import", PostsImport.upload)
    r.get("/w/{slug}/posts/{id}", PostShow.show)
    r.get("/w/{slug}/posts/{id}/edit", PostEdit.show)
    r.post("/w/{slug}/posts/{id}/edit", PostEdit.save)
    r.post("/w/{slug}/posts/{id}/submit", PostSubmit.submit)
    r.post("/w/{slug}/posts/{id}/approve", PostApprove.approve)
    r.post("/w/{slug}/posts/{id}/reject", PostReject.reject)
    r.post("/w/{slug}/posts/{id}/schedule", PostSchedule.schedule)
    r.post("/w/{slug}/posts/{id}/unschedule", PostUnschedule.unschedule)
    r.post("/w/{slug}/posts/{id}/delete", PostDelete.delete)
    r.get("/w/{slug}/campaigns", CampaignList.show)
    r.post("/w/{slug}/campaigns", CampaignCreate.create)
    r.get("/w/{slug}/campaigns/{id}", CampaignShow.show)
    r.post("/w/{slug}/campaigns/{id}", CampaignUpdate.update)
    r.post("/w/{slug}/campaigns/{id}/archive", CampaignArchive.archive)
    r.get("/w/{slug}/campaigns/{id}/drafts", DraftsPage.show)
    r.post("/w/{slug}/campaigns/{id}/drafts", DraftGenerate.generate)
    r.post("/w/{slug}/drafts/{id}/approve", DraftReview.approve)
    r.post("/w/{slug}/drafts/{id}/reject", DraftReview.reject)
    r.get("/w/{slug}/sources", SourcesPage.show)
    r.post("/w/{slug}/sources", SourceCreate.create)
    r.get("/w/{slug}/sources/{id}", SourceShow.show)
    r.post("/w/{slug}/sources/{id}/delete", SourceDelete.delete)
    r.get("/w/{slug}/personas", PersonasPage.show)
    r.post("/w/{slug}/personas", PersonaCreate.create)
    r.get("/w/{slug}/personas/{id}", PersonaShow.show)
    r.post("/w/{slug}/personas/{id}", PersonaUpdate.update)
    r.post("/w/{slug}/personas/{id}/sources", PersonaSourceLink.link)
    r.post("/w/{slug}/personas/{id}/sources/{source}/unlink", PersonaSourceLink.unlink)
    r.post("/w/{slug}/personas/{id}/profile", PersonaProfile.save)
    r.post("/w/{slug}/personas/{id}/learn", PersonaLearn.learn)
    r.post("/w/{slug}/personas/{id}/archive", PersonaArchive.archive)
    r.post("/w/{slug}/personas/{id}/restore", PersonaArchive.restore)
    r.get("/w/{slug}/brand-rules", BrandRulesShow.show)
    r.post("/w/{slug}/brand-rules", BrandRuleCreate.create)
    r.post("/w/{slug}/brand-rules/{id}/delete", BrandRuleDelete.delete)
    r.get("/w/{slug}/publishing", PublishingShow.show)
    r.post("/w/{slug}/publishing/{id}/retry", TargetRetry.retry)
    r.post("/w/{slug}/publishing/{id}/cancel", TargetCancel.cancel)
    r.post("/w/{slug}/publishing/{id}/live", TargetMarkLive.markLive)
}

/// The `{id}` path parameter as a positive number; anything else is not found.
func idParameter(_ c: RequestContext, _ name: String = "id") throws -> Int {
    guard let id = Int(try c.parameter(name)), id > 0 else { throw HTTPError.notFound }
    return id
}
