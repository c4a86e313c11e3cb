-- Tenancy: workspaces, memberships, invitations, and the row-level security every tenant table follows.
-- migrate:up

-- Row-level security, the pattern for every table with workspace_id (this file and the next ones):
--   ENABLE + FORCE (the owner role is filtered too) and a policy `tenant_isolation` admitting rows of
--   the workspace named by `app.workspace_id`, which the app sets per transaction with
--   set_config('app.workspace_id', id, true). Unset, or '' (what current_setting returns after a
--   transaction-local value has gone), matches nothing.
-- A few tables also admit rows by `app.user_id` (set the same way from the session) or by
-- `app.cross_tenant` = 'on' (the worker's claim and heraldctl's maintenance): those policies apply only
-- while app.workspace_id is unset, so inside a tenant transaction nothing of another workspace is
-- visible whatever else is set.
-- Foreign-key checks and cascades bypass row-level security, so the constraints below hold across
-- tenants.

-- The owner is both `owner_id` and the one membership with role 'owner'; the two foreign keys
-- workspaces_owner_membership_fkey and memberships_owner_fkey (deferred, checked at commit) keep them
-- the same person, so creating a workspace and transferring ownership each happen in one transaction.
-- Deleting a user who owns a workspace is refused (workspaces_owner_id_fkey, ON DELETE RESTRICT):
-- ownership must be transferred, or the workspace deleted, first; a workspace is never deleted as a
-- side effect of deleting a user.
CREATE TABLE workspaces (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            text NOT NULL,
    name            text NOT NULL,
    owner_id        bigint NOT NULL,
    time_zone       text NOT NULL DEFAULT 'UTC',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT workspaces_slug_key UNIQUE (slug),
    CONSTRAINT workspaces_id_owner_id_key UNIQUE (id, owner_id),
    CONSTRAINT workspaces_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT workspaces_slug_shape CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    CONSTRAINT workspaces_slug_not_reserved CHECK (slug NOT IN ('new', 'admin', 'api', 'oauth', 'ical')),
    CONSTRAINT workspaces_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT workspaces_time_zone_valid CHECK (is_valid_time_zone(time_zone))
);
CREATE INDEX workspaces_owner_id_idx ON workspaces (owner_id);

-- owner_user_id is user_id on the owner's row and NULL on the others: it is what lets foreign keys
-- say "the owner row is workspaces.owner_id" (memberships_owner_fkey) and "workspaces.owner_id has
-- the owner row" (workspaces_owner_membership_fkey). Only one owner per workspace follows.
CREATE TABLE memberships (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            text NOT NULL,
    owner_user_id   bigint GENERATED ALWAYS AS (CASE WHEN role = 'owner' THEN user_id END) STORED,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT memberships_workspace_user_key UNIQUE (workspace_id, user_id),
    CONSTRAINT memberships_workspace_owner_key UNIQUE (workspace_id, owner_user_id),
    CONSTRAINT memberships_role_valid CHECK (role IN ('owner', 'admin', 'editor', 'reviewer', 'viewer')),
    CONSTRAINT memberships_owner_fkey FOREIGN KEY (workspace_id, owner_user_id)
        REFERENCES workspaces (id, owner_id) DEFERRABLE INITIALLY DEFERRED
);
-- "My workspaces" for the switcher: memberships by user.
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

ALTER TABLE workspaces ADD CONSTRAINT workspaces_owner_membership_fkey FOREIGN KEY (id, owner_id)
    REFERENCES memberships (workspace_id, owner_user_id) DEFERRABLE INITIALLY DEFERRED;

-- Invitations by email; only the SHA-256 of the emailed token is stored. Accepting one adds a
-- membership; ownership is never given by invitation.
CREATE TABLE invitations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email           citext NOT NULL,
    role            text NOT NULL,
    token_hash      bytea NOT NULL,
    invited_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    revoked_at      timestamptz,
    CONSTRAINT invitations_token_hash_key UNIQUE (token_hash),
    CONSTRAINT invitations_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT invitations_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
    CONSTRAINT invitations_email_shape CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    CONSTRAINT invitations_role_valid CHECK (role IN ('admin', 'editor', 'reviewer', 'viewer')),
    CONSTRAINT invitations_expiry_after_creation CHECK (expires_at > created_at),
    CONSTRAINT invitations_single_outcome CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
-- One open invitation per address and workspace.
CREATE UNIQUE INDEX invitations_open_email_key ON invitations (workspace_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_workspace_id_idx ON invitations (workspace_id, created_at);
CREATE INDEX invitations_invited_by_idx ON invitations (invited_by);

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workspaces
    USING (id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- Before the tenant is set: the signed-in user (app.user_id) finds the workspaces they belong to, by
-- slug for /w/{slug}/... and all of them for the switcher, and sees the one they just created
-- (INSERT ... RETURNING runs before their owner membership exists).
CREATE POLICY member_lookup ON workspaces FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND (owner_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::bigint)
             OR id IN (SELECT m.workspace_id FROM memberships m
                       WHERE m.user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::bigint))));
-- Creating a workspace: only with oneself as owner; the owner membership follows in the same
-- transaction once app.workspace_id is set to the new id.
CREATE POLICY workspace_create ON workspaces FOR INSERT
    WITH CHECK ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND owner_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::bigint));
-- heraldctl (key rotation, demo data) and the admin pages list every workspace, then set the tenant
-- to each in turn for the rest.
CREATE POLICY cross_tenant_read ON workspaces FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND (SELECT current_setting('app.cross_tenant', true)) = 'on');

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- Before the tenant is set, a user reads their own memberships (role check, workspace switcher).
CREATE POLICY member_self ON memberships FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::bigint));

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- Before the tenant is set, a user with a verified email sees invitations addressed to it, so the
-- accept page can find the workspace; accepting then runs with the tenant set.
CREATE POLICY invitee_lookup ON invitations FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND email = (SELECT u.email FROM users u
                     WHERE u.id = NULLIF(current_setting('app.user_id', true), '')::bigint
                       AND u.email_verified_at IS NOT NULL));

-- Descriptions, shown in docs/schema.md.
COMMENT ON TABLE workspaces IS 'A tenant: everything else belongs to one. owner_id is the one member with role owner.';
COMMENT ON TABLE memberships IS 'Who belongs to a workspace and with which role (owner, admin, editor, reviewer, viewer).';
COMMENT ON TABLE invitations IS 'Pending, accepted or revoked invitations to join a workspace, by email; the token is stored hashed.';

GRANT SELECT, INSERT, UPDATE, DELETE ON workspaces, memberships, invitations TO herald_app;

-- migrate:down
DROP TABLE invitations;
DROP POLICY member_lookup ON workspaces;
ALTER TABLE workspaces DROP CONSTRAINT workspaces_owner_membership_fkey;
DROP TABLE memberships;
DROP TABLE workspaces;
