-- Identity: users, sessions, email verification, password resets, login throttling, mail outbox.
-- migrate:up

-- Anything the application role may touch is granted explicitly, table by table.
CREATE EXTENSION IF NOT EXISTS citext;

-- True for a time zone name PostgreSQL knows (IANA names such as 'Europe/Paris', or 'UTC').
-- STABLE, not IMMUTABLE: the zone database ships with PostgreSQL and could drop a name.
CREATE FUNCTION is_valid_time_zone(zone text) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT
    AS $$
BEGIN
    IF zone !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$' OR char_length(zone) > 64 THEN
        RETURN false;
    END IF;
    PERFORM now() AT TIME ZONE zone;
    RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
END
$$;


CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           citext NOT NULL,
    name            text NOT NULL,
    password_hash   text NOT NULL,
    time_zone       text NOT NULL DEFAULT 'UTC',
    locale          text NOT NULL DEFAULT 'en',
    status          text NOT NULL DEFAULT 'active',
    is_site_admin   boolean NOT NULL DEFAULT false,
    email_verified_at timestamptz,
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
    CONSTRAINT users_email_shape CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    CONSTRAINT users_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT users_password_hash_argon2id CHECK (password_hash LIKE '$argon2id$%'),
    CONSTRAINT users_time_zone_valid CHECK (is_valid_time_zone(time_zone)),
    CONSTRAINT users_locale_length CHECK (char_length(locale) BETWEEN 2 AND 35),
    CONSTRAINT users_status_valid CHECK (status IN ('active', 'disabled'))
);

CREATE TABLE sessions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash      bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    ip              inet,
    user_agent      text,
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT sessions_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT sessions_expiry_after_creation CHECK (expires_at > created_at),
    CONSTRAINT sessions_user_agent_length CHECK (char_length(user_agent) <= 512)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- Single-use tokens sent by email; only their SHA-256 is stored.
CREATE TABLE email_verifications (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email           citext NOT NULL,
    token_hash      bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    CONSTRAINT email_verifications_token_hash_key UNIQUE (token_hash),
    CONSTRAINT email_verifications_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT email_verifications_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX email_verifications_user_id_idx ON email_verifications (user_id);

CREATE TABLE password_resets (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash      bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    CONSTRAINT password_resets_token_hash_key UNIQUE (token_hash),
    CONSTRAINT password_resets_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT password_resets_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);

-- Every login attempt, for throttling per account (by email, known or not) and per IP.
CREATE TABLE login_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           citext NOT NULL,
    ip              inet,
    succeeded       boolean NOT NULL,
    attempted_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT login_attempts_email_length CHECK (char_length(email) <= 254)
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at) WHERE NOT succeeded;
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, attempted_at) WHERE NOT succeeded;

-- Old password hashes. Kept for an admin setting that may forbid reuse; off by default (ASVS 2.1.10).
CREATE TABLE password_history (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash   text NOT NULL,
    replaced_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT password_history_hash_argon2id CHECK (password_hash LIKE '$argon2id$%')
);
CREATE INDEX password_history_user_id_idx ON password_history (user_id, replaced_at);

-- Mail that Herald sends. Without a mail server configured this is where it stays.
CREATE TABLE outbox_emails (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient       citext NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text,
    CONSTRAINT outbox_emails_recipient_length CHECK (char_length(recipient) <= 254),
    CONSTRAINT outbox_emails_subject_length CHECK (char_length(subject) BETWEEN 1 AND 200)
);
CREATE INDEX outbox_emails_created_at_idx ON outbox_emails (created_at);

GRANT SELECT ON schema_migrations TO herald_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, email_verifications, password_resets,
    login_attempts, password_history, outbox_emails TO herald_app;

-- migrate:down
DROP TABLE outbox_emails;
DROP TABLE password_history;
DROP TABLE login_attempts;
DROP TABLE password_resets;
DROP TABLE email_verifications;
DROP TABLE sessions;
DROP TABLE users;
DROP FUNCTION is_valid_time_zone(text);
REVOKE SELECT ON schema_migrations FROM herald_app;
DROP EXTENSION IF EXISTS citext;
