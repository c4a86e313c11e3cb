// herald-analytics: how posts did on every channel over a date range (totals, engagement over
// time, follower growth, top posts, the best time to post), one post's curves, and the CSV of what
// the overview shows. Reads come from the replica when HERALD_READ_DATABASE_URL names one.
import HeraldWeb

App.main(name: "analytics", routes: addRoutes)
