-- What `GET /metrics` reads from the database: the queue by kind and status, the oldest due job's
-- age, publish outcomes (post targets by platform and status), connections in use. One
-- SECURITY DEFINER function returns them as (name, labels, value) rows, so herald_app needs no
-- cross-tenant read of jobs or post targets: it sees the counts and nothing else. Row-level
-- security is forced on the owner too, so the function opens the metrics_read policies (for the
-- owner only) for the length of its statement, as claim_metric_fetches does.
-- migrate:up

CREATE POLICY metrics_read ON jobs FOR SELECT TO herald_owner
    USING ((SELECT current_setting('app.metrics_read', true)) = 'on');
CREATE POLICY metrics_read ON post_targets FOR SELECT TO herald_owner
    USING ((SELECT current_setting('app.metrics_read', true)) = 'on');
CREATE POLICY metrics_read ON social_accounts FOR SELECT TO herald_owner
    USING ((SELECT current_setting('app.metrics_read', true)) = 'on');

CREATE FUNCTION metrics_gauges()
    RETURNS TABLE (name text, labels jsonb, value double precision)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    PERFORM set_config('app.metrics_read', 'on', true);
    -- Jobs not yet finished, by kind and status (every pair, zeros included, so a series never vanishes).
    RETURN QUERY
    SELECT 'herald_queue_jobs', jsonb_build_object('kind', k.kind, 'status', s.status), count(j.id)::double precision
    FROM unnest(ARRAY['publish_post_target', 'reconcile_post_target', 'refresh_social_token', 'fetch_post_metrics',
                      'rollup_daily_metrics', 'ingest_source', 'learn_persona_style', 'generate_post']) AS k(kind)
    CROSS JOIN unnest(ARRAY['queued', 'running', 'dead']) AS s(status)
    LEFT JOIN jobs j ON j.kind = k.kind AND j.status = s.status
    GROUP BY k.kind, s.status;
    -- How long the oldest job that is due has waited (0 when none is).
    RETURN QUERY
    SELECT 'herald_queue_oldest_due_seconds', '{}'::jsonb,
           coalesce(extract(epoch FROM now() - min(run_at)), 0)::double precision
    FROM jobs WHERE status = 'queued' AND run_at <= now();
    -- Publish outcomes: post targets by platform and status.
    RETURN QUERY
    SELECT 'herald_post_targets', jsonb_build_object('platform', a.platform, 'status', t.status), count(*)::double precision
    FROM post_targets t JOIN social_accounts a ON a.workspace_id = t.workspace_id AND a.id = t.social_account_id
    GROUP BY a.platform, t.status;
    -- Connections to this database by role, against the server's limit (a role that is not a superuser
    -- sees other roles' sessions but not their state, so no split by state).
    RETURN QUERY
    SELECT 'herald_db_connections', jsonb_build_object('role', coalesce(a.usename::text, 'unknown')), count(*)::double precision
    FROM pg_stat_activity a WHERE a.datname = current_database()
    GROUP BY a.usename;
    RETURN QUERY
    SELECT 'herald_db_max_connections', '{}'::jsonb, current_setting('max_connections')::double precision;
    PERFORM set_config('app.metrics_read', 'off', true);
END
$$;
REVOKE ALL ON FUNCTION metrics_gauges() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION metrics_gauges() TO herald_app;
COMMENT ON FUNCTION metrics_gauges() IS 'The database''s gauges for GET /metrics: queue by kind and status, oldest due job, post targets by platform and status, connections by role and the limit.';

-- migrate:down

DROP FUNCTION metrics_gauges();
DROP POLICY metrics_read ON social_accounts;
DROP POLICY metrics_read ON post_targets;
DROP POLICY metrics_read ON jobs;
