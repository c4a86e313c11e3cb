-- Posts workflow support: the posts list's default order, a post's history from the audit trail,
-- and a "max hashtags" brand rule.
-- migrate:up

-- The posts list, newest first (also with a status filter, by scanning this index).
CREATE INDEX posts_workspace_created_idx ON posts (workspace_id, created_at DESC, id DESC);

-- A post's (or any object's) history: every transition is an audit event on it.
CREATE INDEX audit_events_target_idx ON audit_events (workspace_id, target_type, target_id, occurred_at)
    WHERE target_id IS NOT NULL;

-- max_hashtags: rule_text is the largest number of hashtags a post may carry.
ALTER TABLE brand_rules DROP CONSTRAINT brand_rules_kind_valid;
ALTER TABLE brand_rules ADD CONSTRAINT brand_rules_kind_valid
    CHECK (kind IN ('banned_term', 'required_term', 'hashtag', 'max_hashtags', 'tone', 'guideline'));
ALTER TABLE brand_rules ADD CONSTRAINT brand_rules_max_hashtags_number
    CHECK (kind <> 'max_hashtags' OR rule_text ~ '^[0-9]{1,3}$');

-- migrate:down
ALTER TABLE brand_rules DROP CONSTRAINT brand_rules_max_hashtags_number;
ALTER TABLE brand_rules DROP CONSTRAINT brand_rules_kind_valid;
ALTER TABLE brand_rules ADD CONSTRAINT brand_rules_kind_valid
    CHECK (kind IN ('banned_term', 'required_term', 'hashtag', 'tone', 'guideline'));
DROP INDEX audit_events_target_idx;
DROP INDEX posts_workspace_created_idx;
