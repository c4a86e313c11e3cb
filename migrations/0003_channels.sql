-- Channels: the social accounts a workspace publishes to, with their OAuth tokens sealed.
-- migrate:up

-- Tokens are sealed by the app (XChaCha20-Poly1305, associated data binding row and column): each is
-- stored as the keyring's key id, a 24-byte nonce and the ciphertext, all three or none. Key rotation
-- walks the workspaces with the tenant set to each, so no key-id index is needed; token refreshes are
-- jobs enqueued when a token is stored (run_at before token_expires_at), not a scan of this table.
-- Disconnecting keeps the row (status 'revoked', tokens cleared); deleting it deletes its post
-- targets and their metrics.
CREATE TABLE social_accounts (
    id                          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id                bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    platform                    text NOT NULL,
    external_id                 text NOT NULL,
    handle                      text NOT NULL,
    display_name                text,
    status                      text NOT NULL DEFAULT 'active',
    access_token_key_id         integer,
    access_token_nonce          bytea,
    access_token_ciphertext     bytea,
    refresh_token_key_id        integer,
    refresh_token_nonce         bytea,
    refresh_token_ciphertext    bytea,
    token_expires_at            timestamptz,
    scopes                      text,
    connected_by                bigint REFERENCES users (id) ON DELETE SET NULL,
    last_error                  text,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT social_accounts_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT social_accounts_workspace_platform_external_key UNIQUE (workspace_id, platform, external_id),
    CONSTRAINT social_accounts_platform_valid CHECK (platform IN ('x', 'linkedin', 'reddit', 'facebook',
        'instagram', 'threads', 'bluesky', 'mastodon', 'youtube', 'tiktok', 'pinterest')),
    CONSTRAINT social_accounts_status_valid CHECK (status IN ('active', 'needs_reconnect', 'revoked')),
    CONSTRAINT social_accounts_external_id_length CHECK (char_length(external_id) BETWEEN 1 AND 200),
    CONSTRAINT social_accounts_handle_length CHECK (char_length(handle) BETWEEN 1 AND 100),
    CONSTRAINT social_accounts_display_name_length CHECK (char_length(display_name) <= 200),
    CONSTRAINT social_accounts_scopes_length CHECK (char_length(scopes) <= 2000),
    CONSTRAINT social_accounts_last_error_length CHECK (char_length(last_error) <= 2000),
    CONSTRAINT social_accounts_access_token_sealed CHECK (
        (access_token_key_id IS NULL) = (access_token_nonce IS NULL)
        AND (access_token_key_id IS NULL) = (access_token_ciphertext IS NULL)),
    CONSTRAINT social_accounts_refresh_token_sealed CHECK (
        (refresh_token_key_id IS NULL) = (refresh_token_nonce IS NULL)
        AND (refresh_token_key_id IS NULL) = (refresh_token_ciphertext IS NULL)),
    CONSTRAINT social_accounts_access_token_nonce_length CHECK (octet_length(access_token_nonce) = 24),
    CONSTRAINT social_accounts_refresh_token_nonce_length CHECK (octet_length(refresh_token_nonce) = 24),
    CONSTRAINT social_accounts_key_ids_positive CHECK (access_token_key_id > 0 AND refresh_token_key_id > 0),
    -- An active account can publish: it holds an access token.
    CONSTRAINT social_accounts_active_has_token CHECK (status <> 'active' OR access_token_ciphertext IS NOT NULL),
    -- A revoked account keeps no secrets.
    CONSTRAINT social_accounts_revoked_has_no_tokens CHECK (status <> 'revoked'
        OR (access_token_ciphertext IS NULL AND refresh_token_ciphertext IS NULL))
);
CREATE INDEX social_accounts_connected_by_idx ON social_accounts (connected_by);

ALTER TABLE social_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE social_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON social_accounts
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

-- Descriptions, shown in docs/schema.md.
COMMENT ON TABLE social_accounts IS 'A connected account on a social platform, with its OAuth tokens sealed (key id, nonce, ciphertext).';

GRANT SELECT, INSERT, UPDATE, DELETE ON social_accounts TO herald_app;

-- migrate:down
DROP TABLE social_accounts;
