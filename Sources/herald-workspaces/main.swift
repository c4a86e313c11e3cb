// herald-workspaces: creating and switching workspaces, members and roles, invitations, settings.
import HeraldWeb

App.main(name: "workspaces", routes: addRoutes)
