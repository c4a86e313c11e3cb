-- Publishing: what the worker needs to send each post target exactly once or say why not.
-- migrate:up

-- At most one running job per serial key: 'account:<social_account_id>' keeps one send in flight
-- per social account, whichever worker claimed it (a second claim fails on this index).
ALTER TABLE jobs ADD COLUMN serial_key text;
ALTER TABLE jobs ADD CONSTRAINT jobs_serial_key_length CHECK (char_length(serial_key) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX jobs_one_running_per_serial_key ON jobs (serial_key) WHERE status = 'running';
-- A post's pending jobs, canceled when it is edited, unscheduled or deleted.
CREATE INDEX jobs_post_idx ON jobs (workspace_id, ((payload ->> 'post')::bigint)) WHERE status IN ('queued', 'running');

-- Workers LISTEN on herald_jobs and wake when a job becomes due-able; they poll as well.
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('herald_jobs', NEW.kind);
    RETURN NULL;
END
$$;
CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE OF status, run_at ON jobs
    FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION jobs_notify();

-- A target's send: the key chosen and stored before the call (Mastodon's Idempotency-Key, Bluesky's
-- record key), when the send started (a post being sent cannot be edited), the next retry, and
-- what the target was marked live with by a person (an unconfirmed target confirmed by hand).
ALTER TABLE post_targets
    ADD COLUMN request_key     text,
    ADD COLUMN sending_since   timestamptz,
    ADD COLUMN next_attempt_at timestamptz,
    ADD CONSTRAINT post_targets_request_key_length CHECK (char_length(request_key) BETWEEN 1 AND 200);
-- The publishing page: a workspace's targets by status.
CREATE INDEX post_targets_workspace_status_idx ON post_targets (workspace_id, status);

-- Until when a platform asked this account to wait (its rate-limit reset); no send before it.
ALTER TABLE social_accounts ADD COLUMN rate_limited_until timestamptz;

-- The worker finds accounts whose tokens expire soon across workspaces (to refresh them ahead),
-- like it claims jobs: with app.cross_tenant on and no tenant set. Read only.
CREATE POLICY worker_scan ON social_accounts FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND (SELECT current_setting('app.cross_tenant', true)) = 'on');

-- A post's status follows its targets once publishing started: publishing while any target is
-- pending, being sent or unconfirmed; then published, partially published or failed. Canceled
-- targets do not count. Returns the new status, or nothing when it did not change.
CREATE FUNCTION refresh_post_publishing_status(p_workspace bigint, p_post bigint) RETURNS text
LANGUAGE sql AS $$
    UPDATE posts p
    SET status = s.status, updated_at = now(),
        published_at = CASE WHEN s.status IN ('published', 'partially_published') THEN coalesce(p.published_at, now()) END
    FROM (SELECT CASE
                     WHEN count(*) = 0 THEN NULL
                     WHEN bool_or(t.status IN ('pending', 'publishing', 'unconfirmed')) THEN 'publishing'
                     WHEN bool_and(t.status = 'published') THEN 'published'
                     WHEN bool_or(t.status = 'published') THEN 'partially_published'
                     ELSE 'failed'
                 END AS status
          FROM post_targets t
          WHERE t.workspace_id = p_workspace AND t.post_id = p_post AND t.status <> 'canceled') s
    WHERE p.workspace_id = p_workspace AND p.id = p_post AND s.status IS NOT NULL AND p.status <> s.status
      AND p.status IN ('scheduled', 'publishing', 'published', 'partially_published', 'failed')
    RETURNING p.status
$$;

COMMENT ON COLUMN jobs.serial_key IS 'Jobs with the same key never run at once (one send per social account).';
COMMENT ON COLUMN post_targets.request_key IS 'Chosen before the call and sent with it: Mastodon Idempotency-Key, Bluesky record key.';

-- migrate:down
DROP FUNCTION refresh_post_publishing_status(bigint, bigint);
DROP POLICY worker_scan ON social_accounts;
ALTER TABLE social_accounts DROP COLUMN rate_limited_until;
DROP INDEX post_targets_workspace_status_idx;
ALTER TABLE post_targets DROP CONSTRAINT post_targets_request_key_length,
    DROP COLUMN next_attempt_at, DROP COLUMN sending_since, DROP COLUMN request_key;
DROP TRIGGER jobs_notify ON jobs;
DROP FUNCTION jobs_notify();
DROP INDEX jobs_post_idx;
DROP INDEX jobs_one_running_per_serial_key;
ALTER TABLE jobs DROP CONSTRAINT jobs_serial_key_length, DROP COLUMN serial_key;
