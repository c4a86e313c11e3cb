-- Invitations found by their token: whoever holds the emailed link may see that one invitation
-- and the name of its workspace before joining (and before the tenant is set).
-- migrate:up

-- The app sets app.invitation_token to the hex SHA-256 of the token from the link, per transaction.
-- Only the hash is stored, so knowing it means having had the link.
CREATE POLICY invitation_token_lookup ON invitations FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND token_hash = (SELECT decode(NULLIF(current_setting('app.invitation_token', true), ''), 'hex')));

CREATE POLICY invitation_token_lookup ON workspaces FOR SELECT
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND id IN (SELECT i.workspace_id FROM invitations i
                   WHERE i.token_hash = (SELECT decode(NULLIF(current_setting('app.invitation_token', true), ''), 'hex'))));

-- migrate:down
DROP POLICY invitation_token_lookup ON workspaces;
DROP POLICY invitation_token_lookup ON invitations;
