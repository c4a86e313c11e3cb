// Deleting a workspace: the owner types its name; everything in it goes with it (cascades).
import HeraldFastCGI
import HeraldSupport
import HeraldWeb

enum WorkspaceDelete {
    static func destroy(_ c: RequestContext) throws -> Response {
        let typed = (try c.form()["confirm_name"] ?? "").trimmed
        return try c.inWorkspace(.deleteWorkspace) { access, db in
            guard typed == access.workspace.name else {
                let error =
                    typed.isEmpty
                    ? "Type the workspace's name to confirm." : "That is not the workspace's name. Type it exactly: \(access.workspace.name)"
                return try Settings.respond(
                    c, access, db, name: access.workspace.name, timeZone: access.workspace.timeZone,
                    errors: ["confirm_name": error], status: 422)
            }
            try WorkspaceStore.delete(access.id, db)
            // Everything in it goes, except its audit trail: kept, detached, for the site admins.
            Log.info("workspace deleted", ["workspace": String(access.id), "user": String(access.user.id)])
            return .redirect(to: "/w?notice=deleted")
        }
    }
}
