-- Analytics collection: the counters every platform reports, the worker's fetch schedule per post
-- target and per account, incremental rollups kept in the same transaction as each snapshot, and
-- dropping raw partitions past retention.
-- migrate:up

-- Counters post_metrics had no column for: quotes (Bluesky, X, Mastodon 4.5), saves (X bookmarks)
-- and Reddit's score (upvotes minus downvotes: may be negative). NULL still means "not reported".
ALTER TABLE post_metrics
    ADD COLUMN quotes bigint,
    ADD COLUMN saves  bigint,
    ADD COLUMN score  bigint,
    ADD CONSTRAINT post_metrics_more_counts_nonnegative CHECK (quotes >= 0 AND saves >= 0);
ALTER TABLE post_metrics_daily
    ADD COLUMN quotes bigint,
    ADD COLUMN saves  bigint,
    ADD COLUMN score  bigint,
    ADD CONSTRAINT post_metrics_daily_more_counts_nonnegative CHECK (quotes >= 0 AND saves >= 0);

-- The latest snapshot of each target: the base of the next snapshot's change, and what "top posts"
-- and the best-time heat map read (one row per target instead of every snapshot).
CREATE TABLE post_metrics_latest (
    workspace_id    bigint NOT NULL,
    post_target_id  bigint NOT NULL,
    captured_at     timestamptz NOT NULL,
    views           bigint,
    likes           bigint,
    comments        bigint,
    shares          bigint,
    clicks          bigint,
    quotes          bigint,
    saves           bigint,
    score           bigint,
    snapshots       integer NOT NULL DEFAULT 1,
    CONSTRAINT post_metrics_latest_pkey PRIMARY KEY (workspace_id, post_target_id),
    CONSTRAINT post_metrics_latest_post_target_id_fkey FOREIGN KEY (workspace_id, post_target_id)
        REFERENCES post_targets (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_metrics_latest_counts_nonnegative CHECK (views >= 0 AND likes >= 0 AND comments >= 0
        AND shares >= 0 AND clicks >= 0 AND quotes >= 0 AND saves >= 0),
    CONSTRAINT post_metrics_latest_snapshots_positive CHECK (snapshots > 0)
);

-- Per social account and quarter hour (UTC), how much each counter grew over all the account's
-- targets: the sum of the changes between consecutive snapshots taken in that quarter hour. Every
-- time zone's midnight falls on a quarter hour, so a day in any viewer's zone is a whole number of
-- buckets and range totals are exact. NULL: no target of the account reported the counter.
CREATE TABLE account_engagement (
    workspace_id      bigint NOT NULL,
    bucket_start      timestamptz NOT NULL,
    social_account_id bigint NOT NULL,
    views             bigint,
    likes             bigint,
    comments          bigint,
    shares            bigint,
    clicks            bigint,
    quotes            bigint,
    saves             bigint,
    score             bigint,
    snapshots         integer NOT NULL DEFAULT 0,
    CONSTRAINT account_engagement_pkey PRIMARY KEY (workspace_id, bucket_start, social_account_id),
    CONSTRAINT account_engagement_social_account_id_fkey FOREIGN KEY (workspace_id, social_account_id)
        REFERENCES social_accounts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT account_engagement_bucket_quarter_hour CHECK (bucket_start = date_bin('15 minutes', bucket_start, TIMESTAMPTZ '2000-01-01 00:00:00+00')),
    CONSTRAINT account_engagement_snapshots_nonnegative CHECK (snapshots >= 0)
);
-- One account's buckets (its foreign key, and a channel's own history).
CREATE INDEX account_engagement_account_idx ON account_engagement (workspace_id, social_account_id, bucket_start);

-- Each account's follower count, one reading per UTC day (the day's last).
CREATE TABLE account_followers_daily (
    workspace_id      bigint NOT NULL,
    social_account_id bigint NOT NULL,
    day               date NOT NULL,
    followers         bigint NOT NULL,
    captured_at       timestamptz NOT NULL,
    CONSTRAINT account_followers_daily_pkey PRIMARY KEY (workspace_id, social_account_id, day),
    CONSTRAINT account_followers_daily_social_account_id_fkey FOREIGN KEY (workspace_id, social_account_id)
        REFERENCES social_accounts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT account_followers_daily_followers_nonnegative CHECK (followers >= 0)
);
CREATE INDEX account_followers_daily_workspace_day_idx ON account_followers_daily (workspace_id, day);

-- The worker's schedule. A published target is due at once (a first snapshot right after
-- publishing), then on the decaying schedule (HERALD_METRICS_SCHEDULE); NULL: not collected (not
-- published, past the schedule, deleted at the platform). metrics_note says why collection stopped.
ALTER TABLE post_targets
    ADD COLUMN metrics_next_at timestamptz,
    ADD COLUMN metrics_fetches integer NOT NULL DEFAULT 0,
    ADD COLUMN metrics_note    text,
    ADD CONSTRAINT post_targets_metrics_fetches_nonnegative CHECK (metrics_fetches >= 0),
    ADD CONSTRAINT post_targets_metrics_note_length CHECK (char_length(metrics_note) <= 500);
CREATE INDEX post_targets_metrics_due_idx ON post_targets (metrics_next_at) WHERE metrics_next_at IS NOT NULL;
-- Top posts and the best-time heat map: a workspace's published targets by time.
CREATE INDEX post_targets_workspace_published_idx ON post_targets (workspace_id, published_at) WHERE status = 'published';

ALTER TABLE social_accounts
    ADD COLUMN followers_next_at timestamptz,
    ADD COLUMN followers_note    text,
    ADD CONSTRAINT social_accounts_followers_note_length CHECK (char_length(followers_note) <= 500);
CREATE INDEX social_accounts_followers_due_idx ON social_accounts (coalesce(followers_next_at, '-infinity')) WHERE status = 'active';

-- A target that becomes published is due for its first snapshot, whichever path published it (the
-- worker, a reconcile, a person marking it live).
CREATE FUNCTION post_targets_schedule_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'published' AND NEW.external_post_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'published') THEN
        NEW.metrics_next_at := now();
        NEW.metrics_note := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER post_targets_schedule_metrics BEFORE INSERT OR UPDATE OF status ON post_targets
    FOR EACH ROW EXECUTE FUNCTION post_targets_schedule_metrics();
-- Targets published before this migration, within the 90 days the schedule covers.
UPDATE post_targets SET metrics_next_at = now()
WHERE status = 'published' AND external_post_id IS NOT NULL AND published_at > now() - interval '90 days';

-- Claims up to `how_many` due targets across workspaces for one worker: their next time moves
-- `lease_seconds` ahead, so another worker skips them and a worker that dies mid-fetch leaves them
-- due again after the lease (postponed, never lost). SECURITY DEFINER, so herald_app needs no
-- cross-tenant policy on post_targets; row-level security is forced on the owner too, so the
-- function opens the metrics_schedule policy (for the owner only) for the length of its statement.
-- It can change nothing but the schedule.
CREATE FUNCTION claim_metric_fetches(how_many integer, lease_seconds integer)
    RETURNS TABLE (workspace_id bigint, post_target_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM set_config('app.metrics_claim', 'on', true);
    RETURN QUERY
    UPDATE post_targets t SET metrics_next_at = now() + make_interval(secs => lease_seconds)
    FROM (SELECT p.id FROM post_targets p
          WHERE p.metrics_next_at <= now()
          ORDER BY p.metrics_next_at
          LIMIT least(greatest(how_many, 0), 1000)
          FOR UPDATE SKIP LOCKED) due
    WHERE t.id = due.id
    RETURNING t.workspace_id, t.id;
    PERFORM set_config('app.metrics_claim', 'off', true);
END
$$;

-- The same for accounts' daily follower counts.
CREATE FUNCTION claim_follower_fetches(how_many integer, lease_seconds integer)
    RETURNS TABLE (workspace_id bigint, social_account_id bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM set_config('app.metrics_claim', 'on', true);
    RETURN QUERY
    UPDATE social_accounts a SET followers_next_at = now() + make_interval(secs => lease_seconds)
    FROM (SELECT s.id FROM social_accounts s
          WHERE s.status = 'active' AND coalesce(s.followers_next_at, '-infinity') <= now()
          ORDER BY coalesce(s.followers_next_at, '-infinity')
          LIMIT least(greatest(how_many, 0), 1000)
          FOR UPDATE SKIP LOCKED) due
    WHERE a.id = due.id
    RETURNING a.workspace_id, a.id;
    PERFORM set_config('app.metrics_claim', 'off', true);
END
$$;
-- What the claim functions see and change, as the owner, while they run.
CREATE POLICY metrics_schedule ON post_targets TO herald_owner
    USING ((SELECT current_setting('app.metrics_claim', true)) = 'on')
    WITH CHECK ((SELECT current_setting('app.metrics_claim', true)) = 'on');
CREATE POLICY metrics_schedule ON social_accounts TO herald_owner
    USING ((SELECT current_setting('app.metrics_claim', true)) = 'on')
    WITH CHECK ((SELECT current_setting('app.metrics_claim', true)) = 'on');

-- Appends one snapshot and keeps every rollup in step, in the caller's transaction: the target's
-- latest counters, its UTC day in post_metrics_daily, and the growth since its previous snapshot
-- in its account's quarter hour. A snapshot not later than the target's latest changes nothing
-- (a retried call) and returns false. Runs as the caller: row-level security applies.
CREATE FUNCTION record_post_metrics(
    p_workspace bigint, p_target bigint, p_captured_at timestamptz,
    p_views bigint, p_likes bigint, p_comments bigint, p_shares bigint, p_clicks bigint,
    p_quotes bigint, p_saves bigint, p_score bigint)
    RETURNS boolean
    LANGUAGE plpgsql SET search_path = public, pg_temp
    AS $$
DECLARE
    prev    post_metrics_latest%ROWTYPE;
    account bigint;
BEGIN
    SELECT social_account_id INTO account FROM post_targets WHERE workspace_id = p_workspace AND id = p_target FOR SHARE;
    IF account IS NULL THEN
        RAISE EXCEPTION 'no post target % in workspace %', p_target, p_workspace USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT * INTO prev FROM post_metrics_latest
    WHERE workspace_id = p_workspace AND post_target_id = p_target FOR UPDATE;
    IF FOUND AND prev.captured_at >= p_captured_at THEN
        RETURN false;
    END IF;

    INSERT INTO post_metrics (workspace_id, post_target_id, captured_at, views, likes, comments, shares, clicks, quotes, saves, score)
    VALUES (p_workspace, p_target, p_captured_at, p_views, p_likes, p_comments, p_shares, p_clicks, p_quotes, p_saves, p_score);

    INSERT INTO post_metrics_latest AS l (workspace_id, post_target_id, captured_at, views, likes, comments, shares, clicks, quotes, saves, score)
    VALUES (p_workspace, p_target, p_captured_at, p_views, p_likes, p_comments, p_shares, p_clicks, p_quotes, p_saves, p_score)
    ON CONFLICT (workspace_id, post_target_id) DO UPDATE
    SET captured_at = EXCLUDED.captured_at, views = EXCLUDED.views, likes = EXCLUDED.likes, comments = EXCLUDED.comments,
        shares = EXCLUDED.shares, clicks = EXCLUDED.clicks, quotes = EXCLUDED.quotes, saves = EXCLUDED.saves,
        score = EXCLUDED.score, snapshots = l.snapshots + 1;

    INSERT INTO post_metrics_daily AS d (workspace_id, post_target_id, day, views, likes, comments, shares, clicks, quotes, saves, score, updated_at)
    VALUES (p_workspace, p_target, (p_captured_at AT TIME ZONE 'UTC')::date, p_views, p_likes, p_comments, p_shares, p_clicks,
            p_quotes, p_saves, p_score, now())
    ON CONFLICT (workspace_id, post_target_id, day) DO UPDATE
    SET views = EXCLUDED.views, likes = EXCLUDED.likes, comments = EXCLUDED.comments, shares = EXCLUDED.shares,
        clicks = EXCLUDED.clicks, quotes = EXCLUDED.quotes, saves = EXCLUDED.saves, score = EXCLUDED.score, updated_at = now();

    -- Growth since the previous snapshot (from zero for the first: a post starts with nothing).
    -- A counter this snapshot does not report adds nothing and stays NULL where nothing reported it.
    INSERT INTO account_engagement AS e (workspace_id, bucket_start, social_account_id, views, likes, comments, shares, clicks,
                                         quotes, saves, score, snapshots)
    VALUES (p_workspace, date_bin('15 minutes', p_captured_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), account,
            p_views - coalesce(prev.views, 0), p_likes - coalesce(prev.likes, 0), p_comments - coalesce(prev.comments, 0),
            p_shares - coalesce(prev.shares, 0), p_clicks - coalesce(prev.clicks, 0), p_quotes - coalesce(prev.quotes, 0),
            p_saves - coalesce(prev.saves, 0), p_score - coalesce(prev.score, 0), 1)
    ON CONFLICT (workspace_id, bucket_start, social_account_id) DO UPDATE
    SET views = CASE WHEN EXCLUDED.views IS NULL THEN e.views ELSE coalesce(e.views, 0) + EXCLUDED.views END,
        likes = CASE WHEN EXCLUDED.likes IS NULL THEN e.likes ELSE coalesce(e.likes, 0) + EXCLUDED.likes END,
        comments = CASE WHEN EXCLUDED.comments IS NULL THEN e.comments ELSE coalesce(e.comments, 0) + EXCLUDED.comments END,
        shares = CASE WHEN EXCLUDED.shares IS NULL THEN e.shares ELSE coalesce(e.shares, 0) + EXCLUDED.shares END,
        clicks = CASE WHEN EXCLUDED.clicks IS NULL THEN e.clicks ELSE coalesce(e.clicks, 0) + EXCLUDED.clicks END,
        quotes = CASE WHEN EXCLUDED.quotes IS NULL THEN e.quotes ELSE coalesce(e.quotes, 0) + EXCLUDED.quotes END,
        saves = CASE WHEN EXCLUDED.saves IS NULL THEN e.saves ELSE coalesce(e.saves, 0) + EXCLUDED.saves END,
        score = CASE WHEN EXCLUDED.score IS NULL THEN e.score ELSE coalesce(e.score, 0) + EXCLUDED.score END,
        snapshots = e.snapshots + 1;
    RETURN true;
END
$$;

-- Drops the raw monthly partitions that ended more than keep_months months ago (every snapshot is
-- rolled up as it is written, so nothing a page reads goes with them); returns how many. 0 keeps all.
CREATE FUNCTION drop_old_post_metrics_partitions(keep_months integer)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
DECLARE
    cutoff  timestamptz;
    part    record;
    dropped integer := 0;
BEGIN
    IF keep_months IS NULL OR keep_months < 0 OR keep_months > 1200 THEN
        RAISE EXCEPTION 'keep_months must be between 0 and 1200' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF keep_months = 0 THEN
        RETURN 0;
    END IF;
    cutoff := (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => keep_months)) AT TIME ZONE 'UTC';
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'post_metrics'::regclass AND c.relname ~ '^post_metrics_[0-9]{4}_[0-9]{2}$'
          AND (to_date(substr(c.relname, 14), 'YYYY_MM') + interval '1 month')::timestamp AT TIME ZONE 'UTC' <= cutoff
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$$;
REVOKE ALL ON FUNCTION claim_metric_fetches(integer, integer), claim_follower_fetches(integer, integer),
    drop_old_post_metrics_partitions(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_metric_fetches(integer, integer), claim_follower_fetches(integer, integer),
    drop_old_post_metrics_partitions(integer) TO herald_app;

ALTER TABLE post_metrics_latest ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_metrics_latest FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_metrics_latest
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
ALTER TABLE account_engagement ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_engagement FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_engagement
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
ALTER TABLE account_followers_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_followers_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_followers_daily
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

GRANT SELECT, INSERT, UPDATE ON post_metrics_latest, account_engagement, account_followers_daily TO herald_app;

COMMENT ON TABLE post_metrics_latest IS 'Each post target''s latest snapshot: top posts, the heat map, the base of the next change.';
COMMENT ON TABLE account_engagement IS 'Per account and quarter hour (UTC), how much each counter grew: range totals in any time zone.';
COMMENT ON TABLE account_followers_daily IS 'Each account''s follower count, the day''s last reading (UTC days).';
COMMENT ON COLUMN post_targets.metrics_next_at IS 'When the worker next fetches this target''s metrics; NULL: not collected.';
COMMENT ON COLUMN social_accounts.followers_next_at IS 'When the worker next reads the follower count; NULL: now.';

-- migrate:down
DROP FUNCTION drop_old_post_metrics_partitions(integer);
DROP FUNCTION record_post_metrics(bigint, bigint, timestamptz, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint);
DROP POLICY metrics_schedule ON social_accounts;
DROP POLICY metrics_schedule ON post_targets;
DROP FUNCTION claim_follower_fetches(integer, integer);
DROP FUNCTION claim_metric_fetches(integer, integer);
DROP TRIGGER post_targets_schedule_metrics ON post_targets;
DROP FUNCTION post_targets_schedule_metrics();
DROP INDEX social_accounts_followers_due_idx;
ALTER TABLE social_accounts DROP CONSTRAINT social_accounts_followers_note_length,
    DROP COLUMN followers_note, DROP COLUMN followers_next_at;
DROP INDEX post_targets_workspace_published_idx;
DROP INDEX post_targets_metrics_due_idx;
ALTER TABLE post_targets DROP CONSTRAINT post_targets_metrics_note_length, DROP CONSTRAINT post_targets_metrics_fetches_nonnegative,
    DROP COLUMN metrics_note, DROP COLUMN metrics_fetches, DROP COLUMN metrics_next_at;
DROP TABLE account_followers_daily;
DROP TABLE account_engagement;
DROP TABLE post_metrics_latest;
ALTER TABLE post_metrics_daily DROP CONSTRAINT post_metrics_daily_more_counts_nonnegative,
    DROP COLUMN score, DROP COLUMN saves, DROP COLUMN quotes;
ALTER TABLE post_metrics DROP CONSTRAINT post_metrics_more_counts_nonnegative,
    DROP COLUMN score, DROP COLUMN saves, DROP COLUMN quotes;
