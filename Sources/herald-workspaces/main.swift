// herald-workspaces: creating and switching workspaces, members and roles, invitations, settings.
import HeraldCore

App.main(name: "workspaces", routes: addRoutes)
