// The route table of herald-channels; nothing else registers routes.
import HeraldContent
import HeraldFastCGI
import HeraldWeb

func addRoutes(_ r: inout Router<Handler>) {
    r.get("/w/{slug}/channels", ChannelsPage.show)
    r.post("/w/{slug}/channels/connect/bluesky", BlueskyConnect.connect)
    r.post("/w/{slug}/channels/connect/{platform}", ConnectStart.start)
    r.post("/w/{slug}/channels/{id}/reconnect", ChannelReconnect.start)
    r.post("/w/{slug}/channels/{id}/disconnect", ChannelDisconnect.disconnect)
    r.get("/oauth/{platform}/callback", OAuthCallback.handle)
}

/// The `{id}` path parameter as a positive number; anything else is not found.
func idParameter(_ c: RequestContext) throws -> Int {
    guard let id = Int(try c.parameter("id")), id > 0 else { throw HTTPError.notFound }
    return id
}

/// The `{platform}` path parameter, one Herald connects with OAuth 2.0 (not Bluesky); else not found.
func oauthPlatform(_ c: RequestContext) throws -> Platform {
    guard let platform = Platform(rawValue: try c.parameter("platform")), platform != .bluesky else { throw HTTPError.notFound }
    return platform
}
