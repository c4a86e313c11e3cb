// Outgoing mail. Every message is stored in the outbox table; without a mail command
// configured it is also written to the log, which is how development sees its links.
import Glibc
public import HeraldDatabase
public import HeraldSupport

public enum Mailer {
    public static func send(_ db: Connection, to recipient: String, subject: String, body: String, config: Config) throws {
        let row = try db.queryRow(
            "INSERT INTO outbox_emails (recipient, subject, body) VALUES ($1, $2, $3) RETURNING id",
            [.text(recipient), .text(subject), .text(body)])
        let id = try row?.int(0) ?? 0
        guard let command = config.sendmailCommand else {
            Log.info("mail (no mail server configured; kept in the outbox)", ["id": String(id), "to": recipient, "subject": subject, "body": body])
            return
        }
        let message = "To: \(recipient)\nSubject: \(subject)\nContent-Type: text/plain; charset=utf-8\n\n\(body)\n"
        if let error = pipe(message, to: command) {
            try db.query("UPDATE outbox_emails SET last_error = $2 WHERE id = $1", [.int(id), .text(error)])
            Log.error("mail delivery failed", ["id": String(id), "error": error])
        } else {
            try db.query("UPDATE outbox_emails SET sent_at = now() WHERE id = $1", [.int(id)])
        }
    }

    /// Runs `command -t` with the message on standard input; returns an error text or nil.
    static func pipe(_ message: String, to command: String) -> String? {
        guard let stream = popen("\(command) -t", "w") else { return "cannot run \(command)" }
        _ = message.withCString { fputs($0, stream) }
        let status = pclose(stream)
        return status == 0 ? nil : "\(command) exited with status \(status)"
    }
}
