// The route table of herald-workspaces; nothing else registers routes.
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/w", WorkspaceList.show)
    r.get("/w/new", WorkspaceCreate.show)
    r.post("/w/new", WorkspaceCreate.create)
    r.get("/w/{slug}", Dashboard.show)
    r.get("/w/{slug}/members", Members.show)
    r.post("/w/{slug}/members/invite", MemberInvite.create)
    r.post("/w/{slug}/members/{user}/role", MemberRole.update)
    r.post("/w/{slug}/members/{user}/remove", MemberRemove.destroy)
    r.post("/w/{slug}/invitations/{id}/revoke", InvitationRevoke.revoke)
    r.post("/w/{slug}/leave", WorkspaceLeave.leave)
    r.post("/w/{slug}/transfer", OwnershipTransfer.transfer)
    r.get("/w/{slug}/settings", Settings.show)
    r.post("/w/{slug}/settings", Settings.update)
    r.post("/w/{slug}/delete", WorkspaceDelete.destroy)
    r.get("/invitations/{token}", InvitationAccept.show)
    r.post("/invitations/{token}", InvitationAccept.accept)
}
