// herald-calendar: the month, week and day views of a workspace's posts in the viewer's time zone,
// and the secret iCal feeds calendar apps subscribe to.
import HeraldWeb

App.main(name: "calendar", routes: addRoutes)
