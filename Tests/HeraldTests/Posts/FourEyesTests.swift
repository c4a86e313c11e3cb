// Whoever wrote the version under review cannot approve or reject it: not the author, and not an
// admin who edited someone else's post (issue 16, finding 8). Through nginx.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct FourEyesTests {
    @Test func theLastEditorCannotReviewTheirOwnChanges() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let admin = try Fixtures.user("Admin")
        let reviewer = try Fixtures.user("Reviewer")
        let w = try Fixtures.workspace(owner: owner, members: [(editor, .editor), (admin, .admin), (reviewer, .reviewer)])
        let post = try Fixtures.post(w, author: editor, status: "in_review")
        // The admin changed the editor's text (version 2 is theirs), and it is in review again.
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        try db.query("UPDATE posts SET body = 'Changed by the admin', version = 2 WHERE id = $1", [.int(post)])
        try db.query(
            "INSERT INTO post_revisions (workspace_id, post_id, version, body, editor_id) VALUES ($1, $2, 2, 'Changed by the admin', $3)",
            [.int(w.id), .int(post), .int(admin.id)])

        let path = "/w/\(w.slug)/posts/\(post)"
        let asAdmin = try Fixtures.browser(for: admin)
        try asAdmin.get(path)
        for action in ["approve", "reject"] {
            let refused = try asAdmin.post(path + "/" + action, [("comment", "fine by me")])
            #expect(refused.status == 403, "\(action)")
            #expect(refused.body.contains("You edited this version"))
        }
        #expect(try Fixtures.postState(post)?.status == "in_review", "nothing changed")
        // The author of the post did not write this version, but is still its author: refused too.
        let asEditor = try Fixtures.browser(for: editor)
        try asEditor.get(path)
        #expect(try asEditor.post(path + "/approve", []).status == 403)
        // Someone else may.
        let asReviewer = try Fixtures.browser(for: reviewer)
        try asReviewer.get(path)
        #expect(try asReviewer.post(path + "/approve", []).status == 303)
        #expect(try Fixtures.postState(post)?.status == "approved")
    }
}
