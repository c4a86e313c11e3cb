-- Queue: background jobs the worker claims with FOR UPDATE SKIP LOCKED.
-- migrate:up

-- Life of a job: queued -> running (locked_by, locked_until: a lease) -> done, or back to queued with
-- a later run_at after a transient error, or dead after max_attempts; canceled when its post is edited
-- or deleted. The idempotency key (e.g. 'post_target:42:v3') makes enqueueing the same work twice a
-- no-op: INSERT ... ON CONFLICT (workspace_id, idempotency_key) DO NOTHING.
-- Every job belongs to a workspace; the worker's claim runs with app.workspace_id unset and
-- app.cross_tenant = 'on' (policy worker_queue) and then handles each job with the tenant set to its
-- workspace_id.
CREATE TABLE jobs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind            text NOT NULL,
    payload         jsonb NOT NULL DEFAULT '{}',
    priority        smallint NOT NULL DEFAULT 0,
    status          text NOT NULL DEFAULT 'queued',
    run_at          timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    max_attempts    integer NOT NULL DEFAULT 5,
    locked_by       text,
    locked_until    timestamptz,
    last_error      text,
    idempotency_key text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    CONSTRAINT jobs_workspace_idempotency_key UNIQUE (workspace_id, idempotency_key),
    CONSTRAINT jobs_kind_valid CHECK (kind IN ('publish_post_target', 'reconcile_post_target',
        'refresh_social_token', 'fetch_post_metrics', 'rollup_daily_metrics', 'ingest_source',
        'learn_persona_style', 'generate_post')),
    CONSTRAINT jobs_status_valid CHECK (status IN ('queued', 'running', 'done', 'dead', 'canceled')),
    CONSTRAINT jobs_payload_object CHECK (jsonb_typeof(payload) = 'object'),
    CONSTRAINT jobs_priority_range CHECK (priority BETWEEN -100 AND 100),
    CONSTRAINT jobs_attempts_nonnegative CHECK (attempts >= 0),
    CONSTRAINT jobs_max_attempts_positive CHECK (max_attempts BETWEEN 1 AND 100),
    CONSTRAINT jobs_attempts_within_max CHECK (attempts <= max_attempts),
    CONSTRAINT jobs_running_has_lease CHECK (status <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL)),
    CONSTRAINT jobs_locked_by_length CHECK (char_length(locked_by) BETWEEN 1 AND 200),
    CONSTRAINT jobs_last_error_length CHECK (char_length(last_error) <= 2000),
    CONSTRAINT jobs_idempotency_key_length CHECK (char_length(idempotency_key) BETWEEN 1 AND 200)
);
-- Due jobs: WHERE status = 'queued' AND run_at <= now() ORDER BY run_at.
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE status = 'queued';
-- Expired leases of crashed workers: WHERE status = 'running' AND locked_until < now().
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
CREATE POLICY worker_queue ON jobs
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND (SELECT current_setting('app.cross_tenant', true)) = 'on')
    WITH CHECK ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND (SELECT current_setting('app.cross_tenant', true)) = 'on');

-- Descriptions, shown in docs/schema.md.
COMMENT ON TABLE jobs IS 'Background work for the worker: publishing, token refreshes, metrics, ingestion.';

GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO herald_app;

-- migrate:down
DROP TABLE jobs;
