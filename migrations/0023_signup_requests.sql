-- Sign-up by mail first: the form never says whether an address has an account. Each sign-up is a
-- row here and a mail; for a new address the mail's link (token_hash) creates the account with the
-- name, password hash and time zone kept here; for an address that has one, the mail says someone
-- tried to register with it (no token, no password). Counting the rows of an address limits the
-- mails it gets. Rows past their expiry are of no use and may be deleted.
-- migrate:up

CREATE TABLE signup_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           citext NOT NULL,
    name            text NOT NULL,
    password_hash   text,
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
    CONSTRAINT signup_requests_password_hash_argon2id CHECK (password_hash LIKE '$argon2id$%'),
    CONSTRAINT signup_requests_time_zone_valid CHECK (is_valid_time_zone(time_zone)),
    CONSTRAINT signup_requests_next_path_length CHECK (char_length(next_path) <= 2000),
    -- A link to create an account carries its password hash; a notice to an existing account neither.
    CONSTRAINT signup_requests_link_or_notice CHECK ((token_hash IS NULL) = (password_hash IS NULL)),
    CONSTRAINT signup_requests_used_only_links CHECK (used_at IS NULL OR token_hash IS NOT NULL),
    CONSTRAINT signup_requests_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX signup_requests_email_created_at_idx ON signup_requests (email, created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON signup_requests TO herald_app;

-- migrate:down
DROP TABLE signup_requests;
