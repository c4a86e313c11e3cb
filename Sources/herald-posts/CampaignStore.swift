// Queries on campaigns: the list with post counts, one campaign with its posts, saving (with
// PostgreSQL's verdicts as form errors) and archiving.
import HeraldDatabase

/// A row of the campaigns list; dates as `YYYY-MM-DD`, empty when not set.
struct CampaignSummary {
    let id: Int
    let name: String
    let status: String
    let startsOn: String
    let endsOn: String
    let posts: Int
}

/// A post as a campaign's page lists it.
struct CampaignPost {
    let id: Int
    let title: String
    let status: PostStatus
}

enum CampaignStore {
    /// The workspace's campaigns by name, archived ones last.
    static func list(_ workspace: Int, _ db: Connection) throws -> [CampaignSummary] {
        try db.query(
            """
            SELECT c.id, c.name, c.status, coalesce(to_char(c.starts_on, 'YYYY-MM-DD'), ''), coalesce(to_char(c.ends_on, 'YYYY-MM-DD'), ''),
                   (SELECT count(*) FROM posts p WHERE p.workspace_id = c.workspace_id AND p.campaign_id = c.id)
            FROM campaigns c WHERE c.workspace_id = $1 ORDER BY c.status = 'archived', lower(c.name)
            """, [.int(workspace)]
        ).rows.map { r in
            CampaignSummary(
                id: try r.int(0), name: try r.string(1), status: try r.string(2), startsOn: try r.string(3), endsOn: try r.string(4),
                posts: try r.int(5))
        }
    }

    /// The campaign as stored, in the form's terms; nil when there is no such campaign in the workspace.
    static func find(_ workspace: Int, id: Int, _ db: Connection) throws -> CampaignForm.Values? {
        try db.queryRow(
            """
            SELECT name, coalesce(description, ''), status, coalesce(to_char(starts_on, 'YYYY-MM-DD'), ''), coalesce(to_char(ends_on, 'YYYY-MM-DD'), '')
            FROM campaigns WHERE workspace_id = $1 AND id = $2
            """, [.int(workspace), .int(id)]
        ).map { row in
            CampaignForm.Values(
                name: try row.string(0), description: try row.string(1), status: try row.string(2), startsOn: try row.string(3),
                endsOn: try row.string(4))
        }
    }

    /// The campaign's posts in workflow order (drafts first), newest first within a status; at most 500.
    static func posts(_ workspace: Int, campaign: Int, _ db: Connection) throws -> [CampaignPost] {
        try db.query(
            """
            SELECT id, coalesce(title, left(body, 80)), status FROM posts WHERE workspace_id = $1 AND campaign_id = $2
            ORDER BY array_position(ARRAY['draft','in_review','approved','scheduled','publishing','published','partially_published','failed','rejected'], status), created_at DESC
            LIMIT 500
            """, [.int(workspace), .int(campaign)]
        ).rows.map { r in
            CampaignPost(id: try r.int(0), title: try r.string(1), status: PostStatus(rawValue: try r.string(2)) ?? .draft)
        }
    }

    /// Saves; maps PostgreSQL's verdicts (duplicate name, impossible date) to form errors.
    static func save(_ workspace: Int, id: Int?, _ v: CampaignForm.Values, _ db: Connection) throws -> (Int?, [String: String]) {
        do {
            return try db.savepoint {
                let params: [SQLValue] = [
                    .int(workspace), .text(v.name), .text(v.description.isEmpty ? nil : v.description), .text(v.status),
                    .text(v.startsOn.isEmpty ? nil : v.startsOn), .text(v.endsOn.isEmpty ? nil : v.endsOn),
                ]
                if let id {
                    let changed = try db.query(
                        """
                        UPDATE campaigns SET name = $2, description = $3, status = $4, starts_on = $5::date, ends_on = $6::date, updated_at = now()
                        WHERE workspace_id = $1 AND id = $7
                        """, params + [.int(id)]
                    ).affectedRows
                    return (changed == 1 ? id : nil, [:])
                }
                let row = try db.queryRow(
                    """
                    INSERT INTO campaigns (workspace_id, name, description, status, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5::date, $6::date) RETURNING id
                    """, params)
                return (try row?.int(0), [:])
            }
        } catch let error as DatabaseError where error.constraint == "campaigns_workspace_name_key" {
            return (nil, ["name": "There is a campaign with this name already."])
        } catch let error as DatabaseError where error.sqlState?.hasPrefix("22") == true {
            return (nil, ["starts_on": "That is not a real date."])
        }
    }

    /// False when there is no such campaign in the workspace.
    static func archive(_ workspace: Int, id: Int, _ db: Connection) throws -> Bool {
        try db.query(
            "UPDATE campaigns SET status = 'archived', updated_at = now() WHERE workspace_id = $1 AND id = $2",
            [.int(workspace), .int(id)]
        ).affectedRows == 1
    }
}
