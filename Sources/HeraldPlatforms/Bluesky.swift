// Bluesky (AT Protocol) sessions from an app password: createSession signs in, refreshSession
// renews the access JWT with the refresh JWT, deleteSession ends the session on disconnect.
import Foundation
import HeraldCrypto

/// A signed-in Bluesky session.
public struct BlueskySession: Sendable {
    public let did: String
    public let handle: String
    public let tokens: TokenSet

    /// The account as Herald stores it: the DID is stable, the handle may change.
    public var profile: AccountProfile { AccountProfile(externalID: did, handle: "@" + handle, displayName: nil) }
}

public enum Bluesky {
    /// Signs in with a handle (or email) and an app password.
    public static func createSession(service: String, identifier: String, password: String, http: HTTPFetch) throws(OAuthError) -> BlueskySession {
        let response = try call { () throws(FetchError) -> FetchResponse in
            try http.postJSON(service + "/xrpc/com.atproto.server.createSession", ["identifier": identifier, "password": password])
        }
        if response.status == 401 || response.status == 400 {
            throw .refused("Bluesky did not accept this handle and app password\(errorCode(response).map { " (\($0))" } ?? "")")
        }
        return try session(response, "createSession")
    }

    /// New access and refresh JWTs for a refresh JWT; an expired or revoked one is `invalidGrant`.
    public static func refreshSession(service: String, refreshJWT: String, http: HTTPFetch) throws(OAuthError) -> BlueskySession {
        let response = try call { () throws(FetchError) -> FetchResponse in
            try http.send("POST", service + "/xrpc/com.atproto.server.refreshSession", headers: [("Authorization", "Bearer " + refreshJWT)])
        }
        if response.status == 400 || response.status == 401 {
            throw .invalidGrant("Bluesky refused the refresh token\(errorCode(response).map { ": \($0)" } ?? "")")
        }
        return try session(response, "refreshSession")
    }

    /// Ends the session the refresh JWT belongs to.
    public static func deleteSession(service: String, refreshJWT: String, http: HTTPFetch) throws(OAuthError) {
        let response = try call { () throws(FetchError) -> FetchResponse in
            try http.send("POST", service + "/xrpc/com.atproto.server.deleteSession", headers: [("Authorization", "Bearer " + refreshJWT)])
        }
        guard (200..<300).contains(response.status) else {
            throw .refused("Bluesky refused to end the session (HTTP \(response.status)\(errorCode(response).map { ": \($0)" } ?? ""))")
        }
    }

    private static func call(_ body: () throws(FetchError) -> FetchResponse) throws(OAuthError) -> FetchResponse {
        do {
            return try body()
        } catch {
            throw .unreachable("Bluesky could not be reached: \(error)")
        }
    }

    private static func session(_ response: FetchResponse, _ method: String) throws(OAuthError) -> BlueskySession {
        guard response.status == 200, let json = response.json, let did = json.string("did"), let handle = json.string("handle"),
            let access = json.string("accessJwt"), let refresh = json.string("refreshJwt")
        else {
            throw .unexpected("Bluesky's \(method) answered HTTP \(response.status) without a session")
        }
        return BlueskySession(
            did: did, handle: handle,
            tokens: TokenSet(accessToken: access, refreshToken: refresh, expiresIn: secondsLeft(jwt: access)))
    }

    private static func errorCode(_ response: FetchResponse) -> String? { response.json?.string("error") }

    /// Seconds until the JWT's `exp` claim (read without verifying: it only schedules the refresh).
    static func secondsLeft(jwt: String) -> Int? {
        let parts = jwt.split(separator: ".")
        guard parts.count == 3, let payload = Sodium.base64URLDecode(String(parts[1])),
            let exp = JSONObject(parsing: payload)?.int("exp")
        else { return nil }
        let left = exp - Int(Date().timeIntervalSince1970)
        return left > 0 ? left : nil
    }
}
