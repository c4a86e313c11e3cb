-- Connecting social accounts: OAuth 2.0 flows in progress (state and PKCE verifier), the Mastodon
-- apps Herald registers per instance, and the server a Mastodon or Bluesky account lives on.
-- migrate:up

-- One authorization-code flow between "Connect" and the provider's callback. Only the SHA-256 of
-- `state` is stored (the state itself travels in the redirect); the PKCE code verifier is sealed
-- like a token (key id, nonce, ciphertext; associated data names oauth_flows.code_verifier and the
-- row id), so the row is inserted first and sealed by an UPDATE in the same transaction. A flow is
-- bound to the session that started it (logging out deletes it), lasts 10 minutes and is used once:
-- the callback sets used_at with a compare-and-set before it talks to the provider. A reconnect
-- names the account it renews (account_id). Old rows are deleted when the workspace starts a new one.
CREATE TABLE oauth_flows (
    id                          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id                bigint NOT NULL,
    user_id                     bigint NOT NULL,
    session_id                  bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    platform                    text NOT NULL,
    state_hash                  bytea NOT NULL,
    code_verifier_key_id        integer,
    code_verifier_nonce         bytea,
    code_verifier_ciphertext    bytea,
    instance_url                text,
    account_id                  bigint,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    expires_at                  timestamptz NOT NULL,
    used_at                     timestamptz,
    CONSTRAINT oauth_flows_state_hash_key UNIQUE (state_hash),
    -- Leaving the workspace (or being removed from it) ends the member's flows.
    CONSTRAINT oauth_flows_membership_fkey FOREIGN KEY (workspace_id, user_id)
        REFERENCES memberships (workspace_id, user_id) ON DELETE CASCADE,
    CONSTRAINT oauth_flows_account_fkey FOREIGN KEY (workspace_id, account_id)
        REFERENCES social_accounts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT oauth_flows_platform_valid CHECK (platform IN ('x', 'linkedin', 'reddit', 'mastodon')),
    CONSTRAINT oauth_flows_state_hash_length CHECK (octet_length(state_hash) = 32),
    CONSTRAINT oauth_flows_code_verifier_sealed CHECK (
        (code_verifier_key_id IS NULL) = (code_verifier_nonce IS NULL)
        AND (code_verifier_key_id IS NULL) = (code_verifier_ciphertext IS NULL)),
    CONSTRAINT oauth_flows_code_verifier_nonce_length CHECK (octet_length(code_verifier_nonce) = 24),
    CONSTRAINT oauth_flows_code_verifier_key_id_positive CHECK (code_verifier_key_id > 0),
    -- Mastodon flows say which instance; the others never do.
    CONSTRAINT oauth_flows_instance_for_mastodon CHECK ((platform = 'mastodon') = (instance_url IS NOT NULL)),
    CONSTRAINT oauth_flows_instance_url_length CHECK (char_length(instance_url) <= 300),
    CONSTRAINT oauth_flows_expiry_after_creation CHECK (expires_at > created_at),
    CONSTRAINT oauth_flows_used_after_creation CHECK (used_at >= created_at)
);
-- The member's flows (the membership foreign key's cascade) and the workspace's old ones (cleared on each new flow).
CREATE INDEX oauth_flows_workspace_user_idx ON oauth_flows (workspace_id, user_id);
CREATE INDEX oauth_flows_session_id_idx ON oauth_flows (session_id);
CREATE INDEX oauth_flows_workspace_account_idx ON oauth_flows (workspace_id, account_id) WHERE account_id IS NOT NULL;

ALTER TABLE oauth_flows ENABLE ROW LEVEL SECURITY;
ALTER TABLE oauth_flows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON oauth_flows
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- The callback arrives with only the state: before the tenant is set, the signed-in user
-- (app.user_id) finds their own flows, reads the workspace from the one the state names, and then
-- sets app.workspace_id to it for the rest.
CREATE POLICY flow_owner_lookup ON oauth_flows FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::bigint));

-- Mastodon has no central developer portal: Herald registers itself on each instance the first time
-- someone connects an account there (POST /api/v1/apps) and keeps the client here, shared by every
-- workspace. The client secret is sealed (associated data mastodon_apps.client_secret and the row
-- id); a secret that no longer opens (its key retired) is replaced by registering again, so key
-- rotation need not visit this table. A change of redirect URI or scopes registers again too.
CREATE TABLE mastodon_apps (
    id                          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_url                text NOT NULL,
    redirect_uri                text NOT NULL,
    scopes                      text NOT NULL,
    client_id                   text NOT NULL,
    client_secret_key_id        integer,
    client_secret_nonce         bytea,
    client_secret_ciphertext    bytea,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT mastodon_apps_instance_url_key UNIQUE (instance_url),
    CONSTRAINT mastodon_apps_instance_url_length CHECK (char_length(instance_url) BETWEEN 8 AND 300),
    CONSTRAINT mastodon_apps_redirect_uri_length CHECK (char_length(redirect_uri) BETWEEN 8 AND 500),
    CONSTRAINT mastodon_apps_scopes_length CHECK (char_length(scopes) BETWEEN 1 AND 500),
    CONSTRAINT mastodon_apps_client_id_length CHECK (char_length(client_id) BETWEEN 1 AND 200),
    CONSTRAINT mastodon_apps_client_secret_sealed CHECK (
        (client_secret_key_id IS NULL) = (client_secret_nonce IS NULL)
        AND (client_secret_key_id IS NULL) = (client_secret_ciphertext IS NULL)),
    CONSTRAINT mastodon_apps_client_secret_nonce_length CHECK (octet_length(client_secret_nonce) = 24),
    CONSTRAINT mastodon_apps_client_secret_key_id_positive CHECK (client_secret_key_id > 0)
);

-- The server the account lives on, for the API calls after connecting: the Mastodon instance or the
-- Bluesky PDS (an origin such as https://mastodon.social). NULL for single-host platforms.
ALTER TABLE social_accounts ADD COLUMN instance_url text;
ALTER TABLE social_accounts ADD CONSTRAINT social_accounts_instance_url_length CHECK (char_length(instance_url) BETWEEN 8 AND 300);

-- Descriptions, shown in docs/schema.md.
COMMENT ON TABLE oauth_flows IS 'An OAuth 2.0 connection in progress: the hashed state, the sealed PKCE verifier, who started it and from which session; 10 minutes, single use.';
COMMENT ON TABLE mastodon_apps IS 'The OAuth client Herald registered on each Mastodon instance, with its secret sealed; shared by all workspaces.';

GRANT SELECT, INSERT, UPDATE, DELETE ON oauth_flows, mastodon_apps TO herald_app;

-- migrate:down
ALTER TABLE social_accounts DROP CONSTRAINT social_accounts_instance_url_length;
ALTER TABLE social_accounts DROP COLUMN instance_url;
DROP TABLE mastodon_apps;
DROP TABLE oauth_flows;
