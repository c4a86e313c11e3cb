// Queries on a workspace's brand rules: the list every post is checked against, adding and deleting one.
import HeraldContent
import HeraldDatabase

enum BrandRuleStore {
    static func rules(_ workspace: Int, _ db: Connection) throws -> [BrandRule] {
        try db.query(
            """
            SELECT id, kind, rule_text, severity = 'block' FROM brand_rules WHERE workspace_id = $1 AND is_active ORDER BY kind, id
            """, [.int(workspace)]
        ).rows.compactMap { row in
            guard let kind = BrandRule.Kind(rawValue: try row.string(1)) else { return nil }
            return BrandRule(id: try row.int(0), kind: kind, text: try row.string(2), blocks: try row.bool(3))
        }
    }

    static func add(_ workspace: Int, kind: BrandRule.Kind, text: String, blocks: Bool, _ db: Connection) throws {
        try db.query(
            "INSERT INTO brand_rules (workspace_id, kind, rule_text, severity) VALUES ($1, $2, $3, $4)",
            [.int(workspace), .text(kind.rawValue), .text(text), .text(blocks ? "block" : "warn")])
    }

    /// False when there is no such rule in the workspace.
    static func delete(_ workspace: Int, id: Int, _ db: Connection) throws -> Bool {
        try db.query("DELETE FROM brand_rules WHERE workspace_id = $1 AND id = $2", [.int(workspace), .int(id)]).affectedRows == 1
    }
}
