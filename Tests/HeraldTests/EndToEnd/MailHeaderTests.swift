// Mail header injection: names refuse control characters, the mailer's head cannot carry a
// line break from a value, the recipient reaches the mail command as an argument, and the
// longest names still fit the outbox subject.
import Foundation
import Testing

@testable import HeraldDatabase
@testable import HeraldIdentity
@testable import HeraldSupport

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"))
struct MailHeaderTests {
    static let injected = "Eve\r\nBcc: victim@example.com"
    static let refusal = "Names can&#39;t contain line breaks or control characters."

    @Test func signUpAndAccountRefuseNamesWithControlCharacters() throws {
        let browser = Browser()
        try browser.get("/signup")
        let email = TestEnvironment.uniqueEmail()
        let signup = try browser.post(
            "/signup", [("name", Self.injected), ("email", email), ("password", TestEnvironment.defaultPassword), ("time_zone", "UTC")])
        #expect(signup.status == 422)
        #expect(signup.body.contains(Self.refusal))
        #expect(try Fixtures.count("SELECT count(*) FROM users WHERE email = $1", [.text(email)]) == 0)
        for name in ["Tab\there", "Nul\u{0}x", "Bell\u{7}"] {
            let other = try browser.post(
                "/signup",
                [("name", name), ("email", TestEnvironment.uniqueEmail()), ("password", TestEnvironment.defaultPassword), ("time_zone", "UTC")])
            // The form parser already answers 400 to NUL and some other controls; the name check catches the rest.
            #expect([400, 422].contains(other.status), "\(name.debugDescription)")
        }

        let user = try Fixtures.user("Plain Name")
        let member = try Fixtures.browser(for: user)
        try member.get("/account")
        let update = try member.post("/account", [("name", Self.injected), ("time_zone", "UTC")])
        #expect(update.status == 422)
        #expect(update.body.contains(Self.refusal))
        #expect(try Fixtures.count("SELECT count(*) FROM users WHERE id = $1 AND name = 'Plain Name'", [.int(user.id)]) == 1)
    }

    @Test func workspaceNamesRefuseControlCharactersAtCreationAndInSettings() throws {
        let owner = try Fixtures.user("Owner")
        let browser = try Fixtures.browser(for: owner)
        try browser.get("/w/new")
        let created = try browser.post("/w/new", [("name", Self.injected), ("time_zone", "UTC")])
        #expect(created.status == 422)
        #expect(created.body.contains(Self.refusal))
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE owner_id = $1", [.int(owner.id)]) == 0)

        let workspace = try Fixtures.workspace(owner: owner, name: "Steady Name")
        try browser.get("/w/\(workspace.slug)/settings")
        let renamed = try browser.post("/w/\(workspace.slug)/settings", [("name", Self.injected), ("time_zone", "UTC")])
        #expect(renamed.status == 422)
        #expect(renamed.body.contains(Self.refusal))
        #expect(try Fixtures.count("SELECT count(*) FROM workspaces WHERE id = $1 AND name = 'Steady Name'", [.int(workspace.id)]) == 1)
    }

    /// The subject's text from a head: its encoded-words decoded (each checked to be at most 75 characters).
    func decodedSubject(_ head: String) throws -> String {
        let lines = head.components(separatedBy: "\r\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var field = String(lines[start].dropFirst("Subject: ".count))
        for line in lines[(start + 1)...] where line.hasPrefix(" ") { field += line }
        guard field.hasPrefix("=?") else { return field }
        var bytes = Data()
        for word in field.split(separator: " ") {
            #expect(word.count <= 75, "encoded-word too long: \(word)")
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            bytes += try #require(Data(base64Encoded: String(payload)))
        }
        return try #require(String(data: bytes, encoding: .utf8))
    }

    @Test func theHeadCannotCarryALineBreakFromAValue() throws {
        let subjects = [
            "Hi\r\nBcc: victim@example.com", "Hi\nBcc: victim@example.com", "Hi\rBcc: x@example.com", "Nul\u{0}Next\u{85}Line",
            "Ünïcödé invitation — 東京 ✨ " + String(repeating: "é", count: 150), String(repeating: "a", count: 1500),
        ]
        for subject in subjects {
            let head = Mailer.head(to: "someone@example.com", subject: subject)
            var lines = head.components(separatedBy: "\r\n")
            #expect(lines.removeLast() == "", "the head ends with CRLF")
            for line in lines {
                #expect(!line.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }, "a bare line break: \(line.debugDescription)")
                #expect(line.utf8.count <= 998)
                #expect(!line.hasPrefix("Bcc:"))
                #expect(line.hasPrefix(" ") || line.contains(": "), "each line is a field or a folded continuation: \(line)")
            }
            #expect(lines.filter { $0.hasPrefix("To:") } == ["To: someone@example.com"])
            #expect(lines.contains("MIME-Version: 1.0"))
            #expect(lines.contains("Content-Type: text/plain; charset=utf-8"))
            #expect(lines.contains("Content-Transfer-Encoding: 8bit"))
        }
        let unicode = "Ünïcödé invitation — 東京 ✨ and a bit more text to need several words"
        let head = Mailer.head(to: "someone@example.com", subject: unicode)
        #expect(head.contains("Subject: =?UTF-8?B?"))
        #expect(head.contains("?=\r\n =?UTF-8?B?"), "folded between encoded-words")
        #expect(try decodedSubject(head) == unicode)
        #expect(try decodedSubject(Mailer.head(to: "someone@example.com", subject: "Plain ASCII")) == "Plain ASCII")
        #expect(try decodedSubject(Mailer.head(to: "someone@example.com", subject: "A\r\nBcc: b")) == "A  Bcc: b")
    }

    @Test func theRecipientIsAnArgumentAndNeverReadFromTheHeaders() throws {
        let directory = TestEnvironment.temporaryDirectory + "/sendmail-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = directory + "/fake sendmail"
        try """
        #!/bin/sh
        for argument in "$@"; do printf '%s\\n' "$argument"; done > '\(directory)/argv'
        cat > '\(directory)/stdin'
        """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        var config = try Config.fromEnvironment()
        config.sendmailCommand = "'\(script)'"
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let recipient = TestEnvironment.uniqueEmail("sendmail")
        try Mailer.send(db, to: recipient, subject: Self.injected + " é", body: "Hello,\n\nA line.\n", config: config)

        let argv = try String(contentsOfFile: directory + "/argv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(argv == ["-i", "--", recipient])
        #expect(!argv.contains("-t"))
        let message = try String(contentsOfFile: directory + "/stdin", encoding: .utf8)
        let parts = message.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        #expect(head.filter { $0.hasPrefix("To:") } == ["To: \(recipient)"])
        #expect(!head.contains { $0.lowercased().hasPrefix("bcc:") || $0.lowercased().hasPrefix("cc:") })
        #expect(parts.dropFirst().joined(separator: "\r\n\r\n") == "Hello,\r\n\r\nA line.\r\n\r\n")
        let row = try #require(try db.queryRow("SELECT subject, sent_at IS NOT NULL FROM outbox_emails WHERE recipient = $1", [.text(recipient)]))
        #expect(try row.string(0) == "Eve  Bcc: victim@example.com é")
        #expect(try row.bool(1))

        // An address that could be an option or an address list is refused before anything runs.
        try FileManager.default.removeItem(atPath: directory + "/argv")
        for bad in ["-t@example.com", "a@example.com, b@example.com", "a@example.com\r\nBcc: b@example.com", "a b@example.com", "nobody"] {
            #expect(throws: MailError.self) { try Mailer.send(db, to: bad, subject: "Hi", body: "Hello", config: config) }
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/argv"))
    }

    /// Mail leaves only for work that is kept, and once: after the commit, never for a transaction
    /// rolled back (wholly or to a savepoint), once when a serialization failure runs the body again.
    @Test func mailIsHandedOverAfterTheCommitAndOnce() throws {
        let directory = TestEnvironment.temporaryDirectory + "/aftercommit-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = directory + "/sendmail"
        try "#!/bin/sh\nprintf '%s\\n' \"$3\" >> '\(directory)/sent'\ncat > /dev/null\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        var config = try Config.fromEnvironment()
        config.sendmailCommand = script
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        func sent() -> [String] {
            ((try? String(contentsOfFile: directory + "/sent", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func stored(_ recipient: String) throws -> Int {
            try db.queryRow("SELECT count(*) FROM outbox_emails WHERE recipient = $1", [.text(recipient)])?.int(0) ?? -1
        }
        struct Undo: Error {}

        let rolledBack = TestEnvironment.uniqueEmail("rolledback")
        #expect(throws: Undo.self) {
            try db.transaction { db in
                try Mailer.send(db, to: rolledBack, subject: "Never", body: "Never sent.", config: config)
                #expect(self.sentIsEmpty(sent()), "nothing leaves before the commit")
                throw Undo()
            }
        }
        let rolledBackRows = try stored(rolledBack)
        #expect(sent().isEmpty && rolledBackRows == 0)

        let retried = TestEnvironment.uniqueEmail("retried")
        var attempts = 0
        try db.transaction { db in
            attempts += 1
            try Mailer.send(db, to: retried, subject: "Once", body: "Sent once.", config: config)
            if attempts == 1 { throw DatabaseError(sqlState: "40001", message: "could not serialize access (test)") }
        }
        #expect(attempts == 2)
        #expect(sent() == [retried], "handed over once, after the commit")
        #expect(try stored(retried) == 1)

        let undone = TestEnvironment.uniqueEmail("savepoint")
        let kept = TestEnvironment.uniqueEmail("kept")
        try db.transaction { db in
            _ = try? db.savepoint {
                try Mailer.send(db, to: undone, subject: "Undone", body: "Rolled back to the savepoint.", config: config)
                throw Undo()
            }
            try Mailer.send(db, to: kept, subject: "Kept", body: "Kept.", config: config)
        }
        #expect(sent() == [retried, kept])
        let undoneRows = try stored(undone)
        let keptRows = try stored(kept)
        #expect(undoneRows == 0 && keptRows == 1)
        #expect(
            try db.queryRow("SELECT sent_at IS NOT NULL FROM outbox_emails WHERE recipient = $1", [.text(kept)])?.bool(0) == true)
    }

    /// The mail command runs after the page's answer is out: a reset page that mails only when the
    /// account exists answers as soon as one for an unknown address (finding: a timing oracle).
    @Test func thePageIsAnsweredBeforeTheMailCommandRuns() throws {
        let directory = TestEnvironment.temporaryDirectory + "/slowmail-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = directory + "/sendmail"
        // A mail command that takes 3 seconds, then leaves the message in a file.
        try "#!/bin/sh\nsleep 3\ncat > '\(directory)/delivered.tmp'\nmv '\(directory)/delivered.tmp' '\(directory)/delivered'\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let program = try startPrivateAuth(directory, environment: ["HERALD_SENDMAIL": script])
        defer {
            program.terminate()
            program.waitUntilExit()
        }
        let user = try Fixtures.user("Slow Mail")
        let client = try FastCGIClient(socketPath: directory + "/auth.sock")
        try client.postForm("/password/forgot", [("email", user.email)])
        let answer = try client.readResponse()
        #expect(answer.contains("Check your email"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/delivered"), "the answer did not wait for the mail command")
        // And the mail still leaves, and the outbox records it.
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: directory + "/delivered") { usleep(100_000) }
        let delivered = (try? String(contentsOfFile: directory + "/delivered", encoding: .utf8)) ?? ""
        #expect(delivered.contains("Subject: Reset your Herald password"))
        usleep(300_000)
        #expect(
            try Fixtures.count(
                "SELECT count(*) FROM outbox_emails WHERE recipient = $1 AND sent_at IS NOT NULL AND subject = 'Reset your Herald password'",
                [.text(user.email)]) == 1)
    }

    func sentIsEmpty(_ lines: [String]) -> Bool { lines.isEmpty }

    @Test func theLongestNamesStillFitTheInvitationSubject() throws {
        let owner = try Fixtures.user(String(repeating: "Ådä ", count: 25).trimmingCharacters(in: .whitespaces) + "x")
        #expect(owner.name.count == 100)
        let workspace = try Fixtures.workspace(owner: owner, name: String(repeating: "Wörkspace ", count: 10))
        #expect(workspace.name.count == 100)
        let browser = try Fixtures.browser(for: owner)
        try browser.get("/w/\(workspace.slug)/members")
        let email = TestEnvironment.uniqueEmail("invitee")
        let invite = try browser.post("/w/\(workspace.slug)/members/invite", [("email", email), ("role", "editor")])
        #expect(invite.status == 303)
        let db = try TestEnvironment.connectSuperuser(database: "herald")
        let subject = try #require(try db.queryRow("SELECT subject FROM outbox_emails WHERE recipient = $1", [.text(email)])?.string(0))
        #expect(subject.unicodeScalars.count <= 200)
        #expect(subject.hasPrefix(owner.name + " invited you to Wörkspace"))
        #expect(subject.hasSuffix("…"))
    }
}
