// The audit trail of accounts: sign-up, login success and failure, logout, password change and
// reset, email confirmation. Site events (no workspace), so only site admins read them; each is
// written once, in the transaction of what it records where there is one.
import HeraldDatabase
import HeraldIdentity

enum AuthAudit {
    /// Why a login was refused, as the audit records it (the visitor sees one generic message).
    enum Refusal: String {
        case unknownEmail = "unknown_email"
        case wrongPassword = "wrong_password"
        case disabled
        case throttled
    }

    /// An event done by a signed-in (or just signed-up) user on their own account.
    static func record(_ db: Connection, _ action: String, user: Int, ip: String, details: [String: String] = [:]) throws {
        try Audit.record(db, workspace: nil, actor: user, action: action, targetType: "user", targetID: user, details: details, ip: ip)
    }

    /// A refused login: no actor (nobody proved who they are); the account when the email names one.
    static func loginFailed(_ db: Connection, email: String, account: Int?, reason: Refusal, ip: String) throws {
        try Audit.record(
            db, workspace: nil, actor: nil, action: "auth.login_failed", targetType: account == nil ? nil : "user", targetID: account,
            details: ["email": String(email.prefix(254)), "reason": reason.rawValue], ip: ip)
    }
}
