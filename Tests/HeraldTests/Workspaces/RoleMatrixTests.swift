// Every role × every workspace action, through nginx: allowed or refused exactly as the role
// table says (Sources/HeraldCore/Auth/Roles.swift). Each cell gets a fresh workspace, so no cell
// depends on another's changes.
import Foundation
import Testing

@testable import HeraldCrypto
@testable import HeraldIdentity

/// One thing a member can try on the workspace pages, with how to try it.
struct MatrixAction: CustomTestStringConvertible, Sendable {
    let name: String
    /// The roles that may; everyone else gets 403.
    let allowed: Set<Role>
    /// Status an allowed request answers with.
    let success: Int
    /// Runs the request as `browser` in `workspace`; `subject` is a viewer member to act on.
    let run: @Sendable (Browser, Fixtures.Workspace, Fixtures.User) throws -> HTTPResponse

    var testDescription: String { name }

    static let all: [MatrixAction] = [
        MatrixAction(name: "view dashboard", allowed: Set(Role.allCases), success: 200) { b, w, _ in try b.get("/w/\(w.slug)/") },
        MatrixAction(name: "view members", allowed: Set(Role.allCases), success: 200) { b, w, _ in try b.get("/w/\(w.slug)/members") },
        MatrixAction(name: "invite", allowed: WorkspaceAction.manageMembers.allowedRoles, success: 303) { b, w, _ in
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/members/invite", [("email", TestEnvironment.uniqueEmail("invitee")), ("role", "editor")])
        },
        MatrixAction(name: "change role", allowed: WorkspaceAction.manageMembers.allowedRoles, success: 303) { b, w, subject in
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/members/\(subject.id)/role", [("role", "reviewer")])
        },
        MatrixAction(name: "remove member", allowed: WorkspaceAction.manageMembers.allowedRoles, success: 303) { b, w, subject in
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/members/\(subject.id)/remove", [])
        },
        MatrixAction(name: "revoke invitation", allowed: WorkspaceAction.manageMembers.allowedRoles, success: 303) { b, w, _ in
            let admin = try TestEnvironment.connectSuperuser(database: "herald")
            let id = try admin.queryRow(
                """
                INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at)
                VALUES ($1, $2, 'viewer', $3, now() + interval '7 days') RETURNING id
                """, [.int(w.id), .text(TestEnvironment.uniqueEmail("pending")), .bytes(Sodium.randomBytes(32))])!.int(0)
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/invitations/\(id)/revoke", [])
        },
        MatrixAction(name: "view settings", allowed: WorkspaceAction.editSettings.allowedRoles, success: 200) { b, w, _ in
            try b.get("/w/\(w.slug)/settings")
        },
        MatrixAction(name: "save settings", allowed: WorkspaceAction.editSettings.allowedRoles, success: 303) { b, w, _ in
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/settings", [("name", "Renamed"), ("time_zone", "Europe/Paris")])
        },
        MatrixAction(name: "transfer ownership", allowed: WorkspaceAction.transferOwnership.allowedRoles, success: 303) { b, w, subject in
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/transfer", [("user", String(subject.id))])
        },
        MatrixAction(name: "delete workspace", allowed: WorkspaceAction.deleteWorkspace.allowedRoles, success: 303) { b, w, _ in
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/delete", [("confirm_name", w.name)])
        },
        // Every member may leave, except the owner (409: transfer ownership first).
        MatrixAction(name: "leave", allowed: [.admin, .editor, .reviewer, .viewer], success: 303) { b, w, _ in
            try b.get("/w/\(w.slug)/")
            return try b.post("/w/\(w.slug)/leave", [])
        },
    ]
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct RoleMatrixTests {
    @Test(arguments: MatrixAction.all, Role.allCases)
    func roleMayDoExactlyWhatTheTableSays(_ action: MatrixAction, _ role: Role) throws {
        let owner = try Fixtures.user("Owner")
        let subject = try Fixtures.user("Subject")
        var members: [(Fixtures.User, Role)] = [(subject, .viewer)]
        let actor: Fixtures.User
        if role == .owner {
            actor = owner
        } else {
            actor = try Fixtures.user(role.label)
            members.append((actor, role))
        }
        let workspace = try Fixtures.workspace(owner: owner, members: members)
        let response = try action.run(try Fixtures.browser(for: actor), workspace, subject)
        if action.allowed.contains(role) {
            #expect(response.status == action.success, "\(role.rawValue) → \(action.name): \(response.status)")
        } else if action.name == "leave" {
            #expect(response.status == 409, "the owner cannot leave: \(response.status)")
            #expect(response.body.contains("Transfer ownership first"))
        } else {
            #expect(response.status == 403, "\(role.rawValue) → \(action.name): \(response.status)")
            #expect(response.body.contains("Not allowed"))
            #expect(response.body.contains("You are a") || response.body.contains("You are an"), "the page says why")
        }
    }

    @Test func theRoleTableMatchesTheIssue() {
        #expect(Role.owner.may(.deleteWorkspace) && Role.owner.may(.manageBilling))
        #expect(Role.admin.may(.manageMembers) && Role.admin.may(.manageChannels) && Role.admin.may(.editSettings) && Role.admin.may(.reviewPosts))
        #expect(!Role.admin.may(.deleteWorkspace) && !Role.admin.may(.manageBilling))
        #expect(Role.editor.may(.writePosts) && Role.editor.may(.schedulePosts) && !Role.editor.may(.reviewPosts))
        #expect(Role.reviewer.may(.reviewPosts) && Role.reviewer.may(.comment) && !Role.reviewer.may(.writePosts))
        #expect(WorkspaceAction.allCases.filter { Role.viewer.may($0) } == [.view])
        for action in WorkspaceAction.allCases { #expect(Role.owner.may(action), "the owner may \(action)") }
    }
}
