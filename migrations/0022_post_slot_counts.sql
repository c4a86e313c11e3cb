-- Scheduled posts per workspace and 15-minute slot (UTC), kept by triggers, so the calendar's month
-- counts each day's posts by adding up at most 96 slots instead of reading every post's index entry
-- (a busy month of a large workspace: tens of thousands). Every zone's offset today is a whole
-- number of quarter hours, so a local day is a whole number of slots; for a day that is not (local
-- mean time before 1900-odd) the calendar counts the posts themselves.
-- migrate:up

CREATE TABLE post_slot_counts (
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    slot            timestamptz NOT NULL,
    posts           bigint NOT NULL,
    CONSTRAINT post_slot_counts_pkey PRIMARY KEY (workspace_id, slot),
    CONSTRAINT post_slot_counts_posts_nonnegative CHECK (posts >= 0),
    CONSTRAINT post_slot_counts_slot_quarter_hour CHECK (slot = date_bin('15 minutes', slot, timestamptz '2000-01-01 00:00+00'))
);

ALTER TABLE post_slot_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_slot_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_slot_counts FOR SELECT
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- Written only by the triggers below (SECURITY DEFINER, as the owner); herald_app may only read.
CREATE POLICY counts_maintenance ON post_slot_counts TO herald_owner USING (true) WITH CHECK (true);
GRANT SELECT ON post_slot_counts TO herald_app;

-- Adds the differences between the rows a statement removed and added (as post_status_counts_apply
-- does for statuses); posts without a date count nowhere.
CREATE FUNCTION post_slot_counts_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO post_slot_counts AS c (workspace_id, slot, posts)
        SELECT workspace_id, date_bin('15 minutes', scheduled_at, timestamptz '2000-01-01 00:00+00'), count(*)
        FROM new_rows WHERE scheduled_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (workspace_id, slot) DO UPDATE SET posts = c.posts + EXCLUDED.posts;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE post_slot_counts c SET posts = c.posts - d.n
        FROM (SELECT workspace_id, date_bin('15 minutes', scheduled_at, timestamptz '2000-01-01 00:00+00') AS slot, count(*) AS n
              FROM old_rows WHERE scheduled_at IS NOT NULL GROUP BY 1, 2) d
        WHERE c.workspace_id = d.workspace_id AND c.slot = d.slot;
    ELSE
        WITH d AS (
            SELECT workspace_id, slot, sum(delta) AS n FROM (
                SELECT workspace_id, date_bin('15 minutes', scheduled_at, timestamptz '2000-01-01 00:00+00') AS slot, -1 AS delta
                FROM old_rows WHERE scheduled_at IS NOT NULL
                UNION ALL
                SELECT workspace_id, date_bin('15 minutes', scheduled_at, timestamptz '2000-01-01 00:00+00'), 1
                FROM new_rows WHERE scheduled_at IS NOT NULL) changes
            GROUP BY 1, 2 HAVING sum(delta) <> 0),
        updated AS (
            UPDATE post_slot_counts c SET posts = c.posts + d.n FROM d
            WHERE c.workspace_id = d.workspace_id AND c.slot = d.slot
            RETURNING c.workspace_id, c.slot)
        INSERT INTO post_slot_counts AS c (workspace_id, slot, posts)
        SELECT d.workspace_id, d.slot, d.n FROM d
        WHERE d.n > 0 AND NOT EXISTS (SELECT 1 FROM updated u WHERE u.workspace_id = d.workspace_id AND u.slot = d.slot)
        ORDER BY 1, 2
        ON CONFLICT (workspace_id, slot) DO UPDATE SET posts = c.posts + EXCLUDED.posts;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION post_slot_counts_apply() FROM PUBLIC;

CREATE TRIGGER post_slot_counts_insert AFTER INSERT ON posts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION post_slot_counts_apply();
CREATE TRIGGER post_slot_counts_update AFTER UPDATE ON posts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION post_slot_counts_apply();
CREATE TRIGGER post_slot_counts_delete AFTER DELETE ON posts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION post_slot_counts_apply();

-- The posts already there (FORCE hides them from the owner without a tenant: lifted for the count).
ALTER TABLE posts NO FORCE ROW LEVEL SECURITY;
INSERT INTO post_slot_counts (workspace_id, slot, posts)
SELECT workspace_id, date_bin('15 minutes', scheduled_at, timestamptz '2000-01-01 00:00+00'), count(*)
FROM posts WHERE scheduled_at IS NOT NULL GROUP BY 1, 2;
ALTER TABLE posts FORCE ROW LEVEL SECURITY;

COMMENT ON TABLE post_slot_counts IS 'Scheduled posts per workspace and 15-minute UTC slot, kept by triggers on posts: the calendar month''s day counts.';

-- migrate:down
DROP TRIGGER post_slot_counts_delete ON posts;
DROP TRIGGER post_slot_counts_update ON posts;
DROP TRIGGER post_slot_counts_insert ON posts;
DROP FUNCTION post_slot_counts_apply();
DROP TABLE post_slot_counts;
