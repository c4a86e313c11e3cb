-- Plans and prices: the plans on offer (seeded), what each action that costs credits costs, and ledger
-- entries dated in the order they move the balance.
-- migrate:up

-- The catalogue of priced actions, shared by every workspace like plans: no workspace_id, so no
-- row-level security. A spend names its action; Credits.spend (Sources/HeraldCore/Billing) reads the
-- price in the same INSERT that debits the account, so a price change applies from the next spend.
-- An action is retired with is_active = false, never deleted (ledger entries name it as reference).
CREATE TABLE credit_prices (
    action          text NOT NULL,
    credits         integer NOT NULL,
    description     text NOT NULL,
    is_active       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT credit_prices_pkey PRIMARY KEY (action),
    CONSTRAINT credit_prices_action_shape CHECK (action ~ '^[a-z][a-z0-9_]{0,39}$'),
    CONSTRAINT credit_prices_credits_positive CHECK (credits > 0),
    CONSTRAINT credit_prices_description_length CHECK (char_length(description) BETWEEN 1 AND 200)
);

COMMENT ON TABLE credit_prices IS 'What each action that costs credits costs; spends name their action.';

-- The admin pages will edit prices; nothing deletes one.
GRANT SELECT, INSERT, UPDATE ON credit_prices TO herald_app;

INSERT INTO credit_prices (action, credits, description) VALUES
    ('generate_post', 3, 'Write a post draft with the language model'),
    ('rewrite_post', 1, 'Rewrite a post for another platform or tone'),
    ('generate_image', 10, 'Generate an image for a post'),
    ('publish_extra', 1, 'Publish one post beyond the plan''s scheduled-post limit');

-- The plans on offer. A workspace without a subscription, or whose trial has ended, is on 'free'
-- (Sources/HeraldCore/Billing/Plans.swift); NULL limits mean unlimited. Scheduled posts count the
-- posts waiting in the queue at once (status scheduled or publishing); members count open
-- invitations too. Codes are what `heraldctl plans set` and a payment provider's webhook name.
INSERT INTO plans (code, name, price_cents, monthly_credits, max_members, max_social_accounts, max_scheduled_posts) VALUES
    ('free', 'Free', 0, 50, 5, 3, 30),
    ('starter', 'Starter', 1500, 500, 10, 10, 300),
    ('team', 'Team', 4900, 2000, 25, 25, 2000),
    ('agency', 'Agency', 14900, 10000, NULL, 100, NULL);

-- The ledger trigger of 0006, now also dating each entry when it is applied (clock_timestamp(), under
-- the account's lock) instead of at its transaction's start. Entries of one workspace then sort by
-- created_at in the order the balance moved, so the ledger page and the export show an unbroken
-- chain of balance_after even when spends arrive at once (ids are drawn before the lock is taken, so
-- they do not follow it). Copies arriving with balance_after (pg_restore) keep their date.
CREATE OR REPLACE FUNCTION credit_entries_apply() RETURNS trigger
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
    -- Dated now, under the lock, not at the transaction's start: see above.
    NEW.created_at := clock_timestamp();
    UPDATE credit_accounts SET balance = balance + NEW.amount, updated_at = now()
    WHERE workspace_id = NEW.workspace_id
    RETURNING balance INTO NEW.balance_after;
    RETURN NEW;
END
$$;

-- migrate:down
-- The trigger as 0006 made it.
CREATE OR REPLACE FUNCTION credit_entries_apply() RETURNS trigger
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

-- Subscriptions to the seeded plans go with them (plans cannot be deleted while referenced). The owner
-- sees every workspace's subscriptions only with FORCE lifted, for this transaction's statement.
ALTER TABLE subscriptions NO FORCE ROW LEVEL SECURITY;
DELETE FROM subscriptions WHERE plan_id IN (SELECT id FROM plans WHERE code IN ('free', 'starter', 'team', 'agency'));
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
DELETE FROM plans WHERE code IN ('free', 'starter', 'team', 'agency');
DROP TABLE credit_prices;
