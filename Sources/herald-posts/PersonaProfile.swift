// A person writes or edits a persona's style profile (marked as edited by a person; empty removes
// it). A refused one shows the page again with the text entered and the message.
import HeraldFastCGI
import HeraldIdentity
import HeraldSupport
import HeraldWeb

enum PersonaProfile {
    static let maxLength = 5000

    static func save(_ c: RequestContext) throws -> Response {
        let id = try idParameter(c)
        let profile = (try c.form()["profile"] ?? "").trimmed
        return try c.inWorkspace(.writePosts) { access, db in
            guard profile.count <= maxLength else {
                return try PersonaShow.respond(
                    c, access, db, id: id, profile: profile,
                    error: ("profile", "Keep the profile to 5,000 characters (it has \(profile.count))."), status: 422)
            }
            guard try PersonaStore.saveProfile(access.id, id: id, profile: profile, db) else { throw HTTPError.notFound }
            try Audit.record(
                db, workspace: access.id, actor: access.user.id, action: "persona.profile_edited", targetType: "persona", targetID: id,
                details: ["characters": String(profile.count)], ip: c.request.remoteAddress)
            return .redirect(to: access.path("/personas/\(id)?notice=persona-profile-saved"))
        }
    }
}
