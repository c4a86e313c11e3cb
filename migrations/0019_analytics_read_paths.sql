-- Analytics read paths for ten million snapshots (make bench): top posts read an index in
-- engagement order instead of sorting every target, and the best-time heat map reads a rollup per
-- quarter hour of publishing instead of joining every target of a year with its counters.
-- migrate:up

-- Each target's latest engagement (what Counts.engagement adds up) and when it was published.
ALTER TABLE post_metrics_latest
    ADD COLUMN published_at timestamptz,
    ADD COLUMN engagement bigint GENERATED ALWAYS AS (coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0)
        + coalesce(quotes, 0) + coalesce(saves, 0) + coalesce(score, 0)) STORED;
UPDATE post_metrics_latest l SET published_at = t.published_at
FROM post_targets t WHERE t.workspace_id = l.workspace_id AND t.id = l.post_target_id;
-- Top posts of a range: the highest engagement first, filtered by the publishing time.
CREATE INDEX post_metrics_latest_top_idx ON post_metrics_latest (workspace_id, engagement DESC, published_at);
CREATE INDEX post_metrics_latest_published_idx ON post_metrics_latest (workspace_id, published_at);

-- Per workspace and quarter hour of publishing (UTC), how many targets published then have
-- counters and their engagement now. Every zone's hour starts on a quarter hour, so the heat map
-- groups these by the viewer's weekday and hour exactly.
CREATE TABLE publish_time_engagement (
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    bucket_start    timestamptz NOT NULL,
    posts           integer NOT NULL,
    engagement      bigint NOT NULL,
    CONSTRAINT publish_time_engagement_pkey PRIMARY KEY (workspace_id, bucket_start),
    CONSTRAINT publish_time_engagement_bucket_quarter_hour
        CHECK (bucket_start = date_bin('15 minutes', bucket_start, TIMESTAMPTZ '2000-01-01 00:00:00+00')),
    CONSTRAINT publish_time_engagement_posts_nonnegative CHECK (posts >= 0)
);
INSERT INTO publish_time_engagement (workspace_id, bucket_start, posts, engagement)
SELECT workspace_id, date_bin('15 minutes', published_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), count(*), sum(engagement)
FROM post_metrics_latest WHERE published_at IS NOT NULL GROUP BY 1, 2;

-- A target's latest row knows its publishing time from its first snapshot on.
CREATE FUNCTION post_metrics_latest_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.published_at IS NULL THEN
        NEW.published_at := (SELECT t.published_at FROM post_targets t WHERE t.workspace_id = NEW.workspace_id AND t.id = NEW.post_target_id);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER post_metrics_latest_published_at BEFORE INSERT ON post_metrics_latest
    FOR EACH ROW EXECUTE FUNCTION post_metrics_latest_published_at();

-- The heat map's rollup follows every change of a latest row, in the same transaction.
CREATE FUNCTION post_metrics_latest_roll_publish_time() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.published_at IS NOT NULL THEN
        UPDATE publish_time_engagement
        SET posts = posts - 1, engagement = engagement - OLD.engagement
        WHERE workspace_id = OLD.workspace_id
          AND bucket_start = date_bin('15 minutes', OLD.published_at, TIMESTAMPTZ '2000-01-01 00:00:00+00');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.published_at IS NOT NULL THEN
        INSERT INTO publish_time_engagement AS p (workspace_id, bucket_start, posts, engagement)
        VALUES (NEW.workspace_id, date_bin('15 minutes', NEW.published_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), 1, NEW.engagement)
        ON CONFLICT (workspace_id, bucket_start) DO UPDATE SET posts = p.posts + 1, engagement = p.engagement + EXCLUDED.engagement;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER post_metrics_latest_roll_publish_time AFTER INSERT OR UPDATE OR DELETE ON post_metrics_latest
    FOR EACH ROW EXECUTE FUNCTION post_metrics_latest_roll_publish_time();

ALTER TABLE publish_time_engagement ENABLE ROW LEVEL SECURITY;
ALTER TABLE publish_time_engagement FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON publish_time_engagement
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
GRANT SELECT, INSERT, UPDATE ON publish_time_engagement TO herald_app;

COMMENT ON TABLE publish_time_engagement IS 'Per quarter hour of publishing, targets with counters and their engagement: the heat map.';

-- migrate:down
DROP TRIGGER post_metrics_latest_roll_publish_time ON post_metrics_latest;
DROP FUNCTION post_metrics_latest_roll_publish_time();
DROP TRIGGER post_metrics_latest_published_at ON post_metrics_latest;
DROP FUNCTION post_metrics_latest_published_at();
DROP TABLE publish_time_engagement;
DROP INDEX post_metrics_latest_published_idx;
DROP INDEX post_metrics_latest_top_idx;
ALTER TABLE post_metrics_latest DROP COLUMN engagement, DROP COLUMN published_at;
