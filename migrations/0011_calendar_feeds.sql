-- Calendar feeds: a member's secret iCal address (/ical/{token}.ics) for one workspace, found by the
-- token alone (a calendar app sends no session).
-- migrate:up

-- One feed per member and workspace. Only the SHA-256 of the token is stored, so the address is
-- shown once, when it is made; making a new one replaces the hash and the old address stops working;
-- revoking deletes the row. The feed belongs to the membership (composite foreign key), so leaving
-- or being removed from the workspace deletes it, and deleting the workspace or the user does too.
CREATE TABLE calendar_feeds (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL,
    user_id         bigint NOT NULL,
    token_hash      bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    CONSTRAINT calendar_feeds_workspace_user_key UNIQUE (workspace_id, user_id),
    CONSTRAINT calendar_feeds_token_hash_key UNIQUE (token_hash),
    CONSTRAINT calendar_feeds_membership_fkey FOREIGN KEY (workspace_id, user_id)
        REFERENCES memberships (workspace_id, user_id) ON DELETE CASCADE,
    CONSTRAINT calendar_feeds_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT calendar_feeds_used_after_creation CHECK (last_used_at >= created_at)
);

ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_feeds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calendar_feeds
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
-- Before the tenant is set, the feed request finds its one feed by the token: the app sets
-- app.feed_token to the hex SHA-256 of the token from the address, per transaction, reads the
-- feed's workspace and user, then clears it and sets app.workspace_id to that workspace.
CREATE POLICY feed_token_lookup ON calendar_feeds FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND token_hash = (SELECT decode(NULLIF(current_setting('app.feed_token', true), ''), 'hex')));

COMMENT ON TABLE calendar_feeds IS 'A member''s secret iCal feed address for one workspace; the token is stored hashed.';

GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_feeds TO herald_app;

-- migrate:down
DROP TABLE calendar_feeds;
