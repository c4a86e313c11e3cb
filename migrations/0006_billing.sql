-- Billing: plans, subscriptions, the credit ledger, usage counters, referrals.
-- migrate:up

-- Refuses UPDATE, DELETE and TRUNCATE on append-only tables (credit_entries here, audit_events later),
-- whoever asks, the owner included, and whether or not any row is visible: it is a statement trigger.
-- The one exception: a DELETE run by a foreign-key cascade (pg_trigger_depth() > 1: the cascade is
-- itself a trigger), so deleting a workspace still removes its ledger and its audit trail.
-- herald_app has no UPDATE or DELETE grant on these tables either.
CREATE FUNCTION refuse_append_only_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
END
$$;

-- The catalogue, shared by every workspace. NULL limits mean unlimited.
CREATE TABLE plans (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                text NOT NULL,
    name                text NOT NULL,
    price_cents         integer NOT NULL,
    currency            text NOT NULL DEFAULT 'USD',
    billing_interval    text NOT NULL DEFAULT 'month',
    monthly_credits     integer NOT NULL DEFAULT 0,
    max_members         integer,
    max_social_accounts integer,
    max_scheduled_posts integer,
    is_active           boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT plans_code_key UNIQUE (code),
    CONSTRAINT plans_code_shape CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    CONSTRAINT plans_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT plans_price_nonnegative CHECK (price_cents >= 0),
    CONSTRAINT plans_currency_shape CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT plans_billing_interval_valid CHECK (billing_interval IN ('month', 'year')),
    CONSTRAINT plans_monthly_credits_nonnegative CHECK (monthly_credits >= 0),
    CONSTRAINT plans_limits_positive CHECK (max_members > 0 AND max_social_accounts > 0 AND max_scheduled_posts > 0)
);

-- At most one subscription per workspace that is not canceled; canceled ones stay as history.
CREATE TABLE subscriptions (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id            bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    plan_id                 bigint NOT NULL REFERENCES plans (id),
    status                  text NOT NULL DEFAULT 'trial',
    trial_ends_at           timestamptz,
    current_period_start    timestamptz NOT NULL,
    current_period_end      timestamptz NOT NULL,
    cancel_at_period_end    boolean NOT NULL DEFAULT false,
    canceled_at             timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_status_valid CHECK (status IN ('trial', 'active', 'past_due', 'canceled')),
    CONSTRAINT subscriptions_period_order CHECK (current_period_end > current_period_start),
    CONSTRAINT subscriptions_trial_has_end CHECK (status <> 'trial' OR trial_ends_at IS NOT NULL),
    CONSTRAINT subscriptions_canceled_has_time CHECK ((status = 'canceled') = (canceled_at IS NOT NULL))
);
CREATE UNIQUE INDEX subscriptions_one_current_key ON subscriptions (workspace_id) WHERE status <> 'canceled';
CREATE INDEX subscriptions_workspace_id_idx ON subscriptions (workspace_id, created_at);
CREATE INDEX subscriptions_plan_id_idx ON subscriptions (plan_id);

-- One credit account per workspace. Its balance changes only through credit_entries: herald_app may
-- create an account (balance 0) but not update it; the ledger trigger does.
CREATE TABLE credit_accounts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    balance         bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT credit_accounts_workspace_id_key UNIQUE (workspace_id),
    CONSTRAINT credit_accounts_balance_nonnegative CHECK (balance >= 0)
);

-- The ledger, append-only. Insert the entry alone: the trigger credit_entries_apply locks the account,
-- moves its balance by amount and fills balance_after, in the same statement. A spend that would take
-- the balance below zero fails with 23514 credit_accounts_balance_nonnegative; a repeated idempotency
-- key fails with 23505 credit_entries_workspace_idempotency_key (even under ON CONFLICT DO NOTHING,
-- which must not be used here), and the first entry is the result.
-- actor_id has no foreign key on purpose: the ledger outlives users and is never rewritten.
CREATE TABLE credit_entries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL,
    amount          bigint NOT NULL,
    kind            text NOT NULL,
    balance_after   bigint NOT NULL,
    idempotency_key text NOT NULL,
    actor_id        bigint,
    reference       text,
    note            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT credit_entries_workspace_idempotency_key UNIQUE (workspace_id, idempotency_key),
    CONSTRAINT credit_entries_account_fkey FOREIGN KEY (workspace_id)
        REFERENCES credit_accounts (workspace_id) ON DELETE CASCADE,
    CONSTRAINT credit_entries_kind_valid CHECK (kind IN ('grant', 'purchase', 'spend', 'refund', 'adjustment')),
    CONSTRAINT credit_entries_amount_nonzero CHECK (amount <> 0),
    -- Spending takes credits away; grants, purchases and refunds add them; adjustments go either way.
    CONSTRAINT credit_entries_amount_sign CHECK (CASE kind WHEN 'spend' THEN amount < 0
        WHEN 'adjustment' THEN true ELSE amount > 0 END),
    CONSTRAINT credit_entries_balance_after_nonnegative CHECK (balance_after >= 0),
    CONSTRAINT credit_entries_idempotency_key_length CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
    CONSTRAINT credit_entries_reference_length CHECK (char_length(reference) <= 200),
    CONSTRAINT credit_entries_note_length CHECK (char_length(note) <= 1000)
);
-- The history page and statements by date range.
CREATE INDEX credit_entries_workspace_created_idx ON credit_entries (workspace_id, created_at);

-- SECURITY DEFINER because herald_app cannot update credit_accounts; row-level security still applies
-- (FORCE), so the account is found only with the tenant set to the entry's workspace.
CREATE FUNCTION credit_entries_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
BEGIN
    IF NEW.amount IS NULL THEN
        RETURN NEW;  -- the NOT NULL constraint refuses the row
    END IF;
    -- An entry that arrives with its balance_after is a copy of one already applied (pg_restore, run
    -- as a superuser): keep it as it is. herald_app cannot write that column, so its entries always
    -- go through the account below.
    IF NEW.balance_after IS NOT NULL THEN
        RETURN NEW;
    END IF;
    -- Lock the account first: entries of one account are written one at a time, so the duplicate
    -- check below sees any entry committed before us.
    PERFORM FROM credit_accounts WHERE workspace_id = NEW.workspace_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'workspace % has no credit account', NEW.workspace_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'credit_entries_account_fkey',
                  TABLE = 'credit_entries', SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    IF EXISTS (SELECT 1 FROM credit_entries
               WHERE workspace_id = NEW.workspace_id AND idempotency_key = NEW.idempotency_key) THEN
        RAISE EXCEPTION 'credit entry % was already recorded', NEW.idempotency_key
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'credit_entries_workspace_idempotency_key',
                  TABLE = 'credit_entries', SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    UPDATE credit_accounts SET balance = balance + NEW.amount, updated_at = now()
    WHERE workspace_id = NEW.workspace_id
    RETURNING balance INTO NEW.balance_after;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION credit_entries_apply() FROM PUBLIC;
CREATE TRIGGER credit_entries_apply BEFORE INSERT ON credit_entries
    FOR EACH ROW EXECUTE FUNCTION credit_entries_apply();
CREATE TRIGGER credit_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON credit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- What a workspace used in a billing period, checked against its plan's limits.
CREATE TABLE usage_counters (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    metric          text NOT NULL,
    period_start    date NOT NULL,
    period_end      date NOT NULL,
    used            bigint NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT usage_counters_workspace_metric_period_key UNIQUE (workspace_id, metric, period_start),
    CONSTRAINT usage_counters_metric_valid CHECK (metric IN ('posts_published', 'ai_generations',
        'media_bytes', 'api_calls')),
    CONSTRAINT usage_counters_period_order CHECK (period_end > period_start),
    CONSTRAINT usage_counters_used_nonnegative CHECK (used >= 0)
);

-- Referrals are between people, not workspaces: no workspace_id, no row-level security. The reward is
-- a credit entry (idempotency key 'referral:{id}') in a workspace the referrer chooses.
CREATE TABLE referral_codes (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code            citext NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT referral_codes_user_id_key UNIQUE (user_id),
    CONSTRAINT referral_codes_code_key UNIQUE (code),
    CONSTRAINT referral_codes_code_shape CHECK (code ~ '^[a-z0-9]{6,20}$')
);

CREATE TABLE referrals (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referrer_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    referred_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status          text NOT NULL DEFAULT 'signed_up',
    reward_credits  integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    qualified_at    timestamptz,
    rewarded_at     timestamptz,
    CONSTRAINT referrals_referred_id_key UNIQUE (referred_id),
    CONSTRAINT referrals_not_self CHECK (referrer_id <> referred_id),
    CONSTRAINT referrals_status_valid CHECK (status IN ('signed_up', 'qualified', 'rewarded', 'void')),
    CONSTRAINT referrals_reward_nonnegative CHECK (reward_credits >= 0),
    CONSTRAINT referrals_rewarded_has_time CHECK ((status = 'rewarded') = (rewarded_at IS NOT NULL))
);
CREATE INDEX referrals_referrer_id_idx ON referrals (referrer_id);

ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subscriptions
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE credit_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON credit_accounts
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE credit_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON credit_entries
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE usage_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_counters
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

-- Descriptions, shown in docs/schema.md.
COMMENT ON TABLE plans IS 'The plans on offer, with their price, monthly credits and limits.';
COMMENT ON TABLE subscriptions IS 'A workspace''s plan over time; at most one that is not canceled.';
COMMENT ON TABLE credit_accounts IS 'A workspace''s credit balance, never negative, changed only through credit_entries.';
COMMENT ON TABLE credit_entries IS 'The credit ledger: append-only, idempotent, each entry with the balance after it.';
COMMENT ON TABLE usage_counters IS 'What a workspace used per metric and billing period.';
COMMENT ON TABLE referral_codes IS 'Each user''s code to invite others with.';
COMMENT ON TABLE referrals IS 'Who referred whom, and whether the reward was paid.';

-- The admin pages edit plans; nothing deletes one (subscriptions keep pointing at it).
GRANT SELECT, INSERT, UPDATE ON plans TO herald_app;
GRANT SELECT, INSERT, UPDATE ON subscriptions, usage_counters, referrals TO herald_app;
GRANT SELECT, INSERT ON referral_codes TO herald_app;
-- Column lists: an account starts at its default balance 0, and balance_after is the trigger's.
GRANT SELECT ON credit_accounts, credit_entries TO herald_app;
GRANT INSERT (workspace_id) ON credit_accounts TO herald_app;
GRANT INSERT (workspace_id, amount, kind, idempotency_key, actor_id, reference, note) ON credit_entries TO herald_app;

-- migrate:down
DROP TABLE referrals;
DROP TABLE referral_codes;
DROP TABLE usage_counters;
DROP TABLE credit_entries;
DROP FUNCTION credit_entries_apply();
DROP TABLE credit_accounts;
DROP TABLE subscriptions;
DROP TABLE plans;
DROP FUNCTION refuse_append_only_change();
