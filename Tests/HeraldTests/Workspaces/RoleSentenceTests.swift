import Testing

// A role named in a sentence: "an editor", never "a editor". Role.withArticle and Role.youAre(in:)
// are the one place that picks the article; the dashboard and the 403 page say it through nginx.
@testable import HeraldIdentity

@Suite struct RoleSentenceTests {
    static let sentences: [(Role, String)] = [
        (.owner, "You are an owner in Acme Coffee."),
        (.admin, "You are an admin in Acme Coffee."),
        (.editor, "You are an editor in Acme Coffee."),
        (.reviewer, "You are a reviewer in Acme Coffee."),
        (.viewer, "You are a viewer in Acme Coffee."),
    ]

    @Test(arguments: sentences)
    func theSentenceHasTheRightArticle(_ role: Role, _ sentence: String) {
        #expect(role.youAre(in: "Acme Coffee") == sentence)
    }

    @Test func everyRoleHasItsSentence() {
        #expect(Set(Self.sentences.map(\.0)) == Set(Role.allCases))
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct RoleSentencePageTests {
    @Test func theDashboardAndTheRefusalSayAnEditor() throws {
        let owner = try Fixtures.user("Owner")
        let editor = try Fixtures.user("Editor")
        let workspace = try Fixtures.workspace(owner: owner, members: [(editor, .editor)])
        let browser = try Fixtures.browser(for: editor)
        let dashboard = try browser.get("/w/\(workspace.slug)/")
        #expect(dashboard.status == 200)
        #expect(dashboard.body.contains("You are an editor here."))
        let settings = try browser.get("/w/\(workspace.slug)/settings")
        #expect(settings.status == 403)
        #expect(settings.body.contains("You are an editor in \(workspace.name)."))
    }
}
