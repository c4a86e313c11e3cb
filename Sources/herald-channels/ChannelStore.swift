// The channels page's query beyond SocialAccounts: each account's dates and who connected it,
// formatted by PostgreSQL in the viewer's zone.
import HeraldDatabase

/// Page details of an account, formatted by PostgreSQL in the viewer's zone.
struct CardDetails {
    let expires: String?
    let expired: Bool
    let connectedOn: String
    let connectedBy: String?
}

enum ChannelStore {
    /// The details of every account of the workspace, by account id.
    static func cardDetails(_ db: Connection, workspace: Int, timeZone: String) throws -> [Int: CardDetails] {
        var out: [Int: CardDetails] = [:]
        for row in try db.query(
            """
            SELECT s.id, to_char(s.token_expires_at AT TIME ZONE $2, 'DD Mon YYYY, HH24:MI'), coalesce(s.token_expires_at <= now(), false),
                   to_char(s.created_at AT TIME ZONE $2, 'DD Mon YYYY'), u.name
            FROM social_accounts s LEFT JOIN users u ON u.id = s.connected_by
            WHERE s.workspace_id = $1
            """, [.int(workspace), .text(timeZone)]
        ).rows {
            out[try row.int(0)] = CardDetails(
                expires: row.optionalString(1), expired: try row.bool(2),
                connectedOn: try row.string(3), connectedBy: row.optionalString(4))
        }
        return out
    }
}
