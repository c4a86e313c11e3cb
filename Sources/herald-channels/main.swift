// herald-channels: the workspace's social accounts: connecting them (OAuth 2.0 with PKCE, Mastodon
// on any instance, Bluesky app passwords), reconnecting, disconnecting, and the OAuth callbacks.
import HeraldWeb

ChannelSetup.load()
App.main(name: "channels", routes: addRoutes)
