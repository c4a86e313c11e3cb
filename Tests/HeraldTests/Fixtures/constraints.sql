-- Constraint cases for the test suite: one per CHECK, UNIQUE, FOREIGN KEY and NOT NULL that guards a
-- business rule. Each case runs as herald_app in its own transaction, rolled back, on a database with
-- every migration applied and nothing else: its setup creates what it needs, then the statement after
-- `-- violate` must fail with the SQLSTATE and constraint name given (for NOT NULL: table.column).
-- `-- workspace: N` means the harness sets app.workspace_id to N first; cases that create their own
-- workspace set it themselves once it exists. Deferred constraints are checked with SET CONSTRAINTS
-- ... IMMEDIATE, which is what COMMIT would do.
-- No case, on purpose: uniques that only serve as foreign-key targets ((workspace_id, id) on parents,
-- workspaces (id, owner_id), memberships (workspace_id, owner_user_id)) cannot be violated on their
-- own; credit_entries_balance_after_nonnegative is a backstop behind credit_accounts_balance_nonnegative;
-- post_metrics_pkey is reported under each monthly partition's own index name. The append-only tables
-- are covered by privilege tests, not here.

-- case: email is unique regardless of case
-- expect: 23505 users_email_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO users (email, name, password_hash) VALUES ('Owner@Example.COM', 'Olive Again', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: email is at most 254 characters
-- expect: 23514 users_email_length
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES (repeat('a', 250) || '@example.com', 'Long Mail', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: email has the shape local@domain
-- expect: 23514 users_email_shape
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES ('not-an-email', 'Some One', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: a user has a name
-- expect: 23514 users_name_length
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES ('someone@example.com', '', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: a user name is at most 100 characters
-- expect: 23514 users_name_length
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES ('someone@example.com', repeat('n', 101), '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: passwords are stored as Argon2id hashes only
-- expect: 23514 users_password_hash_argon2id
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES ('someone@example.com', 'Some One', 'hunter2');

-- case: a user's time zone is one PostgreSQL knows
-- expect: 23514 users_time_zone_valid
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash, time_zone) VALUES ('someone@example.com', 'Some One', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA', 'Mars/Olympus_Mons');

-- case: a user's locale is a language tag of 2 to 35 characters
-- expect: 23514 users_locale_length
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash, locale) VALUES ('someone@example.com', 'Some One', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA', 'e');

-- case: a user's status is active or disabled
-- expect: 23514 users_status_valid
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash, status) VALUES ('someone@example.com', 'Some One', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA', 'banned');

-- case: a user has an email
-- expect: 23502 users.email
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES (NULL, 'No Mail', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: a user has a name (not null)
-- expect: 23502 users.name
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES ('someone@example.com', NULL, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: a user has a password hash
-- expect: 23502 users.password_hash
-- workspace: none
-- violate
INSERT INTO users (email, name, password_hash) VALUES ('someone@example.com', 'Some One', NULL);

-- case: a session token hash is unique
-- expect: 23505 sessions_token_hash_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), now() + interval '1 hour');
-- violate
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), now() + interval '1 hour');

-- case: a session token hash is a SHA-256 (32 bytes)
-- expect: 23514 sessions_token_hash_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), decode(repeat('ab', 16), 'hex'), now() + interval '1 hour');

-- case: a session expires after it is created
-- expect: 23514 sessions_expiry_after_creation
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), now() - interval '1 minute');

-- case: a session belongs to an existing user
-- expect: 23503 sessions_user_id_fkey
-- workspace: none
-- violate
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES (-1, sha256('token'), now() + interval '1 hour');

-- case: a session has an expiry
-- expect: 23502 sessions.expires_at
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), NULL);

-- case: a email verification token hash is unique
-- expect: 23505 email_verifications_token_hash_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'owner@example.com', sha256('token'), now() + interval '1 hour');
-- violate
INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'owner@example.com', sha256('token'), now() + interval '1 hour');

-- case: a email verification token hash is a SHA-256 (32 bytes)
-- expect: 23514 email_verifications_token_hash_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'owner@example.com', decode(repeat('ab', 16), 'hex'), now() + interval '1 hour');

-- case: a email verification expires after it is created
-- expect: 23514 email_verifications_expiry_after_creation
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'owner@example.com', sha256('token'), now() - interval '1 minute');

-- case: a email verification belongs to an existing user
-- expect: 23503 email_verifications_user_id_fkey
-- workspace: none
-- violate
INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES (-1, 'owner@example.com', sha256('token'), now() + interval '1 hour');

-- case: a email verification has an expiry
-- expect: 23502 email_verifications.expires_at
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO email_verifications (user_id, email, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'owner@example.com', sha256('token'), NULL);

-- case: a password reset token hash is unique
-- expect: 23505 password_resets_token_hash_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), now() + interval '1 hour');
-- violate
INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), now() + interval '1 hour');

-- case: a password reset token hash is a SHA-256 (32 bytes)
-- expect: 23514 password_resets_token_hash_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), decode(repeat('ab', 16), 'hex'), now() + interval '1 hour');

-- case: a password reset expires after it is created
-- expect: 23514 password_resets_expiry_after_creation
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), now() - interval '1 minute');

-- case: a password reset belongs to an existing user
-- expect: 23503 password_resets_user_id_fkey
-- workspace: none
-- violate
INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES (-1, sha256('token'), now() + interval '1 hour');

-- case: a password reset has an expiry
-- expect: 23502 password_resets.expires_at
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), NULL);

-- case: a session's user agent is at most 512 characters
-- expect: 23514 sessions_user_agent_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO sessions (user_id, token_hash, expires_at, user_agent) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('token'), now() + interval '1 hour', repeat('u', 513));

-- case: a login attempt's email is at most 254 characters
-- expect: 23514 login_attempts_email_length
-- workspace: none
-- violate
INSERT INTO login_attempts (email, succeeded) VALUES (repeat('a', 250) || '@example.com', false);

-- case: a login attempt records whether it succeeded
-- expect: 23502 login_attempts.succeeded
-- workspace: none
-- violate
INSERT INTO login_attempts (email, succeeded) VALUES ('someone@example.com', NULL);

-- case: password history keeps Argon2id hashes only
-- expect: 23514 password_history_hash_argon2id
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO password_history (user_id, password_hash) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'hunter2');

-- case: password history belongs to an existing user
-- expect: 23503 password_history_user_id_fkey
-- workspace: none
-- violate
INSERT INTO password_history (user_id, password_hash) VALUES (-1, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');

-- case: an outgoing email's recipient is at most 254 characters
-- expect: 23514 outbox_emails_recipient_length
-- workspace: none
-- violate
INSERT INTO outbox_emails (recipient, subject, body) VALUES (repeat('a', 250) || '@example.com', 'Hi', 'Hello');

-- case: an outgoing email has a subject of at most 200 characters
-- expect: 23514 outbox_emails_subject_length
-- workspace: none
-- violate
INSERT INTO outbox_emails (recipient, subject, body) VALUES ('someone@example.com', repeat('s', 201), 'Hello');

-- case: an outgoing email has a body
-- expect: 23502 outbox_emails.body
-- workspace: none
-- violate
INSERT INTO outbox_emails (recipient, subject, body) VALUES ('someone@example.com', 'Hi', NULL);

-- case: a workspace slug is unique
-- expect: 23505 workspaces_slug_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
-- violate
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme Again', (SELECT id FROM users WHERE email = 'other@example.com'));

-- case: a workspace slug is lowercase letters, digits and inner hyphens
-- expect: 23514 workspaces_slug_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
-- violate
INSERT INTO workspaces (slug, name, owner_id) VALUES ('Acme Corp', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));

-- case: a workspace slug is at most 40 characters
-- expect: 23514 workspaces_slug_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
-- violate
INSERT INTO workspaces (slug, name, owner_id) VALUES (repeat('a', 41), 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));

-- case: a workspace slug is not a reserved path
-- expect: 23514 workspaces_slug_not_reserved
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
-- violate
INSERT INTO workspaces (slug, name, owner_id) VALUES ('new', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));

-- case: a workspace has a name
-- expect: 23514 workspaces_name_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
-- violate
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', '', (SELECT id FROM users WHERE email = 'owner@example.com'));

-- case: a workspace's time zone is a known IANA zone
-- expect: 23514 workspaces_time_zone_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
-- violate
INSERT INTO workspaces (slug, name, owner_id, time_zone) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'), 'Mars/Olympus_Mons');

-- case: a workspace has an owner
-- expect: 23502 workspaces.owner_id
-- workspace: 999999999
-- violate
INSERT INTO workspaces (id, slug, name, owner_id) OVERRIDING SYSTEM VALUE VALUES (999999999, 'acme', 'Acme', NULL);

-- case: a workspace has a slug
-- expect: 23502 workspaces.slug
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
-- violate
INSERT INTO workspaces (slug, name, owner_id) VALUES (NULL, 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));

-- case: a user who owns a workspace cannot be deleted until ownership is transferred
-- expect: 23503 workspaces_owner_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
DELETE FROM users WHERE email = 'owner@example.com';

-- case: a workspace's owner holds its owner membership
-- expect: 23503 workspaces_owner_membership_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
-- violate
SET CONSTRAINTS workspaces_owner_membership_fkey IMMEDIATE;

-- case: the owner's membership cannot be demoted without transferring ownership
-- expect: 23503 workspaces_owner_membership_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
UPDATE memberships SET role = 'admin' WHERE user_id = (SELECT id FROM users WHERE email = 'owner@example.com');
-- violate
SET CONSTRAINTS workspaces_owner_membership_fkey IMMEDIATE;

-- case: only the workspace's owner has the owner role
-- expect: 23503 memberships_owner_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
UPDATE memberships SET role = 'owner' WHERE user_id = (SELECT id FROM users WHERE email = 'editor@example.com');
-- violate
SET CONSTRAINTS memberships_owner_fkey IMMEDIATE;

-- case: a user is a member of a workspace once
-- expect: 23505 memberships_workspace_user_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'editor');

-- case: a membership role is owner, admin, editor, reviewer or viewer
-- expect: 23514 memberships_role_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'other@example.com'), 'superuser');

-- case: a membership has a role
-- expect: 23502 memberships.role
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'other@example.com'), NULL);

-- case: a membership is of an existing user
-- expect: 23503 memberships_user_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -1, 'editor');

-- case: a membership is in an existing workspace
-- expect: 23503 memberships_workspace_id_fkey
-- workspace: 999999999
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO memberships (workspace_id, user_id, role) VALUES (999999999, (SELECT id FROM users WHERE email = 'owner@example.com'), 'editor');

-- case: an invitation token hash is unique
-- expect: 23505 invitations_token_hash_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'editor', sha256('invite'), now() + interval '7 days');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'second@example.com', 'editor', sha256('invite'), now() + interval '7 days');

-- case: an invitation token hash is a SHA-256 (32 bytes)
-- expect: 23514 invitations_token_hash_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'editor', decode(repeat('ab', 16), 'hex'), now() + interval '7 days');

-- case: an invitation's email is at most 254 characters
-- expect: 23514 invitations_email_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), repeat('a', 250) || '@example.com', 'editor', sha256('invite'), now() + interval '7 days');

-- case: an invitation's email has the shape local@domain
-- expect: 23514 invitations_email_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'nobody', 'editor', sha256('invite'), now() + interval '7 days');

-- case: an invitation never grants ownership
-- expect: 23514 invitations_role_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'owner', sha256('invite'), now() + interval '7 days');

-- case: an invitation expires after it is created
-- expect: 23514 invitations_expiry_after_creation
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'editor', sha256('invite'), now() - interval '1 day');

-- case: an invitation is either accepted or revoked, not both
-- expect: 23514 invitations_single_outcome
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at, accepted_at, revoked_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'editor', sha256('invite'), now() + interval '7 days', now(), now());

-- case: an address has one open invitation per workspace
-- expect: 23505 invitations_open_email_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'editor', sha256('invite'), now() + interval '7 days');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'NEW@example.com', 'editor', sha256('invite again'), now() + interval '7 days');

-- case: an invitation's inviter is an existing user
-- expect: 23503 invitations_invited_by_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at, invited_by) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'editor', sha256('invite'), now() + interval '7 days', -1);

-- case: an invitation is to an existing workspace
-- expect: 23503 invitations_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES (999999999, 'new@example.com', 'editor', sha256('invite'), now() + interval '7 days');

-- case: an invitation has an email
-- expect: 23502 invitations.email
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL, 'editor', sha256('invite'), now() + interval '7 days');

-- case: an invitation has an expiry
-- expect: 23502 invitations.expires_at
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'new@example.com', 'editor', sha256('invite'), NULL);

-- case: a social account is connected once per workspace
-- expect: 23505 social_accounts_workspace_platform_external_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme_again', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account's platform is a supported one
-- expect: 23514 social_accounts_platform_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'myspace', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account's status is active, needs_reconnect or revoked
-- expect: 23514 social_accounts_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'paused', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account has an external id
-- expect: 23514 social_accounts_external_id_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account handle is at most 100 characters
-- expect: 23514 social_accounts_handle_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', repeat('h', 101), 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account display name is at most 200 characters
-- expect: 23514 social_accounts_display_name_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext, display_name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01', repeat('d', 201));

-- case: a social account's scopes are at most 2000 characters
-- expect: 23514 social_accounts_scopes_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext, scopes) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01', repeat('s', 2001));

-- case: a social account's last error is at most 2000 characters
-- expect: 23514 social_accounts_last_error_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext, last_error) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01', repeat('e', 2001));

-- case: a sealed access token has key id, nonce and ciphertext together
-- expect: 23514 social_accounts_access_token_sealed
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'needs_reconnect', 1);

-- case: a sealed refresh token has key id, nonce and ciphertext together
-- expect: 23514 social_accounts_refresh_token_sealed
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext, refresh_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01', '\x02');

-- case: an access token nonce is 24 bytes
-- expect: 23514 social_accounts_access_token_nonce_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 12), 'hex'), '\x01');

-- case: a refresh token nonce is 24 bytes
-- expect: 23514 social_accounts_refresh_token_nonce_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext, refresh_token_key_id, refresh_token_nonce, refresh_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01', 1, decode(repeat('00', 12), 'hex'), '\x02');

-- case: token key ids are positive
-- expect: 23514 social_accounts_key_ids_positive
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 0, decode(repeat('00', 24), 'hex'), '\x01');

-- case: an active social account holds an access token
-- expect: 23514 social_accounts_active_has_token
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'active');

-- case: a revoked social account keeps no tokens
-- expect: 23514 social_accounts_revoked_has_no_tokens
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'revoked', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account's connecting user is an existing user
-- expect: 23503 social_accounts_connected_by_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext, connected_by) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01', -1);

-- case: a social account is in an existing workspace
-- expect: 23503 social_accounts_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES (999999999, 'x', '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account has a platform
-- expect: 23502 social_accounts.platform
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL, '1001', 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account has an external id (not null)
-- expect: 23502 social_accounts.external_id
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', NULL, 'acme', 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: a social account has a handle
-- expect: 23502 social_accounts.handle
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, status, access_token_key_id, access_token_nonce, access_token_ciphertext) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', NULL, 'active', 1, decode(repeat('00', 24), 'hex'), '\x01');

-- case: persona names are unique in a workspace regardless of case
-- expect: 23505 personas_workspace_name_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Founder');
-- violate
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'FOUNDER');

-- case: a persona has a name
-- expect: 23514 personas_name_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), '');

-- case: a persona description is at most 5000 characters
-- expect: 23514 personas_description_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO personas (workspace_id, name, description) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Founder', repeat('d', 5001));

-- case: a persona's style profile is a JSON object
-- expect: 23514 personas_style_profile_object
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO personas (workspace_id, name, style_profile) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Founder', '[]');

-- case: a persona is active or archived
-- expect: 23514 personas_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO personas (workspace_id, name, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Founder', 'deleted');

-- case: a persona is in an existing workspace
-- expect: 23503 personas_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO personas (workspace_id, name) VALUES (999999999, 'Founder');

-- case: a persona has a name (not null)
-- expect: 23502 personas.name
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL);

-- case: a source is a url, text or pdf_text
-- expect: 23514 sources_kind_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'video', 'Manifesto', NULL, 'We make things.');

-- case: a source's status is pending, ready or failed
-- expect: 23514 sources_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', NULL, 'We make things.', 'done');

-- case: a source has a title
-- expect: 23514 sources_title_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', '', NULL, 'We make things.');

-- case: a url source has a URL
-- expect: 23514 sources_url_iff_kind_url
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'url', 'Manifesto', NULL, NULL);

-- case: a text source has no URL
-- expect: 23514 sources_url_iff_kind_url
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', 'https://example.com/', 'We make things.');

-- case: a source URL is http or https
-- expect: 23514 sources_url_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'url', 'Manifesto', 'ftp://example.com/file', NULL);

-- case: a text source arrives with its text
-- expect: 23514 sources_content_present
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', NULL, NULL);

-- case: a ready url source has its text
-- expect: 23514 sources_content_present
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'url', 'Manifesto', 'https://example.com/', NULL, 'ready');

-- case: a source's text is at most a million characters
-- expect: 23514 sources_content_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', NULL, repeat('x', 1000001));

-- case: a source's last error is at most 2000 characters
-- expect: 23514 sources_last_error_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content, last_error) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', NULL, 'We make things.', repeat('e', 2001));

-- case: a source is in an existing workspace
-- expect: 23503 sources_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES (999999999, 'text', 'Manifesto', NULL, 'We make things.');

-- case: a source has a kind
-- expect: 23502 sources.kind
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL, 'Manifesto', NULL, 'We make things.');

-- case: a source has a title (not null)
-- expect: 23502 sources.title
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO sources (workspace_id, kind, title, url, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', NULL, NULL, 'We make things.');

-- case: a source is linked to a persona once
-- expect: 23505 persona_sources_pkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Founder');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', 'We make things.');
INSERT INTO persona_sources (workspace_id, persona_id, source_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM personas WHERE name = 'Founder'), (SELECT id FROM sources WHERE title = 'Manifesto'));
-- violate
INSERT INTO persona_sources (workspace_id, persona_id, source_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM personas WHERE name = 'Founder'), (SELECT id FROM sources WHERE title = 'Manifesto'));

-- case: a persona source link is pending, confirmed or rejected
-- expect: 23514 persona_sources_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Founder');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', 'We make things.');
-- violate
INSERT INTO persona_sources (workspace_id, persona_id, source_id, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM personas WHERE name = 'Founder'), (SELECT id FROM sources WHERE title = 'Manifesto'), 'maybe');

-- case: a persona source link is to a persona of the same workspace
-- expect: 23503 persona_sources_persona_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'text', 'Manifesto', 'We make things.');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO persona_sources (workspace_id, persona_id, source_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), current_setting('test.beta_persona_id')::bigint, (SELECT id FROM sources WHERE title = 'Manifesto'));

-- case: a persona source link is to a source of the same workspace
-- expect: 23503 persona_sources_source_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Founder');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO persona_sources (workspace_id, persona_id, source_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM personas WHERE name = 'Founder'), current_setting('test.beta_source_id')::bigint);

-- case: campaign names are unique in a workspace regardless of case
-- expect: 23505 campaigns_workspace_name_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO campaigns (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch');
-- violate
INSERT INTO campaigns (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'LAUNCH');

-- case: a campaign has a name
-- expect: 23514 campaigns_name_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO campaigns (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), '');

-- case: a campaign description is at most 5000 characters
-- expect: 23514 campaigns_description_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO campaigns (workspace_id, name, description) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch', repeat('d', 5001));

-- case: a campaign's status is planned, active, completed or archived
-- expect: 23514 campaigns_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO campaigns (workspace_id, name, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch', 'paused');

-- case: a campaign ends on or after its start
-- expect: 23514 campaigns_ends_after_start
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO campaigns (workspace_id, name, starts_on, ends_on) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch', '2025-03-01', '2025-02-28');

-- case: a campaign is in an existing workspace
-- expect: 23503 campaigns_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO campaigns (workspace_id, name) VALUES (999999999, 'Launch');

-- case: a campaign has a name (not null)
-- expect: 23502 campaigns.name
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO campaigns (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL);

-- case: tag names are unique per kind in a workspace regardless of case
-- expect: 23505 tags_workspace_kind_name_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', 'Education');
-- violate
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', 'EDUCATION');

-- case: a tag is a pillar, series or label
-- expect: 23514 tags_kind_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'topic', 'Education');

-- case: a tag has a name of at most 50 characters
-- expect: 23514 tags_name_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', repeat('t', 51));

-- case: a tag description is at most 500 characters
-- expect: 23514 tags_description_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO tags (workspace_id, kind, name, description) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', 'Education', repeat('d', 501));

-- case: a tag color is a lowercase hex color
-- expect: 23514 tags_color_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO tags (workspace_id, kind, name, color) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', 'Education', 'red');

-- case: a tag is in an existing workspace
-- expect: 23503 tags_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO tags (workspace_id, kind, name) VALUES (999999999, 'pillar', 'Education');

-- case: a tag has a kind
-- expect: 23502 tags.kind
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL, 'Education');

-- case: a tag has a name
-- expect: 23502 tags.name
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', NULL);

-- case: a post's status is one of the workflow states
-- expect: 23514 posts_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', 'deleted');

-- case: a post title is 1 to 200 characters
-- expect: 23514 posts_title_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), '', 'We are live.');

-- case: a post body is at most 40000 characters
-- expect: 23514 posts_body_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', repeat('b', 40001));

-- case: a post version starts at 1
-- expect: 23514 posts_version_positive
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, version) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', 0);

-- case: a scheduled time comes with the zone it was planned in
-- expect: 23514 posts_schedule_has_zone
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, scheduled_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', now() + interval '1 day');

-- case: a post's zone is a known IANA zone
-- expect: 23514 posts_scheduled_zone_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, scheduled_at, scheduled_zone) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', now() + interval '1 day', 'Europe/Atlantis');

-- case: a scheduled post has a scheduled time
-- expect: 23514 posts_scheduled_has_time
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', 'scheduled');

-- case: a published post has a publication time
-- expect: 23514 posts_published_has_time
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', 'published');

-- case: a post's campaign is in the same workspace
-- expect: 23503 posts_campaign_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, campaign_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', -1);

-- case: a post's persona is in the same workspace
-- expect: 23503 posts_persona_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO posts (workspace_id, title, body, persona_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', current_setting('test.beta_persona_id')::bigint);

-- case: a post's author is an existing user
-- expect: 23503 posts_author_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, author_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', -1);

-- case: a post is in an existing workspace
-- expect: 23503 posts_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO posts (workspace_id, title, body) VALUES (999999999, 'Launch day', 'We are live.');

-- case: a post has a body, possibly empty
-- expect: 23502 posts.body
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', NULL);

-- case: a post has a status
-- expect: 23502 posts.status
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO posts (workspace_id, title, body, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Launch day', 'We are live.', NULL);

-- case: a post carries a tag once
-- expect: 23505 post_tags_pkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', 'Education');
INSERT INTO post_tags (workspace_id, post_id, tag_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM tags WHERE name = 'Education'));
-- violate
INSERT INTO post_tags (workspace_id, post_id, tag_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM tags WHERE name = 'Education'));

-- case: a post tag is on a post of the same workspace
-- expect: 23503 post_tags_post_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO tags (workspace_id, kind, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'pillar', 'Education');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO post_tags (workspace_id, post_id, tag_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), current_setting('test.beta_post_id')::bigint, (SELECT id FROM tags WHERE name = 'Education'));

-- case: a post tag is a tag of the same workspace
-- expect: 23503 post_tags_tag_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_tags (workspace_id, post_id, tag_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), -1);

-- case: a post goes to a social account once
-- expect: 23505 post_targets_post_account_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'));
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'));

-- case: a platform's post id is recorded once per account
-- expect: 23505 post_targets_account_external_post_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'));
UPDATE post_targets SET external_post_id = 'tw-1';
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'Follow-up', 'More news.');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, external_post_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Follow-up'), (SELECT id FROM social_accounts WHERE handle = 'acme'), 'tw-1');

-- case: a post target's status is one of the publishing states
-- expect: 23514 post_targets_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'), 'sent');

-- case: a post target's attempt count is not negative
-- expect: 23514 post_targets_attempts_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, attempts) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'), -1);

-- case: a post target's body override is at most 40000 characters
-- expect: 23514 post_targets_body_override_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, body_override) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'), repeat('b', 40001));

-- case: a platform post id is 1 to 200 characters
-- expect: 23514 post_targets_external_post_id_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, external_post_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'), '');

-- case: a published post's URL is http or https
-- expect: 23514 post_targets_external_url_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, external_url) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'), 'javascript:alert(1)');

-- case: a post target's last error is at most 2000 characters
-- expect: 23514 post_targets_last_error_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, last_error) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'), repeat('e', 2001));

-- case: a published target has the platform's post id and time
-- expect: 23514 post_targets_published_has_external_id
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id, status, published_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'), 'published', now());

-- case: a post target is of a post of the same workspace
-- expect: 23503 post_targets_post_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), current_setting('test.beta_post_id')::bigint, (SELECT id FROM social_accounts WHERE handle = 'acme'));

-- case: a post target is a social account of the same workspace
-- expect: 23503 post_targets_social_account_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), current_setting('test.beta_account_id')::bigint);

-- case: a post target has a social account
-- expect: 23502 post_targets.social_account_id
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), NULL);

-- case: a post version is saved once
-- expect: 23505 post_revisions_post_version_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO post_revisions (workspace_id, post_id, version, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, 'Launch day', 'We are live.');
-- violate
INSERT INTO post_revisions (workspace_id, post_id, version, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, 'Launch day', 'We are live.');

-- case: a revision version starts at 1
-- expect: 23514 post_revisions_version_positive
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_revisions (workspace_id, post_id, version, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 0, 'Launch day', 'We are live.');

-- case: a revision title is 1 to 200 characters
-- expect: 23514 post_revisions_title_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_revisions (workspace_id, post_id, version, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, '', 'We are live.');

-- case: a revision body is at most 40000 characters
-- expect: 23514 post_revisions_body_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_revisions (workspace_id, post_id, version, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, 'Launch day', repeat('b', 40001));

-- case: a revision's editor is an existing user
-- expect: 23503 post_revisions_editor_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_revisions (workspace_id, post_id, version, title, body, editor_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, 'Launch day', 'We are live.', -1);

-- case: a revision is of a post of the same workspace
-- expect: 23503 post_revisions_post_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO post_revisions (workspace_id, post_id, version, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), current_setting('test.beta_post_id')::bigint, 1, 'Launch day', 'We are live.');

-- case: a revision has a body
-- expect: 23502 post_revisions.body
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_revisions (workspace_id, post_id, version, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, 'Launch day', NULL);

-- case: an author cannot approve their own post
-- expect: 23514 reviews_not_self_approval
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, (SELECT id FROM users WHERE email = 'owner@example.com'), 'approved', NULL);

-- case: a review decision is approved, changes_requested or rejected
-- expect: 23514 reviews_decision_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, (SELECT id FROM users WHERE email = 'editor@example.com'), 'maybe', NULL);

-- case: a review is of a version from 1
-- expect: 23514 reviews_post_version_positive
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 0, (SELECT id FROM users WHERE email = 'editor@example.com'), 'approved', NULL);

-- case: a review comment is at most 5000 characters
-- expect: 23514 reviews_comment_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, (SELECT id FROM users WHERE email = 'editor@example.com'), 'approved', repeat('c', 5001));

-- case: turning a post down says why
-- expect: 23514 reviews_refusal_has_comment
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, (SELECT id FROM users WHERE email = 'editor@example.com'), 'rejected', NULL);

-- case: a reason is more than blanks
-- expect: 23514 reviews_refusal_has_comment
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, (SELECT id FROM users WHERE email = 'editor@example.com'), 'changes_requested', '   ');

-- case: a review is of a post of the same workspace
-- expect: 23503 reviews_post_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), current_setting('test.beta_post_id')::bigint, 1, (SELECT id FROM users WHERE email = 'editor@example.com'), 'approved', NULL);

-- case: a reviewer is an existing user
-- expect: 23503 reviews_reviewer_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, -1, 'approved', NULL);

-- case: a review has a decision
-- expect: 23502 reviews.decision
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
-- violate
INSERT INTO reviews (workspace_id, post_id, post_version, reviewer_id, decision, comment) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), 1, (SELECT id FROM users WHERE email = 'editor@example.com'), NULL, NULL);

-- case: a brand rule is of a known kind
-- expect: 23514 brand_rules_kind_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO brand_rules (workspace_id, kind, rule_text) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'vibe', 'synergy');

-- case: a brand rule's severity is warn or block
-- expect: 23514 brand_rules_severity_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO brand_rules (workspace_id, kind, rule_text, severity) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'banned_term', 'synergy', 'fatal');

-- case: a brand rule has 1 to 1000 characters of text
-- expect: 23514 brand_rules_rule_text_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO brand_rules (workspace_id, kind, rule_text) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'banned_term', '');

-- case: a brand rule's persona is in the same workspace
-- expect: 23503 brand_rules_persona_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO brand_rules (workspace_id, kind, rule_text, persona_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'banned_term', 'synergy', current_setting('test.beta_persona_id')::bigint);

-- case: a brand rule is in an existing workspace
-- expect: 23503 brand_rules_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO brand_rules (workspace_id, kind, rule_text) VALUES (999999999, 'banned_term', 'synergy');

-- case: a brand rule has text
-- expect: 23502 brand_rules.rule_text
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO brand_rules (workspace_id, kind, rule_text) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'banned_term', NULL);

-- case: a file is stored once per workspace
-- expect: 23505 media_assets_workspace_sha256_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo-copy.png', 'image/png', 2048, sha256('logo'), 'acme/logo-copy.png');

-- case: a storage key names one file
-- expect: 23505 media_assets_storage_key_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('other'), 'acme/logo.png');

-- case: a media file is an image, gif, video or document
-- expect: 23514 media_assets_kind_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'audio', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');

-- case: a media file has a name of 1 to 255 characters
-- expect: 23514 media_assets_filename_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', '', 'image/png', 2048, sha256('logo'), 'acme/logo.png');

-- case: a media content type is a lowercase MIME type
-- expect: 23514 media_assets_content_type_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'PNG', 2048, sha256('logo'), 'acme/logo.png');

-- case: a media file is not empty
-- expect: 23514 media_assets_byte_size_positive
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 0, sha256('logo'), 'acme/logo.png');

-- case: a media checksum is a SHA-256 (32 bytes)
-- expect: 23514 media_assets_sha256_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, decode(repeat('ab', 16), 'hex'), 'acme/logo.png');

-- case: a storage key is 1 to 500 characters
-- expect: 23514 media_assets_storage_key_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), '');

-- case: media dimensions are positive
-- expect: 23514 media_assets_dimensions_positive
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key, width, height) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png', 0, 100);

-- case: media width and height go together
-- expect: 23514 media_assets_dimensions_paired
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key, width) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png', 100);

-- case: a media duration is not negative
-- expect: 23514 media_assets_duration_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key, duration_ms) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'video', 'logo.png', 'video/mp4', 2048, sha256('logo'), 'acme/logo.png', -1);

-- case: alt text is at most 2000 characters
-- expect: 23514 media_assets_alt_text_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key, alt_text) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png', repeat('a', 2001));

-- case: a media file's uploader is an existing user
-- expect: 23503 media_assets_uploaded_by_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key, uploaded_by) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png', -1);

-- case: a media file is in an existing workspace
-- expect: 23503 media_assets_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES (999999999, 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');

-- case: a media file has a size
-- expect: 23502 media_assets.byte_size
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', NULL, sha256('logo'), 'acme/logo.png');

-- case: a media file has a storage key
-- expect: 23502 media_assets.storage_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), NULL);

-- case: a file is attached to a post once
-- expect: 23505 post_media_pkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM media_assets WHERE filename = 'logo.png'), 0);
-- violate
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM media_assets WHERE filename = 'logo.png'), 1);

-- case: two files of a post do not share a position
-- expect: 23505 post_media_post_position_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM media_assets WHERE filename = 'logo.png'), 0);
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'banner.png', 'image/png', 2048, sha256('banner'), 'acme/banner.png');
-- violate
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM media_assets WHERE filename = 'banner.png'), 0);

-- case: a post has at most 100 media positions
-- expect: 23514 post_media_position_range
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
-- violate
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM media_assets WHERE filename = 'logo.png'), 100);

-- case: attached media is on a post of the same workspace
-- expect: 23503 post_media_post_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'other@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('beta', 'Beta', (SELECT id FROM users WHERE email = 'other@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'beta'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), (SELECT id FROM users WHERE email = 'other@example.com'), 'owner');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'x', '2002', 'beta', 1, decode(repeat('00', 24), 'hex'), '\x02');
INSERT INTO personas (workspace_id, name) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta voice');
INSERT INTO sources (workspace_id, kind, title, content) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'text', 'Beta notes', 'Notes.');
INSERT INTO posts (workspace_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'beta'), 'Beta post', 'Hello from Beta.');
SELECT set_config('test.beta_account_id', (SELECT id::text FROM social_accounts WHERE handle = 'beta'), true),
       set_config('test.beta_persona_id', (SELECT id::text FROM personas WHERE name = 'Beta voice'), true),
       set_config('test.beta_source_id', (SELECT id::text FROM sources WHERE title = 'Beta notes'), true),
       set_config('test.beta_post_id', (SELECT id::text FROM posts WHERE title = 'Beta post'), true);
SELECT set_config('app.workspace_id', '', true);
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
-- violate
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), current_setting('test.beta_post_id')::bigint, (SELECT id FROM media_assets WHERE filename = 'logo.png'), 0);

-- case: attached media is a file of the same workspace
-- expect: 23503 post_media_media_asset_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
-- violate
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), -1, 0);

-- case: a file in use by a post cannot be deleted
-- expect: 23503 post_media_media_asset_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM media_assets WHERE filename = 'logo.png'), 0);
-- violate
DELETE FROM media_assets WHERE filename = 'logo.png';

-- case: attached media has a position
-- expect: 23502 post_media.position
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO media_assets (workspace_id, kind, filename, content_type, byte_size, sha256, storage_key)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'image', 'logo.png', 'image/png', 2048, sha256('logo'), 'acme/logo.png');
-- violate
INSERT INTO post_media (workspace_id, post_id, media_asset_id, position) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM media_assets WHERE filename = 'logo.png'), NULL);

-- case: a job idempotency key is used once per workspace
-- expect: 23505 jobs_workspace_idempotency_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO jobs (workspace_id, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', 'post_target:1:v1');
-- violate
INSERT INTO jobs (workspace_id, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', 'post_target:1:v1');

-- case: a job is of a known kind
-- expect: 23514 jobs_kind_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'mine_bitcoin');

-- case: a job's status is queued, running, done, dead or canceled
-- expect: 23514 jobs_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', 'paused');

-- case: a job payload is a JSON object
-- expect: 23514 jobs_payload_object
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, payload) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', '[1, 2]');

-- case: a job priority is between -100 and 100
-- expect: 23514 jobs_priority_range
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, priority) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', 101);

-- case: a job's attempt count is not negative
-- expect: 23514 jobs_attempts_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, attempts) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', -1);

-- case: a job allows 1 to 100 attempts
-- expect: 23514 jobs_max_attempts_positive
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, max_attempts) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', 0);

-- case: a job is not attempted more than its maximum
-- expect: 23514 jobs_attempts_within_max
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, attempts, max_attempts) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', 6, 5);

-- case: a running job holds a lease
-- expect: 23514 jobs_running_has_lease
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, status) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', 'running');

-- case: a job's worker name is 1 to 200 characters
-- expect: 23514 jobs_locked_by_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, locked_by) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', '');

-- case: a job's last error is at most 2000 characters
-- expect: 23514 jobs_last_error_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, last_error) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', repeat('e', 2001));

-- case: a job idempotency key is 1 to 200 characters
-- expect: 23514 jobs_idempotency_key_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', '');

-- case: a job is in an existing workspace
-- expect: 23503 jobs_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO jobs (workspace_id, kind) VALUES (999999999, 'publish_post_target');

-- case: a job has a kind
-- expect: 23502 jobs.kind
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL);

-- case: a job has a time to run
-- expect: 23502 jobs.run_at
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO jobs (workspace_id, kind, run_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'publish_post_target', NULL);

-- case: a plan code is unique
-- expect: 23505 plans_code_key
-- workspace: none
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
-- violate
INSERT INTO plans (code, name, price_cents) VALUES ('pro', 'Pro Again', 1900);

-- case: a plan code is lowercase letters, digits, _ and -
-- expect: 23514 plans_code_shape
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents) VALUES ('Pro Plan', 'Pro', 1900);

-- case: a plan has a name
-- expect: 23514 plans_name_length
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents) VALUES ('pro', '', 1900);

-- case: a plan's price is not negative
-- expect: 23514 plans_price_nonnegative
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents) VALUES ('pro', 'Pro', -1);

-- case: a plan's currency is an ISO 4217 code
-- expect: 23514 plans_currency_shape
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents, currency) VALUES ('pro', 'Pro', 1900, 'usd');

-- case: a plan bills monthly or yearly
-- expect: 23514 plans_billing_interval_valid
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents, billing_interval) VALUES ('pro', 'Pro', 1900, 'week');

-- case: a plan's monthly credits are not negative
-- expect: 23514 plans_monthly_credits_nonnegative
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, -1);

-- case: a plan's limits are positive when set
-- expect: 23514 plans_limits_positive
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents, max_members) VALUES ('pro', 'Pro', 1900, 0);

-- case: a plan has a name (not null)
-- expect: 23502 plans.name
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents) VALUES ('pro', NULL, 1900);

-- case: a plan has a price
-- expect: 23502 plans.price_cents
-- workspace: none
-- violate
INSERT INTO plans (code, name, price_cents) VALUES ('pro', 'Pro', NULL);

-- case: a subscription's status is trial, active, past_due or canceled
-- expect: 23514 subscriptions_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM plans WHERE code = 'pro'), 'paused', now(), now() + interval '1 month');

-- case: a billing period ends after it starts
-- expect: 23514 subscriptions_period_order
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM plans WHERE code = 'pro'), 'active', now(), now());

-- case: a trial has an end
-- expect: 23514 subscriptions_trial_has_end
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM plans WHERE code = 'pro'), 'trial', now(), now() + interval '1 month');

-- case: a canceled subscription records when
-- expect: 23514 subscriptions_canceled_has_time
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM plans WHERE code = 'pro'), 'canceled', now(), now() + interval '1 month');

-- case: a workspace has one current subscription
-- expect: 23505 subscriptions_one_current_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM plans WHERE code = 'pro'), 'active', now(), now() + interval '1 month');
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM plans WHERE code = 'pro'), 'active', now(), now() + interval '1 month');

-- case: a subscription is to an existing plan
-- expect: 23503 subscriptions_plan_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -1, 'active', now(), now() + interval '1 month');

-- case: a subscription is of an existing workspace
-- expect: 23503 subscriptions_workspace_id_fkey
-- workspace: 999999999
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES (999999999, (SELECT id FROM plans WHERE code = 'pro'), 'active', now(), now() + interval '1 month');

-- case: a subscription has a plan
-- expect: 23502 subscriptions.plan_id
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL, 'active', now(), now() + interval '1 month');

-- case: a subscription has a period end
-- expect: 23502 subscriptions.current_period_end
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO plans (code, name, price_cents, monthly_credits) VALUES ('pro', 'Pro', 1900, 500);
-- violate
INSERT INTO subscriptions (workspace_id, plan_id, status, current_period_start, current_period_end) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM plans WHERE code = 'pro'), 'active', now(), NULL);

-- case: a workspace has one credit account
-- expect: 23505 credit_accounts_workspace_id_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));

-- case: credits never go negative
-- expect: 23514 credit_accounts_balance_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -101, 'spend', 'generation:1');

-- case: a credit account is of an existing workspace
-- expect: 23503 credit_accounts_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO credit_accounts (workspace_id) VALUES (999999999);

-- case: a credit entry's idempotency key is used once
-- expect: 23505 credit_entries_workspace_idempotency_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', 'generation:1');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', 'generation:1');

-- case: a repeated credit entry is refused even with ON CONFLICT DO NOTHING
-- expect: 23505 credit_entries_workspace_idempotency_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', 'generation:1');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', 'generation:1') ON CONFLICT DO NOTHING;

-- case: a credit entry needs the workspace's credit account
-- expect: 23503 credit_entries_account_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 10, 'grant', 'generation:1');

-- case: a credit entry is a grant, purchase, spend, refund or adjustment
-- expect: 23514 credit_entries_kind_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 10, 'gift', 'generation:1');

-- case: a credit entry moves some credits
-- expect: 23514 credit_entries_amount_nonzero
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 0, 'adjustment', 'generation:1');

-- case: spending takes credits away and the other kinds add them
-- expect: 23514 credit_entries_amount_sign
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 5, 'spend', 'generation:1');

-- case: a credit idempotency key is 1 to 200 characters
-- expect: 23514 credit_entries_idempotency_key_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', '');

-- case: a credit entry reference is at most 200 characters
-- expect: 23514 credit_entries_reference_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key, reference) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', 'generation:1', repeat('r', 201));

-- case: a credit entry note is at most 1000 characters
-- expect: 23514 credit_entries_note_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key, note) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', 'generation:1', repeat('n', 1001));

-- case: a credit entry has an amount
-- expect: 23502 credit_entries.amount
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL, 'spend', 'generation:1');

-- case: a credit entry has a kind
-- expect: 23502 credit_entries.kind
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, NULL, 'generation:1');

-- case: a credit entry has an idempotency key
-- expect: 23502 credit_entries.idempotency_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO credit_accounts (workspace_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'));
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 100, 'grant', 'welcome');
-- violate
INSERT INTO credit_entries (workspace_id, amount, kind, idempotency_key) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -10, 'spend', NULL);

-- case: a usage counter is kept once per metric and period
-- expect: 23505 usage_counters_workspace_metric_period_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO usage_counters (workspace_id, metric, period_start, period_end, used) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'posts_published', '2025-01-01', '2025-02-01', 0);
-- violate
INSERT INTO usage_counters (workspace_id, metric, period_start, period_end, used) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'posts_published', '2025-01-01', '2025-02-01', 0);

-- case: a usage counter measures a known metric
-- expect: 23514 usage_counters_metric_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO usage_counters (workspace_id, metric, period_start, period_end, used) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'coffee', '2025-01-01', '2025-02-01', 0);

-- case: a usage period ends after it starts
-- expect: 23514 usage_counters_period_order
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO usage_counters (workspace_id, metric, period_start, period_end, used) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'posts_published', '2025-01-01', '2025-01-01', 0);

-- case: usage is not negative
-- expect: 23514 usage_counters_used_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO usage_counters (workspace_id, metric, period_start, period_end, used) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'posts_published', '2025-01-01', '2025-02-01', -1);

-- case: usage is counted for an existing workspace
-- expect: 23503 usage_counters_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO usage_counters (workspace_id, metric, period_start, period_end, used) VALUES (999999999, 'posts_published', '2025-01-01', '2025-02-01', 0);

-- case: a usage counter has a metric
-- expect: 23502 usage_counters.metric
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO usage_counters (workspace_id, metric, period_start, period_end, used) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), NULL, '2025-01-01', '2025-02-01', 0);

-- case: a referral code is unique regardless of case
-- expect: 23505 referral_codes_code_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO referral_codes (user_id, code) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'olive2025');
-- violate
INSERT INTO referral_codes (user_id, code) VALUES ((SELECT id FROM users WHERE email = 'other@example.com'), 'OLIVE2025');

-- case: a referral code is 6 to 20 letters and digits
-- expect: 23514 referral_codes_code_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referral_codes (user_id, code) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'ab');

-- case: a user has one referral code
-- expect: 23505 referral_codes_user_id_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO referral_codes (user_id, code) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'olive2025');
-- violate
INSERT INTO referral_codes (user_id, code) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), 'olive2026');

-- case: a referral code belongs to an existing user
-- expect: 23503 referral_codes_user_id_fkey
-- workspace: none
-- violate
INSERT INTO referral_codes (user_id, code) VALUES (-1, 'olive2025');

-- case: a referral code has a code
-- expect: 23502 referral_codes.code
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referral_codes (user_id, code) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), NULL);

-- case: nobody refers themselves
-- expect: 23514 referrals_not_self
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'signed_up');

-- case: a user is referred once
-- expect: 23505 referrals_referred_id_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('editor@example.com', 'Eddie Editor', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'editor@example.com'), 'editor');
INSERT INTO referrals (referrer_id, referred_id, status) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM users WHERE email = 'other@example.com'), 'signed_up');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status) VALUES ((SELECT id FROM users WHERE email = 'editor@example.com'), (SELECT id FROM users WHERE email = 'other@example.com'), 'signed_up');

-- case: a referral's status is signed_up, qualified, rewarded or void
-- expect: 23514 referrals_status_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM users WHERE email = 'other@example.com'), 'paid');

-- case: a referral reward is not negative
-- expect: 23514 referrals_reward_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status, reward_credits) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM users WHERE email = 'other@example.com'), 'signed_up', -1);

-- case: a rewarded referral records when
-- expect: 23514 referrals_rewarded_has_time
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM users WHERE email = 'other@example.com'), 'rewarded');

-- case: a referrer is an existing user
-- expect: 23503 referrals_referrer_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status) VALUES (-1, (SELECT id FROM users WHERE email = 'other@example.com'), 'signed_up');

-- case: a referred user is an existing user
-- expect: 23503 referrals_referred_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), -1, 'signed_up');

-- case: a referral has a referrer
-- expect: 23502 referrals.referrer_id
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('other@example.com', 'Otto Other', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO referrals (referrer_id, referred_id, status) VALUES (NULL, (SELECT id FROM users WHERE email = 'other@example.com'), 'signed_up');

-- case: metric counts are not negative
-- expect: 23514 post_metrics_counts_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'));
-- violate
INSERT INTO post_metrics (workspace_id, post_target_id, captured_at, views) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM post_targets WHERE post_id = (SELECT id FROM posts WHERE title = 'Launch day')), now(), -1);

-- case: metrics are of a post target of the same workspace
-- expect: 23503 post_metrics_post_target_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO post_metrics (workspace_id, post_target_id, captured_at, views) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -1, now(), 10);

-- case: daily metric counts are not negative
-- expect: 23514 post_metrics_daily_counts_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'));
-- violate
INSERT INTO post_metrics_daily (workspace_id, post_target_id, day, views) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM post_targets WHERE post_id = (SELECT id FROM posts WHERE title = 'Launch day')), current_date, -1);

-- case: a target has one rollup per day
-- expect: 23505 post_metrics_daily_pkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'));
INSERT INTO post_metrics_daily (workspace_id, post_target_id, day, views) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM post_targets WHERE post_id = (SELECT id FROM posts WHERE title = 'Launch day')), current_date, 10);
-- violate
INSERT INTO post_metrics_daily (workspace_id, post_target_id, day, views) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM post_targets WHERE post_id = (SELECT id FROM posts WHERE title = 'Launch day')), current_date, 10);

-- case: daily metrics are of a post target of the same workspace
-- expect: 23503 post_metrics_daily_post_target_id_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO post_metrics_daily (workspace_id, post_target_id, day, views) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), -1, current_date, 10);

-- case: daily metrics have a day
-- expect: 23502 post_metrics_daily.day
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO posts (workspace_id, author_id, title, body) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Launch day', 'We are live.');
INSERT INTO social_accounts (workspace_id, platform, external_id, handle, access_token_key_id, access_token_nonce, access_token_ciphertext)
    VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '1001', 'acme', 1, decode(repeat('00', 24), 'hex'), '\x01');
INSERT INTO post_targets (workspace_id, post_id, social_account_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM posts WHERE title = 'Launch day'), (SELECT id FROM social_accounts WHERE handle = 'acme'));
-- violate
INSERT INTO post_metrics_daily (workspace_id, post_target_id, day, views) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM post_targets WHERE post_id = (SELECT id FROM posts WHERE title = 'Launch day')), NULL, 10);

-- case: an audit action is a dotted lowercase name
-- expect: 23514 audit_events_action_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO audit_events (workspace_id, actor_id, action) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'Deleted Post');

-- case: an audit target type is a lowercase name
-- expect: 23514 audit_events_target_type_shape
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO audit_events (workspace_id, actor_id, action, target_type) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'post.approved', 'Post');

-- case: an audit target id comes with its type
-- expect: 23514 audit_events_target_paired
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO audit_events (workspace_id, actor_id, action, target_id) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'post.approved', 1);

-- case: audit details are a JSON object
-- expect: 23514 audit_events_details_object
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO audit_events (workspace_id, actor_id, action, details) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'post.approved', '"x"');

-- case: an audit event has an action
-- expect: 23502 audit_events.action
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO audit_events (workspace_id, actor_id, action) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), NULL);

-- case: API usage is of a known service
-- expect: 23514 api_usage_service_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO api_usage (workspace_id, service, operation, status_code, duration_ms, units) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'myspace', 'tweets.create', 201, 120, 1);

-- case: an API operation name is 1 to 100 characters
-- expect: 23514 api_usage_operation_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO api_usage (workspace_id, service, operation, status_code, duration_ms, units) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', '', 201, 120, 1);

-- case: an HTTP status code is between 100 and 599
-- expect: 23514 api_usage_status_code_range
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO api_usage (workspace_id, service, operation, status_code, duration_ms, units) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', 'tweets.create', 99, 120, 1);

-- case: an API call's duration is not negative
-- expect: 23514 api_usage_duration_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO api_usage (workspace_id, service, operation, status_code, duration_ms, units) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', 'tweets.create', 201, -1, 1);

-- case: API units are not negative
-- expect: 23514 api_usage_units_nonnegative
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO api_usage (workspace_id, service, operation, status_code, duration_ms, units) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', 'tweets.create', 201, 120, -1);

-- case: API usage is of an existing workspace
-- expect: 23503 api_usage_workspace_id_fkey
-- workspace: 999999999
-- violate
INSERT INTO api_usage (workspace_id, service, operation, status_code, duration_ms, units) VALUES (999999999, 'x', 'tweets.create', 201, 120, 1);

-- case: an API call has a duration
-- expect: 23502 api_usage.duration_ms
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO api_usage (workspace_id, service, operation, status_code, duration_ms, units) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'x', 'tweets.create', 201, NULL, 1);

-- case: a max-hashtags brand rule holds a number
-- expect: 23514 brand_rules_max_hashtags_number
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO brand_rules (workspace_id, kind, rule_text) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), 'max_hashtags', 'three');

-- case: a calendar feed token hash is unique
-- expect: 23505 calendar_feeds_token_hash_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('member@example.com', 'Mo Member', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'member@example.com'), 'viewer');
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), sha256('feed'));
-- violate
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'member@example.com'), sha256('feed'));

-- case: a calendar feed token hash is a SHA-256 (32 bytes)
-- expect: 23514 calendar_feeds_token_hash_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), decode(repeat('ab', 16), 'hex'));

-- case: a member has one calendar feed per workspace
-- expect: 23505 calendar_feeds_workspace_user_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), sha256('feed'));
-- violate
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), sha256('another feed'));

-- case: a calendar feed belongs to a member of its workspace
-- expect: 23503 calendar_feeds_membership_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO users (email, name, password_hash) VALUES ('stranger@example.com', 'Stan Stranger', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
-- violate
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'stranger@example.com'), sha256('feed'));

-- case: a calendar feed is used only after it is made
-- expect: 23514 calendar_feeds_used_after_creation
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash, last_used_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), sha256('feed'), now() - interval '1 day');

-- case: a calendar feed has a token hash
-- expect: 23502 calendar_feeds.token_hash
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
-- violate
INSERT INTO calendar_feeds (workspace_id, user_id, token_hash) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), NULL);

-- case: one price per action
-- expect: 23505 credit_prices_pkey
-- workspace: none
-- violate
INSERT INTO credit_prices (action, credits, description) VALUES ('generate_post', 5, 'Write a post draft again');

-- case: a priced action is a lowercase identifier
-- expect: 23514 credit_prices_action_shape
-- workspace: none
-- violate
INSERT INTO credit_prices (action, credits, description) VALUES ('Generate Post', 5, 'Write a post draft');

-- case: a price is at least one credit
-- expect: 23514 credit_prices_credits_positive
-- workspace: none
-- violate
INSERT INTO credit_prices (action, credits, description) VALUES ('summarize_source', 0, 'Summarize a source');

-- case: a priced action is described in 1 to 200 characters
-- expect: 23514 credit_prices_description_length
-- workspace: none
-- violate
INSERT INTO credit_prices (action, credits, description) VALUES ('summarize_source', 2, '');

-- case: a priced action has a price
-- expect: 23502 credit_prices.credits
-- workspace: none
-- violate
INSERT INTO credit_prices (action, credits, description) VALUES ('summarize_source', NULL, 'Summarize a source');

-- case: an OAuth flow stores the SHA-256 of its state, 32 bytes
-- expect: 23514 oauth_flows_state_hash_length
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('session'), now() + interval '1 day');
-- violate
INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM sessions WHERE token_hash = sha256('session')), 'x', '\x0102', now() + interval '10 minutes');

-- case: an OAuth state is used by one flow only
-- expect: 23505 oauth_flows_state_hash_key
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('session'), now() + interval '1 day');
INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM sessions WHERE token_hash = sha256('session')), 'x', sha256('state'), now() + interval '10 minutes');
-- violate
INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM sessions WHERE token_hash = sha256('session')), 'reddit', sha256('state'), now() + interval '10 minutes');

-- case: OAuth flows are for the OAuth platforms (Bluesky signs in with an app password)
-- expect: 23514 oauth_flows_platform_valid
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('session'), now() + interval '1 day');
-- violate
INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM sessions WHERE token_hash = sha256('session')), 'bluesky', sha256('state'), now() + interval '10 minutes');

-- case: a Mastodon flow names its server, and only a Mastodon flow does
-- expect: 23514 oauth_flows_instance_for_mastodon
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'owner@example.com'), sha256('session'), now() + interval '1 day');
-- violate
INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), (SELECT id FROM sessions WHERE token_hash = sha256('session')), 'mastodon', sha256('state'), now() + interval '10 minutes');

-- case: an OAuth flow is started by a member of its workspace
-- expect: 23503 oauth_flows_membership_fkey
-- workspace: none
INSERT INTO users (email, name, password_hash) VALUES ('owner@example.com', 'Olive Owner', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
INSERT INTO users (email, name, password_hash) VALUES ('stranger@example.com', 'Stan Stranger', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA');
SELECT set_config('app.user_id', (SELECT id::text FROM users WHERE email = 'owner@example.com'), true);
INSERT INTO workspaces (slug, name, owner_id) VALUES ('acme', 'Acme', (SELECT id FROM users WHERE email = 'owner@example.com'));
SELECT set_config('app.workspace_id', (SELECT id::text FROM workspaces WHERE slug = 'acme'), true);
INSERT INTO memberships (workspace_id, user_id, role) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'owner@example.com'), 'owner');
INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ((SELECT id FROM users WHERE email = 'stranger@example.com'), sha256('session'), now() + interval '1 day');
-- violate
INSERT INTO oauth_flows (workspace_id, user_id, session_id, platform, state_hash, expires_at) VALUES ((SELECT id FROM workspaces WHERE slug = 'acme'), (SELECT id FROM users WHERE email = 'stranger@example.com'), (SELECT id FROM sessions WHERE token_hash = sha256('session')), 'x', sha256('state'), now() + interval '10 minutes');

-- case: Herald registers once per Mastodon server
-- expect: 23505 mastodon_apps_instance_url_key
-- workspace: none
INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id) VALUES ('https://mastodon.social', 'https://herald.example/oauth/mastodon/callback', 'read:accounts', 'abc');
-- violate
INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id) VALUES ('https://mastodon.social', 'https://herald.example/oauth/mastodon/callback', 'read:accounts', 'def');

-- case: a Mastodon app's secret is sealed whole: key id, nonce and ciphertext, or none
-- expect: 23514 mastodon_apps_client_secret_sealed
-- workspace: none
-- violate
INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id, client_secret_key_id) VALUES ('https://mastodon.social', 'https://herald.example/oauth/mastodon/callback', 'read:accounts', 'abc', 1);
