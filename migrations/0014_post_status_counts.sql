-- Posts per status and workspace, kept by triggers, so the posts list shows its counts without
-- counting a large workspace's posts on every view.
-- migrate:up

CREATE TABLE post_status_counts (
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    status          text NOT NULL,
    posts           bigint NOT NULL,
    CONSTRAINT post_status_counts_pkey PRIMARY KEY (workspace_id, status),
    CONSTRAINT post_status_counts_posts_nonnegative CHECK (posts >= 0)
);

ALTER TABLE post_status_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_status_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_status_counts FOR SELECT
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- Written only by the triggers below (SECURITY DEFINER, as the owner); herald_app may only read.
CREATE POLICY counts_maintenance ON post_status_counts TO herald_owner USING (true) WITH CHECK (true);
GRANT SELECT ON post_status_counts TO herald_app;

-- Adds the differences between the rows a statement removed and added. (Two transactions moving
-- posts in opposite directions may deadlock on the counter rows; the loser gets 40P01 and the
-- application retries its transaction.)
CREATE FUNCTION post_status_counts_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO post_status_counts AS c (workspace_id, status, posts)
        SELECT workspace_id, status, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (workspace_id, status) DO UPDATE SET posts = c.posts + EXCLUDED.posts;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE post_status_counts c SET posts = c.posts - d.n
        FROM (SELECT workspace_id, status, count(*) AS n FROM old_rows GROUP BY 1, 2) d
        WHERE c.workspace_id = d.workspace_id AND c.status = d.status;
    ELSE
        -- A move takes one from the old status (an existing row) and adds one to the new (which
        -- may not have a row yet); a negative count is never inserted, only added to a row.
        WITH d AS (
            SELECT workspace_id, status, sum(delta) AS n FROM (
                SELECT workspace_id, status, -1 AS delta FROM old_rows
                UNION ALL SELECT workspace_id, status, 1 FROM new_rows) changes
            GROUP BY 1, 2 HAVING sum(delta) <> 0),
        updated AS (
            UPDATE post_status_counts c SET posts = c.posts + d.n FROM d
            WHERE c.workspace_id = d.workspace_id AND c.status = d.status
            RETURNING c.workspace_id, c.status)
        INSERT INTO post_status_counts AS c (workspace_id, status, posts)
        SELECT d.workspace_id, d.status, d.n FROM d
        WHERE d.n > 0 AND NOT EXISTS (SELECT 1 FROM updated u WHERE u.workspace_id = d.workspace_id AND u.status = d.status)
        ORDER BY 1, 2
        ON CONFLICT (workspace_id, status) DO UPDATE SET posts = c.posts + EXCLUDED.posts;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION post_status_counts_apply() FROM PUBLIC;

CREATE TRIGGER post_status_counts_insert AFTER INSERT ON posts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION post_status_counts_apply();
CREATE TRIGGER post_status_counts_update AFTER UPDATE ON posts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION post_status_counts_apply();
CREATE TRIGGER post_status_counts_delete AFTER DELETE ON posts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION post_status_counts_apply();

-- The posts already there. FORCE hides them from the owner without a tenant: lift it for the
-- count (this transaction holds posts locked meanwhile).
ALTER TABLE posts NO FORCE ROW LEVEL SECURITY;
INSERT INTO post_status_counts (workspace_id, status, posts)
SELECT workspace_id, status, count(*) FROM posts GROUP BY 1, 2;
ALTER TABLE posts FORCE ROW LEVEL SECURITY;

-- migrate:down
DROP TRIGGER post_status_counts_delete ON posts;
DROP TRIGGER post_status_counts_update ON posts;
DROP TRIGGER post_status_counts_insert ON posts;
DROP FUNCTION post_status_counts_apply();
DROP TABLE post_status_counts;
