-- Sign-up by mail first: the form never says whether an address has an account. Each sign-up is a
-- row here and a mail, both made after the form's answer is out: for a new address the mail's link
-- (token_hash) opens a page where its holder chooses the password and the account is created with
-- the name and time zone kept here; for an address that has an account, the mail says someone tried
-- to register with it (no token). No password is ever kept here: whoever fills in the form cannot
-- choose the password of an account at an address that is not theirs. Counting an address's rows
-- limits the mails it gets; rows past their expiry are deleted by the next sign-up.
-- migrate:up

CREATE TABLE signup_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           citext NOT NULL,
    name            text NOT NULL,
    time_zone       text NOT NULL,
    next_path       text NOT NULL DEFAULT '',
    token_hash      bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    CONSTRAINT signup_requests_token_hash_key UNIQUE (token_hash),
    CONSTRAINT signup_requests_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT signup_requests_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
    CONSTRAINT signup_requests_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT signup_requests_time_zone_valid CHECK (is_valid_time_zone(time_zone)),
    CONSTRAINT signup_requests_next_path_length CHECK (octet_length(next_path) <= 512),
    -- Only a link (a row with a token) is ever used; a notice to an existing account has none.
    CONSTRAINT signup_requests_used_only_links CHECK (used_at IS NULL OR token_hash IS NOT NULL),
    CONSTRAINT signup_requests_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX signup_requests_email_created_at_idx ON signup_requests (email, created_at);
CREATE INDEX signup_requests_expires_at_idx ON signup_requests (expires_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON signup_requests TO herald_app;

-- migrate:down
DROP TABLE signup_requests;
