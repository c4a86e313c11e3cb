-- AI drafts: content candidates a language model writes on a campaign from a brief (paid from the
-- credit ledger when accepted, refunded when they fail), every exchange with the model kept for the
-- workspace's audit for a while, and the weekly summary.
-- migrate:up

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_valid;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_valid CHECK (kind IN ('publish_post_target', 'reconcile_post_target',
    'refresh_social_token', 'fetch_post_metrics', 'rollup_daily_metrics', 'ingest_source',
    'learn_persona_style', 'generate_post', 'weekly_summary'));

-- One draft a model writes: what was asked (campaign, persona, kind, platform, brief), where it is
-- (generating → pending_review → approved or rejected; failed with the reason), what it says, what
-- it breaks (length and brand rules, shown, never silently cut), what it cost, and the post draft an
-- approval made of it.
CREATE TABLE content_candidates (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    campaign_id     bigint NOT NULL,
    persona_id      bigint,
    kind            text NOT NULL,
    platform        text,
    brief           text NOT NULL,
    status          text NOT NULL DEFAULT 'generating',
    title           text,
    body            text,
    findings        jsonb NOT NULL DEFAULT '[]',
    last_error      text,
    credits         integer NOT NULL,
    job_id          bigint,
    post_id         bigint,
    requested_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    reviewed_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT content_candidates_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT content_candidates_campaign_id_fkey FOREIGN KEY (workspace_id, campaign_id)
        REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT content_candidates_persona_id_fkey FOREIGN KEY (workspace_id, persona_id)
        REFERENCES personas (workspace_id, id) ON DELETE SET NULL (persona_id),
    CONSTRAINT content_candidates_post_id_fkey FOREIGN KEY (workspace_id, post_id)
        REFERENCES posts (workspace_id, id) ON DELETE SET NULL (post_id),
    CONSTRAINT content_candidates_kind_valid CHECK (kind IN ('post', 'x_thread', 'linkedin_post', 'reddit_post', 'blog_outline')),
    CONSTRAINT content_candidates_platform_valid CHECK (platform IN ('x', 'linkedin', 'reddit', 'mastodon', 'bluesky')),
    CONSTRAINT content_candidates_status_valid CHECK (status IN ('generating', 'pending_review', 'approved', 'rejected', 'failed')),
    CONSTRAINT content_candidates_brief_length CHECK (char_length(brief) BETWEEN 1 AND 2000),
    CONSTRAINT content_candidates_title_length CHECK (char_length(title) BETWEEN 1 AND 300),
    CONSTRAINT content_candidates_body_length CHECK (char_length(body) <= 40000),
    CONSTRAINT content_candidates_findings_array CHECK (jsonb_typeof(findings) = 'array'),
    CONSTRAINT content_candidates_last_error_length CHECK (char_length(last_error) <= 2000),
    CONSTRAINT content_candidates_credits_nonnegative CHECK (credits >= 0),
    -- Written text is there from review on; a failure says why; a review says who and when.
    CONSTRAINT content_candidates_reviewable_has_body CHECK (status NOT IN ('pending_review', 'approved', 'rejected') OR body IS NOT NULL),
    CONSTRAINT content_candidates_failed_has_error CHECK (status <> 'failed' OR last_error IS NOT NULL),
    CONSTRAINT content_candidates_reviewed_has_time CHECK (status NOT IN ('approved', 'rejected') OR reviewed_at IS NOT NULL)
);
CREATE INDEX content_candidates_campaign_idx ON content_candidates (workspace_id, campaign_id, created_at);
CREATE INDEX content_candidates_persona_idx ON content_candidates (workspace_id, persona_id) WHERE persona_id IS NOT NULL;
CREATE INDEX content_candidates_post_idx ON content_candidates (workspace_id, post_id) WHERE post_id IS NOT NULL;
CREATE INDEX content_candidates_requested_by_idx ON content_candidates (requested_by);
CREATE INDEX content_candidates_reviewed_by_idx ON content_candidates (reviewed_by);

-- The only moves a candidate makes; anything else (approving a draft still being written, reviving a
-- rejected one, skipping review) is refused here as well as by the pages.
CREATE FUNCTION content_candidates_check_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'generating' AND NEW.status IN ('pending_review', 'failed'))
        OR (OLD.status = 'pending_review' AND NEW.status IN ('approved', 'rejected'))) THEN
        RAISE EXCEPTION 'a candidate cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'content_candidates_transition_valid';
    END IF;
    IF NEW.status = 'approved' AND NEW.post_id IS NULL THEN
        RAISE EXCEPTION 'an approved candidate names the post draft made of it'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'content_candidates_approved_has_post';
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER content_candidates_check_transition BEFORE UPDATE ON content_candidates
    FOR EACH ROW EXECUTE FUNCTION content_candidates_check_transition();

-- What Herald sent a model and what it answered, per workspace, for its audit; deleted after
-- HERALD_AI_RETENTION_DAYS by the worker.
CREATE TABLE ai_exchanges (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id      bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    purpose           text NOT NULL,
    subject_id        bigint,
    model             text NOT NULL,
    request           jsonb NOT NULL,
    response          text,
    error             text,
    prompt_tokens     integer,
    completion_tokens integer,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ai_exchanges_purpose_valid CHECK (purpose IN ('generate', 'learn_style', 'weekly_summary')),
    CONSTRAINT ai_exchanges_model_length CHECK (char_length(model) BETWEEN 1 AND 200),
    CONSTRAINT ai_exchanges_request_array CHECK (jsonb_typeof(request) = 'array'),
    CONSTRAINT ai_exchanges_response_length CHECK (char_length(response) <= 1000000),
    CONSTRAINT ai_exchanges_error_length CHECK (char_length(error) <= 2000),
    CONSTRAINT ai_exchanges_answered_or_failed CHECK ((response IS NULL) <> (error IS NULL)),
    CONSTRAINT ai_exchanges_tokens_nonnegative CHECK (prompt_tokens >= 0 AND completion_tokens >= 0)
);
CREATE INDEX ai_exchanges_workspace_created_idx ON ai_exchanges (workspace_id, created_at);
CREATE INDEX ai_exchanges_created_idx ON ai_exchanges (created_at);

-- Each workspace's report of a week (Monday to Sunday in its zone): the numbers, and the model's
-- words about them when a model is configured.
CREATE TABLE weekly_summaries (
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    week_start      date NOT NULL,
    body            text NOT NULL,
    numbers         jsonb NOT NULL,
    model           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT weekly_summaries_pkey PRIMARY KEY (workspace_id, week_start),
    CONSTRAINT weekly_summaries_week_start_monday CHECK (extract(isodow FROM week_start) = 1),
    CONSTRAINT weekly_summaries_body_length CHECK (char_length(body) BETWEEN 1 AND 20000),
    CONSTRAINT weekly_summaries_numbers_object CHECK (jsonb_typeof(numbers) = 'object')
);

ALTER TABLE content_candidates ENABLE ROW LEVEL SECURITY;
ALTER TABLE content_candidates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON content_candidates
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
ALTER TABLE ai_exchanges ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_exchanges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_exchanges
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));
ALTER TABLE weekly_summaries ENABLE ROW LEVEL SECURITY;
ALTER TABLE weekly_summaries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON weekly_summaries
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

-- Expiring old exchanges and finding the workspaces whose week has ended, across workspaces, as the
-- worker claims jobs: with app.cross_tenant on and no tenant set.
CREATE POLICY worker_retention ON ai_exchanges FOR DELETE
    USING ((SELECT NULLIF(current_setting('app.workspace_id', true), '')) IS NULL
        AND (SELECT current_setting('app.cross_tenant', true)) = 'on');

GRANT SELECT, INSERT, UPDATE ON content_candidates TO herald_app;
GRANT SELECT, INSERT, DELETE ON ai_exchanges TO herald_app;
GRANT SELECT, INSERT ON weekly_summaries TO herald_app;

INSERT INTO credit_prices (action, credits, description) VALUES
    ('generate_thread', 5, 'Write an X thread draft with the language model'),
    ('generate_outline', 4, 'Write a blog outline with the language model'),
    ('learn_style', 5, 'Learn a persona''s style from its sources with the language model')
ON CONFLICT (action) DO NOTHING;

COMMENT ON TABLE content_candidates IS 'Drafts a language model wrote on a campaign, waiting for a person''s review.';
COMMENT ON TABLE ai_exchanges IS 'What Herald sent a language model and what it answered, kept for the workspace''s audit.';
COMMENT ON TABLE weekly_summaries IS 'Each workspace''s weekly report of its posts and their results.';

-- migrate:down
DELETE FROM credit_prices WHERE action IN ('generate_thread', 'generate_outline', 'learn_style')
    AND NOT EXISTS (SELECT 1 FROM credit_entries e WHERE e.reference = credit_prices.action);
DROP POLICY worker_retention ON ai_exchanges;
DROP TABLE weekly_summaries;
DROP TABLE ai_exchanges;
DROP TABLE content_candidates;
DROP FUNCTION content_candidates_check_transition();
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_valid;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_valid CHECK (kind IN ('publish_post_target', 'reconcile_post_target',
    'refresh_social_token', 'fetch_post_metrics', 'rollup_daily_metrics', 'ingest_source',
    'learn_persona_style', 'generate_post'));
