-- Analytics and audit: metric snapshots partitioned by month, daily rollups, the audit trail, API usage.
-- migrate:up

-- Snapshots of a post target's counters as the platform reported them (NULL: not reported).
-- Partitioned by month on captured_at; post_metrics_default takes whatever has no partition yet, so an
-- insert never fails, and ensure_post_metrics_partitions() creates the months ahead (to be run daily,
-- e.g. by the worker; the up part of this migration creates this month and the next three).
-- No surrogate id: PostgreSQL 15 has no identity columns on partitioned tables, and a snapshot is
-- named by its target and time. The primary key also serves "metrics of a target over time".
-- Partitions get row-level security too (reading a partition directly skips the parent's policies);
-- herald_app is granted only the parent.
CREATE TABLE post_metrics (
    workspace_id    bigint NOT NULL,
    post_target_id  bigint NOT NULL,
    captured_at     timestamptz NOT NULL,
    views           bigint,
    likes           bigint,
    comments        bigint,
    shares          bigint,
    clicks          bigint,
    CONSTRAINT post_metrics_pkey PRIMARY KEY (workspace_id, post_target_id, captured_at),
    CONSTRAINT post_metrics_post_target_id_fkey FOREIGN KEY (workspace_id, post_target_id)
        REFERENCES post_targets (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_metrics_counts_nonnegative CHECK (views >= 0 AND likes >= 0 AND comments >= 0
        AND shares >= 0 AND clicks >= 0)
) PARTITION BY RANGE (captured_at);

CREATE TABLE post_metrics_default PARTITION OF post_metrics DEFAULT;

ALTER TABLE post_metrics ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_metrics FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_metrics
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
ALTER TABLE post_metrics_default ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_metrics_default FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_metrics_default
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

-- Creates the monthly partitions post_metrics_YYYY_MM (months in UTC) from months_back months ago to
-- months_ahead months ahead of the current month, skipping those that exist; returns how many it
-- created. Rows already in the default partition for a new month move into it. SECURITY DEFINER so
-- the worker (herald_app) can run it: creating partitions needs the table owner.
CREATE FUNCTION ensure_post_metrics_partitions(months_ahead integer, months_back integer DEFAULT 0)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
DECLARE
    this_month  date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    month_start date;
    part        text;
    lower_bound timestamptz;
    upper_bound timestamptz;
    moving      boolean;
    created     integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead NOT BETWEEN 0 AND 120
       OR months_back IS NULL OR months_back NOT BETWEEN 0 AND 120 THEN
        RAISE EXCEPTION 'months_ahead and months_back must be between 0 and 120'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN -months_back .. months_ahead LOOP
        month_start := (this_month + make_interval(months => i))::date;
        part := 'post_metrics_' || to_char(month_start, 'YYYY_MM');
        CONTINUE WHEN to_regclass(part) IS NOT NULL;
        lower_bound := month_start::timestamp AT TIME ZONE 'UTC';
        upper_bound := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        -- Rows of that month in the default partition must leave it before the partition can exist.
        -- The owner sees them only with FORCE lifted (this transaction holds the partition locked
        -- meanwhile); they wait in a temporary table and go into the new partition before it gets
        -- row-level security.
        ALTER TABLE post_metrics_default NO FORCE ROW LEVEL SECURITY;
        moving := EXISTS (SELECT 1 FROM post_metrics_default
                          WHERE captured_at >= lower_bound AND captured_at < upper_bound);
        IF moving THEN
            CREATE TEMPORARY TABLE IF NOT EXISTS post_metrics_moving (LIKE post_metrics) ON COMMIT DROP;
            EXECUTE 'WITH moved AS (DELETE FROM post_metrics_default
                                    WHERE captured_at >= $1 AND captured_at < $2 RETURNING *)
                     INSERT INTO post_metrics_moving SELECT * FROM moved' USING lower_bound, upper_bound;
        END IF;
        EXECUTE format('CREATE TABLE %I PARTITION OF post_metrics FOR VALUES FROM (%L) TO (%L)',
                       part, lower_bound, upper_bound);
        IF moving THEN
            EXECUTE format('INSERT INTO %I SELECT * FROM post_metrics_moving', part);
            EXECUTE 'TRUNCATE post_metrics_moving';
        END IF;
        ALTER TABLE post_metrics_default FORCE ROW LEVEL SECURITY;
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', part);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON %I
            USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
            WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))$policy$,
            part);
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;
REVOKE ALL ON FUNCTION ensure_post_metrics_partitions(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ensure_post_metrics_partitions(integer, integer) TO herald_app;

SELECT ensure_post_metrics_partitions(3);

-- Per target and day (UTC), the counters as of the day's last snapshot; the dashboard reads these
-- instead of post_metrics. Upserted by the rollup job.
CREATE TABLE post_metrics_daily (
    workspace_id    bigint NOT NULL,
    post_target_id  bigint NOT NULL,
    day             date NOT NULL,
    views           bigint,
    likes           bigint,
    comments        bigint,
    shares          bigint,
    clicks          bigint,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT post_metrics_daily_pkey PRIMARY KEY (workspace_id, post_target_id, day),
    CONSTRAINT post_metrics_daily_post_target_id_fkey FOREIGN KEY (workspace_id, post_target_id)
        REFERENCES post_targets (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_metrics_daily_counts_nonnegative CHECK (views >= 0 AND likes >= 0 AND comments >= 0
        AND shares >= 0 AND clicks >= 0)
);
-- The dashboard: a workspace's days in a range.
CREATE INDEX post_metrics_daily_workspace_day_idx ON post_metrics_daily (workspace_id, day);

-- Who did what, where. workspace_id is NULL for account and site events (sign-in, password change,
-- admin actions), which only site admins read. actor_id has no foreign key on purpose: the trail
-- outlives users and is never rewritten. Append-only like credit_entries.
CREATE TABLE audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint REFERENCES workspaces (id) ON DELETE CASCADE,
    actor_id        bigint,
    action          text NOT NULL,
    target_type     text,
    target_id       bigint,
    details         jsonb NOT NULL DEFAULT '{}',
    ip              inet,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_events_action_shape CHECK (action ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'
        AND char_length(action) <= 100),
    CONSTRAINT audit_events_target_type_shape CHECK (target_type ~ '^[a-z][a-z_]*$' AND char_length(target_type) <= 50),
    CONSTRAINT audit_events_target_paired CHECK (target_id IS NULL OR target_type IS NOT NULL),
    CONSTRAINT audit_events_details_object CHECK (jsonb_typeof(details) = 'object')
);
CREATE INDEX audit_events_workspace_occurred_idx ON audit_events (workspace_id, occurred_at);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- Calls Herald makes to outside services (platform APIs, the language model), per workspace: for
-- quotas, cost and the admin's view of errors.
CREATE TABLE api_usage (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    service         text NOT NULL,
    operation       text NOT NULL,
    status_code     smallint,
    duration_ms     integer NOT NULL,
    units           integer NOT NULL DEFAULT 0,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_usage_service_valid CHECK (service IN ('x', 'linkedin', 'reddit', 'facebook', 'instagram',
        'threads', 'bluesky', 'mastodon', 'youtube', 'tiktok', 'pinterest', 'llm')),
    CONSTRAINT api_usage_operation_length CHECK (char_length(operation) BETWEEN 1 AND 100),
    CONSTRAINT api_usage_status_code_range CHECK (status_code BETWEEN 100 AND 599),
    CONSTRAINT api_usage_duration_nonnegative CHECK (duration_ms >= 0),
    CONSTRAINT api_usage_units_nonnegative CHECK (units >= 0)
);
CREATE INDEX api_usage_workspace_occurred_idx ON api_usage (workspace_id, occurred_at);

ALTER TABLE post_metrics_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_metrics_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_metrics_daily
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_events
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- Account and site events are written with no tenant set...
CREATE POLICY site_event_append ON audit_events FOR INSERT
    WITH CHECK ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL AND workspace_id IS NULL);
-- ...and read by site admins only (app.user_id names one).
CREATE POLICY site_event_admin_read ON audit_events FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL AND workspace_id IS NULL
        AND (SELECT u.is_site_admin FROM users u
             WHERE u.id = NULLIF(current_setting('app.user_id', true), '')::bigint));

ALTER TABLE api_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_usage
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

-- Descriptions, shown in docs/schema.md.
COMMENT ON TABLE post_metrics IS 'Snapshots of a post target''s counters, partitioned by month.';
COMMENT ON TABLE post_metrics_daily IS 'Per target and day, the counters as of the day''s last snapshot, for the dashboard.';
COMMENT ON TABLE audit_events IS 'Who did what, where: append-only.';
COMMENT ON TABLE api_usage IS 'Calls to outside services per workspace, for quotas, cost and errors.';

GRANT SELECT, INSERT ON post_metrics, audit_events, api_usage TO herald_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON post_metrics_daily TO herald_app;

-- migrate:down
DROP TABLE api_usage;
DROP TABLE audit_events;
DROP TABLE post_metrics_daily;
DROP TABLE post_metrics;
DROP FUNCTION ensure_post_metrics_partitions(integer, integer);
