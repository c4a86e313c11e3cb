-- Site administration (herald-admin at /admin): sudo mode on sessions, what a site admin may read and
-- change under row-level security, a census of the keys sealing every sealed column, and audit events
-- that outlive the workspace they concern.
-- migrate:up

-- Sudo mode: sensitive admin actions (locking a user, ending sessions, deleting a user, granting
-- credits, retrying or discarding a job) need the password re-entered within the last 10 minutes.
-- This is until when the session may do them without being asked again; NULL: never confirmed.
ALTER TABLE sessions ADD COLUMN sudo_until timestamptz;

-- True while a transaction acts for a site admin: herald-admin sets app.site_admin to 'on' for the
-- transaction after its own check, app.user_id names an active user with is_site_admin, and no tenant
-- is set (inside a tenant transaction nothing of another workspace is visible whatever else is set).
-- SECURITY DEFINER so it reads users whatever policies users may get; it tells nothing but true or false.
CREATE FUNCTION app_acting_as_site_admin() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    IF coalesce(current_setting('app.site_admin', true), '') <> 'on'
       OR NULLIF(current_setting('app.workspace_id', true), '') IS NOT NULL THEN
        RETURN false;
    END IF;
    RETURN coalesce((SELECT u.is_site_admin AND u.status = 'active' FROM users u
                     WHERE u.id = NULLIF(current_setting('app.user_id', true), '')::bigint), false);
END
$$;
REVOKE ALL ON FUNCTION app_acting_as_site_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_acting_as_site_admin() TO herald_app;

-- What the admin pages read across workspaces: the workspace list (plan, members, balance), a
-- workspace's members and ledger, the job queue and the whole audit trail. Read only.
CREATE POLICY site_admin_read ON workspaces FOR SELECT USING ((SELECT app_acting_as_site_admin()));
CREATE POLICY site_admin_read ON memberships FOR SELECT USING ((SELECT app_acting_as_site_admin()));
CREATE POLICY site_admin_read ON subscriptions FOR SELECT USING ((SELECT app_acting_as_site_admin()));
CREATE POLICY site_admin_read ON credit_accounts FOR SELECT USING ((SELECT app_acting_as_site_admin()));
CREATE POLICY site_admin_read ON credit_entries FOR SELECT USING ((SELECT app_acting_as_site_admin()));
CREATE POLICY site_admin_read ON jobs FOR SELECT USING ((SELECT app_acting_as_site_admin()));
CREATE POLICY site_admin_read ON audit_events FOR SELECT USING ((SELECT app_acting_as_site_admin()));
-- The one change the admin makes across workspaces: a dead job goes back to the queue or is
-- discarded (canceled). Nothing else of a job, and no other job, can be changed this way. Credit
-- grants and deleting a user's own workspaces run with the tenant set, like any tenant change.
CREATE POLICY site_admin_requeue ON jobs FOR UPDATE
    USING ((SELECT app_acting_as_site_admin()) AND status = 'dead')
    WITH CHECK ((SELECT app_acting_as_site_admin()) AND status IN ('queued', 'canceled'));
-- The dead jobs page, newest first.
CREATE INDEX jobs_dead_idx ON jobs (id) WHERE status = 'dead';
-- The audit log filtered by actor, newest first.
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id) WHERE actor_id IS NOT NULL;

-- Audit events outlive their workspace: deleting a workspace keeps its trail, detached (workspace_id
-- keeps the id, which is never reused). The append-only trigger let DELETE through only as a
-- foreign-key cascade; with no cascade left it refuses every UPDATE, DELETE and TRUNCATE.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_workspace_id_fkey;
COMMENT ON TABLE audit_events IS 'Who did what, where: append-only; kept when its workspace is deleted.';

-- What a detached trail refers to: the slug and name a deleted workspace had. Written by the trigger
-- below in the transaction that deletes it, with that workspace as the tenant (policy tenant_note).
CREATE TABLE deleted_workspaces (
    id              bigint PRIMARY KEY,
    slug            text NOT NULL,
    name            text NOT NULL,
    owner_id        bigint,
    created_at      timestamptz NOT NULL,
    deleted_at      timestamptz NOT NULL DEFAULT now(),
    deleted_by      bigint
);
CREATE INDEX deleted_workspaces_slug_idx ON deleted_workspaces (slug);

CREATE FUNCTION workspaces_note_deletion() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp
    AS $$
BEGIN
    INSERT INTO deleted_workspaces (id, slug, name, owner_id, created_at, deleted_by)
    VALUES (OLD.id, OLD.slug, OLD.name, OLD.owner_id, OLD.created_at,
            NULLIF(current_setting('app.user_id', true), '')::bigint);
    RETURN NULL;
END
$$;
CREATE TRIGGER workspaces_note_deletion AFTER DELETE ON workspaces
    FOR EACH ROW EXECUTE FUNCTION workspaces_note_deletion();

ALTER TABLE deleted_workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE deleted_workspaces FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_note ON deleted_workspaces FOR INSERT
    WITH CHECK (id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
CREATE POLICY site_admin_read ON deleted_workspaces FOR SELECT USING ((SELECT app_acting_as_site_admin()));
COMMENT ON TABLE deleted_workspaces IS 'The slug and name of each deleted workspace, for its audit trail, which outlives it.';
GRANT SELECT, INSERT ON deleted_workspaces TO herald_app;

-- How many values each key id seals, per sealed column: every column sealed with the keyring
-- (table.column as in the associated data). SECURITY DEFINER, so herald_app needs no cross-tenant
-- read of accounts or flows: it gets counts and nothing else, and only while acting as a site admin
-- (the owner role, heraldctl, may always call it). Row-level security is forced on the owner too, so
-- the function opens the key_census policies (for the owner only) for the length of its statement.
CREATE POLICY key_census ON social_accounts FOR SELECT TO herald_owner
    USING ((SELECT current_setting('app.key_census', true)) = 'on');
CREATE POLICY key_census ON oauth_flows FOR SELECT TO herald_owner
    USING ((SELECT current_setting('app.key_census', true)) = 'on');

CREATE FUNCTION sealed_values_per_key()
    RETURNS TABLE (key_id integer, sealed_column text, sealed_values bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    IF session_user <> current_user AND NOT app_acting_as_site_admin() THEN
        RAISE EXCEPTION 'sealed_values_per_key() is for site admins'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('app.key_census', 'on', true);
    RETURN QUERY
    SELECT v.k, v.c, count(*)
    FROM (SELECT s.access_token_key_id, 'social_accounts.access_token' FROM social_accounts s
          WHERE s.access_token_key_id IS NOT NULL
          UNION ALL
          SELECT s.refresh_token_key_id, 'social_accounts.refresh_token' FROM social_accounts s
          WHERE s.refresh_token_key_id IS NOT NULL
          UNION ALL
          SELECT m.client_secret_key_id, 'mastodon_apps.client_secret' FROM mastodon_apps m
          WHERE m.client_secret_key_id IS NOT NULL
          UNION ALL
          SELECT f.code_verifier_key_id, 'oauth_flows.code_verifier' FROM oauth_flows f
          WHERE f.code_verifier_key_id IS NOT NULL) AS v(k, c)
    GROUP BY v.k, v.c
    ORDER BY v.k, v.c;
    PERFORM set_config('app.key_census', 'off', true);
END
$$;
REVOKE ALL ON FUNCTION sealed_values_per_key() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sealed_values_per_key() TO herald_app;
COMMENT ON FUNCTION sealed_values_per_key() IS 'Values sealed under each key id, per sealed column (social_accounts access and refresh tokens, mastodon_apps.client_secret, oauth_flows.code_verifier).';

-- migrate:down
DROP FUNCTION sealed_values_per_key();
DROP POLICY key_census ON oauth_flows;
DROP POLICY key_census ON social_accounts;

DROP TRIGGER workspaces_note_deletion ON workspaces;
DROP FUNCTION workspaces_note_deletion();
DROP TABLE deleted_workspaces;

-- Before this migration a workspace's audit events went with it; the detached ones of workspaces
-- deleted since would break the foreign key, so they go now. The owner is filtered by row-level
-- security too, and the append-only trigger refuses any DELETE that is not a cascade: both are lifted
-- for this one statement.
SELECT set_config('app.cross_tenant', 'on', true);
ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
DELETE FROM audit_events e
WHERE e.workspace_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = e.workspace_id);
ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
SELECT set_config('app.cross_tenant', 'off', true);
ALTER TABLE audit_events ADD CONSTRAINT audit_events_workspace_id_fkey
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE;
COMMENT ON TABLE audit_events IS 'Who did what, where: append-only.';

DROP INDEX audit_events_actor_idx;
DROP INDEX jobs_dead_idx;
DROP POLICY site_admin_requeue ON jobs;
DROP POLICY site_admin_read ON audit_events;
DROP POLICY site_admin_read ON jobs;
DROP POLICY site_admin_read ON credit_entries;
DROP POLICY site_admin_read ON credit_accounts;
DROP POLICY site_admin_read ON subscriptions;
DROP POLICY site_admin_read ON memberships;
DROP POLICY site_admin_read ON workspaces;
DROP FUNCTION app_acting_as_site_admin();

ALTER TABLE sessions DROP COLUMN sudo_until;
