// Queries on invitations: the open ones of a workspace, sending and revoking, and the lookup by
// token (policy invitation_token) and acceptance behind an emailed link. Tenant queries still say
// `workspace_id = $1` although row-level security enforces it too.
import HeraldCrypto
import HeraldDatabase
import HeraldIdentity

struct OpenInvitation {
    let id: Int
    let email: String
    let role: Role
    let expired: Bool
    let invitedBy: String?
    let sentOn: String
}

/// An invitation as its link finds it, whatever its state.
struct Invitation {
    let id: Int
    let workspaceID: Int
    let workspaceName: String
    let slug: String
    let email: String
    let role: Role
    let inviter: String?
    let accepted: Bool
    let revoked: Bool
    let expired: Bool
}

enum InvitationStore {
    static func open(_ workspace: Int, _ db: Connection) throws -> [OpenInvitation] {
        try db.query(
            """
            SELECT i.id, i.email, i.role, i.expires_at <= now(), u.name, to_char(i.created_at, 'YYYY-MM-DD')
            FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
            WHERE i.workspace_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
            ORDER BY i.created_at DESC
            """, [.int(workspace)]
        ).rows.map { row in
            OpenInvitation(
                id: try row.int(0), email: try row.string(1), role: Role(rawValue: try row.string(2)) ?? .viewer,
                expired: try row.bool(3), invitedBy: row.optionalString(4), sentOn: try row.string(5))
        }
    }

    /// Replaces any open invitation for the address with a new one; returns the token for the link.
    static func invite(_ workspace: Int, email: String, role: Role, by inviter: Int, _ db: Connection) throws -> String {
        try db.query(
            """
            UPDATE invitations SET revoked_at = now()
            WHERE workspace_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL
            """, [.int(workspace), .text(email)])
        let token = Sodium.randomToken()
        try db.query(
            """
            INSERT INTO invitations (workspace_id, email, role, token_hash, invited_by, expires_at)
            VALUES ($1, $2, $3, $4, $5, now() + interval '7 days')
            """, [.int(workspace), .text(email), .text(role.rawValue), .bytes(Sodium.sha256(token)), .int(inviter)])
        return token
    }

    /// Withdraws an open invitation; false when there is no such open invitation.
    static func revoke(_ workspace: Int, id: Int, _ db: Connection) throws -> Bool {
        try db.query(
            """
            UPDATE invitations SET revoked_at = now()
            WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
            """, [.int(workspace), .int(id)]
        ).affectedRows == 1
    }

    /// The invitation for a token, visible through the token policy; run inside a transaction.
    static func find(_ token: String, _ db: Connection) throws -> Invitation? {
        let hash = Sodium.sha256(token)
        try db.query("SELECT set_config('app.invitation_token', $1, true)", [.text(Sodium.hex(hash))])
        guard
            let row = try db.queryRow(
                """
                SELECT i.id, i.workspace_id, w.name, w.slug, i.email, i.role, u.name,
                       i.accepted_at IS NOT NULL, i.revoked_at IS NOT NULL, i.expires_at <= now()
                FROM invitations i JOIN workspaces w ON w.id = i.workspace_id LEFT JOIN users u ON u.id = i.invited_by
                WHERE i.token_hash = $1
                """, [.bytes(hash)])
        else { return nil }
        return Invitation(
            id: try row.int(0), workspaceID: try row.int(1), workspaceName: try row.string(2), slug: try row.string(3),
            email: try row.string(4), role: Role(rawValue: try row.string(5)) ?? .viewer, inviter: row.optionalString(6),
            accepted: try row.bool(7), revoked: try row.bool(8), expired: try row.bool(9))
    }

    /// Accepts the invitation for `userID` and makes them a member. The token proved the
    /// invitation; from here on the tenant is its workspace. `.alreadyUsed` when another request
    /// accepted it first, `.alreadyMember` when the user is in the workspace already.
    static func accept(_ invitation: Invitation, userID: Int, _ db: Connection) throws -> Acceptance {
        try db.query("SELECT set_config('app.invitation_token', '', true)")
        try db.query("SELECT set_config('app.workspace_id', $1, true)", [.text(String(invitation.workspaceID))])
        let claimed = try db.query(
            """
            UPDATE invitations SET accepted_at = now()
            WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
            """, [.int(invitation.workspaceID), .int(invitation.id)]
        ).affectedRows
        guard claimed == 1 else { return .alreadyUsed }
        do {
            try db.query(
                "INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)",
                [.int(invitation.workspaceID), .int(userID), .text(invitation.role.rawValue)])
        } catch let error as DatabaseError where error.isUniqueViolation {
            return .alreadyMember
        }
        // The link reached this address, which confirms it.
        try db.query("UPDATE users SET email_verified_at = now() WHERE id = $1 AND email_verified_at IS NULL", [.int(userID)])
        return .joined
    }

    enum Acceptance {
        case joined, alreadyUsed, alreadyMember
    }
}
