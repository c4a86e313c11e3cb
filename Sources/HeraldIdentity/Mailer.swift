// Outgoing mail. Every message is stored in the outbox table; without a mail command
// configured it is also written to the log, which is how development sees its links.
import Glibc
public import HeraldDatabase
public import HeraldSupport

/// A message Herald refuses to send: its recipient is not a plain email address.
public struct MailError: UserFacingError {
    public let recipient: String
    public var refusal: RefusalKind { .invalidInput }
    public var title: String { "Cannot send mail" }
    public var message: String { "Enter an email address like name@example.com." }
}

public enum Mailer {
    /// Seconds the mail command may take for one message.
    static let deliveryTimeout = 30

    /// The outbox column's limit (`outbox_emails_subject_length`, counted in code points).
    static let subjectLimit = 200

    /// Stores the message in the outbox and, with a mail command configured, hands it over once the
    /// transaction that stored it has committed (never for work rolled back, once however often the
    /// transaction is retried) and, in a web request, once the answer is out. Throws `MailError` (nothing stored) when the recipient is not a plain
    /// email address.
    public static func send(_ db: Connection, to recipient: String, subject: String, body: String, config: Config) throws {
        guard isPlainAddress(recipient) else { throw MailError(recipient: recipient) }
        let subject = readableSubject(subject)
        let row = try db.queryRow(
            "INSERT INTO outbox_emails (recipient, subject, body) VALUES ($1, $2, $3) RETURNING id",
            [.text(recipient), .text(subject), .text(body)])
        let id = try row?.int(0) ?? 0
        guard let command = config.sendmailCommand else {
            Log.info("mail (no mail server configured; kept in the outbox)", ["id": String(id), "to": recipient, "subject": subject, "body": body])
            return
        }
        let text = Self.message(to: recipient, subject: subject, body: body)
        // After the commit, and in a web request after its answer is out: the mail command's time
        // never shows in a page's (a reset page that mails only for existing accounts would tell them apart).
        db.afterCommit {
            db.afterAnswer {
                do {
                    if let error = deliver(text, to: recipient, command: command) {
                        Log.error("mail delivery failed", ["id": String(id), "error": error])
                        try db.query("UPDATE outbox_emails SET last_error = $2 WHERE id = $1", [.int(id), .text(error)])
                    } else {
                        try db.query("UPDATE outbox_emails SET sent_at = now() WHERE id = $1", [.int(id)])
                    }
                } catch {
                    Log.error("cannot record the mail's delivery in the outbox", ["id": String(id), "error": String(describing: error)])
                }
            }
        }
    }

    /// An address that can be one argument of the mail command and one `To:` value: one `@`
    /// between non-empty parts, no space, control character or address-list punctuation, and no
    /// leading `-` (so it can never read as an option).
    static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !address.hasPrefix("-") else { return false }
        return !address.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control || ",;:<>()\"\\".unicodeScalars.contains(scalar)
        }
    }

    /// The subject as people read it and the outbox keeps it: control characters become spaces, and
    /// a subject longer than the column is cut at a whole character and ends with "…".
    static func readableSubject(_ raw: String) -> String {
        var clean = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars { clean.append(scalar.properties.generalCategory == .control ? " " : scalar) }
        let text = String(clean)
        guard text.unicodeScalars.count > subjectLimit else { return text }
        var kept = ""
        var scalars = 0
        for character in text {
            let size = character.unicodeScalars.count
            if scalars + size > subjectLimit - 1 { break }
            kept.append(character)
            scalars += size
        }
        return kept + "…"
    }

    /// The whole message in canonical form: the head, an empty line, and the body with CRLF line ends.
    static func message(to recipient: String, subject: String, body: String) -> String {
        var text = ""
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) { text += line + "\r\n" }
        return head(to: recipient, subject: subject) + "\r\n" + text
    }

    /// The header lines, each ending in CRLF. No value is written with a control character in it:
    /// the subject is printable ASCII or RFC 2047 encoded-words, and the recipient is a plain address.
    static func head(to recipient: String, subject: String) -> String {
        let to = isPlainAddress(recipient) ? recipient : "undisclosed-recipients:;"
        return "To: \(to)\r\n"
            + "Subject: \(encodedSubject(subject))\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
    }

    /// Printable ASCII as it is (when short); anything else as `=?UTF-8?B?…?=` words of at most 75
    /// characters, folded with CRLF and a space. Words end at whole code points (RFC 2047 §5).
    static func encodedSubject(_ subject: String) -> String {
        if subject.utf8.count <= 900, subject.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return subject }
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in readableSubject(subject).unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            // 45 bytes are 60 base64 characters: with "=?UTF-8?B?" and "?=", 72 in all.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(base64(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(base64(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(0)
            for offset in 0..<3 { group = group << 8 | UInt32(offset < count ? bytes[index + offset] : 0) }
            for position in 0..<4 {
                out.append(position <= count ? alphabet[Int(group >> UInt32(18 - 6 * position) & 0x3F)] : "=")
            }
            index += 3
        }
        return out
    }

    /// Runs `/bin/sh -c 'COMMAND "$@"' sh -i -- RECIPIENT` with the message on standard input: the
    /// recipient is an argument (never shell text, never read from the headers); returns an error text or nil.
    static func deliver(_ message: String, to recipient: String, command: String) -> String? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return "cannot run \(command): no pipe" }
        // Neither end may leak into the child (or any other): dup2 gives it a fresh standard input.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        let arguments = ["/bin/sh", "-c", "\(command) \"$@\"", "sh", "-i", "--", recipient]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            return "cannot run \(command): error \(spawned)"
        }
        var written = true
        var bytes = Array(message.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                written = false
                break
            }
            bytes = bytes.dropFirst(count)
        }
        close(fds[1])
        // At most `deliveryTimeout` seconds: a mail command that hangs must not hold its thread (and
        // the database connection it will record the delivery with) for ever.
        var status: Int32 = 0
        let deadline = Clock.monotonicNanos() + UInt64(deliveryTimeout) * 1_000_000_000
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid || (done < 0 && errno != EINTR) { break }
            if Clock.monotonicNanos() > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return "\(command) did not finish within \(deliveryTimeout) s and was stopped"
            }
            usleep(5_000)
        }
        if status != 0 { return "\(command) exited with status \(status & 0x7F == 0 ? (status >> 8) & 0xFF : status)" }
        return written ? nil : "\(command) did not read the whole message"
    }
}
