// herald-posts: campaigns, posts and their approval workflow, search, CSV import and export,
// and the workspace's brand rules.
import HeraldWeb

App.main(name: "posts", routes: addRoutes)
