// The route table of herald-admin; nothing else registers routes. Every page and action is for site
// admins only (AdminGate): anyone else gets 404, POSTs included.
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/admin", Overview.show)
    r.get("/admin/confirm", Sudo.show)
    r.post("/admin/confirm", Sudo.confirm)

    r.get("/admin/users", UsersPage.show)
    r.get("/admin/users/{id}", UserShow.show)
    r.post("/admin/users/{id}/lock", UserActions.lock)
    r.post("/admin/users/{id}/unlock", UserActions.unlock)
    r.post("/admin/users/{id}/sessions/end", UserActions.endSessions)
    r.post("/admin/users/{id}/verification", UserActions.resendVerification)
    r.post("/admin/users/{id}/delete", UserDelete.destroy)

    r.get("/admin/workspaces", WorkspacesPage.show)
    r.get("/admin/workspaces/{id}", WorkspaceShow.show)
    r.post("/admin/workspaces/{id}/credits", CreditsChange.record)

    r.get("/admin/jobs", JobsPage.show)
    r.post("/admin/jobs/{id}/retry", JobActions.retry)
    r.post("/admin/jobs/{id}/discard", JobActions.discard)

    r.get("/admin/audit", AuditPage.show)
    r.get("/admin/audit.csv", AuditExport.csv)

    r.get("/admin/keys", KeysPage.show)
    r.get("/admin/health", HealthPage.show)

    // Prometheus' scrape: only nginx's local-only metrics server routes here (README: "Metrics for Prometheus").
    r.get("/metrics", MetricsEndpoint.show)
}
