-- Content: personas and their sources, campaigns, tags, posts with targets, revisions and reviews,
-- brand rules, media.
-- migrate:up

-- Child rows carry their parent's workspace_id and point at it with a composite foreign key
-- (workspace_id, parent_id), so a row can never hang under another workspace's parent. Deleting a
-- workspace deletes everything below it through these cascades.

-- A voice to write in: described by hand and/or learned from its sources (style_profile).
CREATE TABLE personas (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name            citext NOT NULL,
    description     text,
    style_profile   jsonb NOT NULL DEFAULT '{}',
    status          text NOT NULL DEFAULT 'active',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT personas_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT personas_workspace_name_key UNIQUE (workspace_id, name),
    CONSTRAINT personas_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT personas_description_length CHECK (char_length(description) <= 5000),
    CONSTRAINT personas_style_profile_object CHECK (jsonb_typeof(style_profile) = 'object'),
    CONSTRAINT personas_status_valid CHECK (status IN ('active', 'archived'))
);

-- Material to learn a voice from or write about: a web page, pasted text, or text taken from a PDF.
CREATE TABLE sources (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind            text NOT NULL,
    title           text NOT NULL,
    url             text,
    content         text,
    status          text NOT NULL DEFAULT 'pending',
    last_error      text,
    fetched_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sources_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT sources_kind_valid CHECK (kind IN ('url', 'text', 'pdf_text')),
    CONSTRAINT sources_status_valid CHECK (status IN ('pending', 'ready', 'failed')),
    CONSTRAINT sources_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
    -- A url source has a URL, the others none.
    CONSTRAINT sources_url_iff_kind_url CHECK ((kind = 'url') = (url IS NOT NULL)),
    CONSTRAINT sources_url_shape CHECK (url ~ '^https?://[^\s]+$' AND char_length(url) <= 2048),
    -- Text and PDF text arrive with their text; a URL's is fetched. Ready means there is text.
    CONSTRAINT sources_content_present CHECK ((kind = 'url' AND status <> 'ready') OR content IS NOT NULL),
    CONSTRAINT sources_content_length CHECK (char_length(content) <= 1000000),
    CONSTRAINT sources_last_error_length CHECK (char_length(last_error) <= 2000)
);

-- Which sources a persona learns from; each link is confirmed or rejected by a person.
-- A pure link: keyed by the pair, no surrogate id.
CREATE TABLE persona_sources (
    workspace_id    bigint NOT NULL,
    persona_id      bigint NOT NULL,
    source_id       bigint NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT persona_sources_pkey PRIMARY KEY (workspace_id, persona_id, source_id),
    CONSTRAINT persona_sources_persona_id_fkey FOREIGN KEY (workspace_id, persona_id)
        REFERENCES personas (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT persona_sources_source_id_fkey FOREIGN KEY (workspace_id, source_id)
        REFERENCES sources (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT persona_sources_status_valid CHECK (status IN ('pending', 'confirmed', 'rejected'))
);
CREATE INDEX persona_sources_source_id_idx ON persona_sources (workspace_id, source_id);

-- The seeds' "projects": a named effort with optional dates that posts belong to.
CREATE TABLE campaigns (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name            citext NOT NULL,
    description     text,
    status          text NOT NULL DEFAULT 'planned',
    starts_on       date,
    ends_on         date,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT campaigns_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT campaigns_workspace_name_key UNIQUE (workspace_id, name),
    CONSTRAINT campaigns_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT campaigns_description_length CHECK (char_length(description) <= 5000),
    CONSTRAINT campaigns_status_valid CHECK (status IN ('planned', 'active', 'completed', 'archived')),
    CONSTRAINT campaigns_ends_after_start CHECK (ends_on >= starts_on)
);

-- Content pillars (themes), series (recurring formats) and free labels are one table told apart by
-- kind: they behave alike (a post has any number of them, pages filter by them), and one join table
-- serves all three. Names are unique per kind, ignoring case.
CREATE TABLE tags (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind            text NOT NULL,
    name            citext NOT NULL,
    description     text,
    color           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tags_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT tags_workspace_kind_name_key UNIQUE (workspace_id, kind, name),
    CONSTRAINT tags_kind_valid CHECK (kind IN ('pillar', 'series', 'label')),
    CONSTRAINT tags_name_length CHECK (char_length(name) BETWEEN 1 AND 50),
    CONSTRAINT tags_description_length CHECK (char_length(description) <= 500),
    CONSTRAINT tags_color_shape CHECK (color ~ '^#[0-9a-f]{6}$')
);

-- status: draft -> in_review -> approved -> scheduled -> publishing -> published | partially_published
-- | failed, or rejected. scheduled_at is the instant; scheduled_zone the IANA zone it was planned in,
-- so the calendar shows it at the wall-clock time the planner chose.
-- version is for optimistic locking: UPDATE ... SET version = version + 1 WHERE id = $1 AND version = $2.
-- search: the 'english' configuration, so a search stems ("publishing" finds "published").
CREATE TABLE posts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    campaign_id     bigint,
    persona_id      bigint,
    author_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    title           text,
    body            text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'draft',
    scheduled_at    timestamptz,
    scheduled_zone  text,
    published_at    timestamptz,
    version         integer NOT NULL DEFAULT 1,
    search          tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', coalesce(title, '')), 'A')
                        || setweight(to_tsvector('english', body), 'B')) STORED,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT posts_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT posts_campaign_id_fkey FOREIGN KEY (workspace_id, campaign_id)
        REFERENCES campaigns (workspace_id, id) ON DELETE SET NULL (campaign_id),
    CONSTRAINT posts_persona_id_fkey FOREIGN KEY (workspace_id, persona_id)
        REFERENCES personas (workspace_id, id) ON DELETE SET NULL (persona_id),
    CONSTRAINT posts_status_valid CHECK (status IN ('draft', 'in_review', 'approved', 'scheduled',
        'publishing', 'published', 'partially_published', 'failed', 'rejected')),
    CONSTRAINT posts_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT posts_body_length CHECK (char_length(body) <= 40000),
    CONSTRAINT posts_version_positive CHECK (version >= 1),
    CONSTRAINT posts_schedule_has_zone CHECK ((scheduled_at IS NULL) = (scheduled_zone IS NULL)),
    CONSTRAINT posts_scheduled_zone_valid CHECK (is_valid_time_zone(scheduled_zone)),
    CONSTRAINT posts_scheduled_has_time CHECK (status NOT IN ('scheduled', 'publishing') OR scheduled_at IS NOT NULL),
    CONSTRAINT posts_published_has_time CHECK (status NOT IN ('published', 'partially_published')
        OR published_at IS NOT NULL)
);
-- The posts list: by status, in schedule order.
CREATE INDEX posts_workspace_status_scheduled_idx ON posts (workspace_id, status, scheduled_at);
-- The calendar: every scheduled post in a time range.
CREATE INDEX posts_workspace_scheduled_idx ON posts (workspace_id, scheduled_at) WHERE scheduled_at IS NOT NULL;
-- Full-text search. Under row-level security the planner uses this index only when @@
-- (pg_catalog.ts_match_vq) is LEAKPROOF, which only a superuser can declare: the setup script runs
-- ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF in the database. Without it
-- search still returns the right rows, by scanning the workspace's posts.
CREATE INDEX posts_search_idx ON posts USING gin (search);
CREATE INDEX posts_campaign_id_idx ON posts (workspace_id, campaign_id);
CREATE INDEX posts_persona_id_idx ON posts (workspace_id, persona_id);
CREATE INDEX posts_author_id_idx ON posts (author_id);

CREATE TABLE post_tags (
    workspace_id    bigint NOT NULL,
    post_id         bigint NOT NULL,
    tag_id          bigint NOT NULL,
    CONSTRAINT post_tags_pkey PRIMARY KEY (workspace_id, post_id, tag_id),
    CONSTRAINT post_tags_post_id_fkey FOREIGN KEY (workspace_id, post_id)
        REFERENCES posts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_tags_tag_id_fkey FOREIGN KEY (workspace_id, tag_id)
        REFERENCES tags (workspace_id, id) ON DELETE CASCADE
);
-- Posts of a pillar or series.
CREATE INDEX post_tags_tag_id_idx ON post_tags (workspace_id, tag_id);

-- One post sent to one social account. The worker records external_post_id before it marks the
-- target published; an outcome it cannot know (timeout after sending) becomes 'unconfirmed' for the
-- reconcile step instead of a second send.
CREATE TABLE post_targets (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id        bigint NOT NULL,
    post_id             bigint NOT NULL,
    social_account_id   bigint NOT NULL,
    status              text NOT NULL DEFAULT 'pending',
    body_override       text,
    attempts            integer NOT NULL DEFAULT 0,
    external_post_id    text,
    external_url        text,
    last_error          text,
    published_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT post_targets_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT post_targets_post_account_key UNIQUE (workspace_id, post_id, social_account_id),
    -- A platform's post is recorded once (NULL until published, so unpublished targets don't clash).
    CONSTRAINT post_targets_account_external_post_key UNIQUE (workspace_id, social_account_id, external_post_id),
    CONSTRAINT post_targets_post_id_fkey FOREIGN KEY (workspace_id, post_id)
        REFERENCES posts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_targets_social_account_id_fkey FOREIGN KEY (workspace_id, social_account_id)
        REFERENCES social_accounts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_targets_status_valid CHECK (status IN ('pending', 'publishing', 'published', 'failed',
        'unconfirmed', 'canceled')),
    CONSTRAINT post_targets_attempts_nonnegative CHECK (attempts >= 0),
    CONSTRAINT post_targets_body_override_length CHECK (char_length(body_override) <= 40000),
    CONSTRAINT post_targets_external_post_id_length CHECK (char_length(external_post_id) BETWEEN 1 AND 200),
    CONSTRAINT post_targets_external_url_shape CHECK (external_url ~ '^https?://[^\s]+$' AND char_length(external_url) <= 2048),
    CONSTRAINT post_targets_last_error_length CHECK (char_length(last_error) <= 2000),
    CONSTRAINT post_targets_published_has_external_id CHECK (status <> 'published'
        OR (external_post_id IS NOT NULL AND published_at IS NOT NULL))
);

-- Every saved version of a post (history and diff); never changed once written.
CREATE TABLE post_revisions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL,
    post_id         bigint NOT NULL,
    version         integer NOT NULL,
    title           text,
    body            text NOT NULL,
    editor_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT post_revisions_post_version_key UNIQUE (workspace_id, post_id, version),
    CONSTRAINT post_revisions_post_id_fkey FOREIGN KEY (workspace_id, post_id)
        REFERENCES posts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_revisions_version_positive CHECK (version >= 1),
    CONSTRAINT post_revisions_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT post_revisions_body_length CHECK (char_length(body) <= 40000)
);
CREATE INDEX post_revisions_editor_id_idx ON post_revisions (editor_id);

-- A reviewer's decision on a version of a post. The author of a post cannot approve it: the trigger
-- reviews_not_self_approval refuses it (SQLSTATE 23514, constraint reviews_not_self_approval).
CREATE TABLE reviews (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL,
    post_id         bigint NOT NULL,
    post_version    integer NOT NULL,
    reviewer_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    decision        text NOT NULL,
    comment         text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reviews_post_id_fkey FOREIGN KEY (workspace_id, post_id)
        REFERENCES posts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT reviews_decision_valid CHECK (decision IN ('approved', 'changes_requested', 'rejected')),
    CONSTRAINT reviews_post_version_positive CHECK (post_version >= 1),
    CONSTRAINT reviews_comment_length CHECK (char_length(comment) <= 5000),
    -- Turning a post down says why.
    CONSTRAINT reviews_refusal_has_comment CHECK (decision = 'approved' OR btrim(coalesce(comment, '')) <> '')
);
CREATE INDEX reviews_post_id_idx ON reviews (workspace_id, post_id, created_at);
CREATE INDEX reviews_reviewer_id_idx ON reviews (reviewer_id);

-- Runs with the caller's rights, so it sees the post through the same tenant as the insert (which
-- row-level security refuses anyway when the tenant is not the review's).
CREATE FUNCTION reviews_refuse_self_approval() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp
    AS $$
BEGIN
    IF NEW.decision = 'approved' AND EXISTS (
        SELECT 1 FROM posts p
        WHERE p.workspace_id = NEW.workspace_id AND p.id = NEW.post_id AND p.author_id = NEW.reviewer_id
    ) THEN
        RAISE EXCEPTION 'the author of post % cannot approve it', NEW.post_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_not_self_approval',
                  TABLE = 'reviews', SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER reviews_not_self_approval BEFORE INSERT OR UPDATE OF decision, reviewer_id, post_id ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_refuse_self_approval();

-- The brand's do's and don'ts, for the whole workspace or one persona; 'block' stops a post from
-- going to review, 'warn' only flags it.
CREATE TABLE brand_rules (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    persona_id      bigint,
    kind            text NOT NULL,
    rule_text       text NOT NULL,
    severity        text NOT NULL DEFAULT 'warn',
    is_active       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT brand_rules_persona_id_fkey FOREIGN KEY (workspace_id, persona_id)
        REFERENCES personas (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT brand_rules_kind_valid CHECK (kind IN ('banned_term', 'required_term', 'hashtag', 'tone', 'guideline')),
    CONSTRAINT brand_rules_severity_valid CHECK (severity IN ('warn', 'block')),
    CONSTRAINT brand_rules_rule_text_length CHECK (char_length(rule_text) BETWEEN 1 AND 1000)
);
CREATE INDEX brand_rules_persona_id_idx ON brand_rules (workspace_id, persona_id);

-- Uploaded files. The bytes live in storage under storage_key; identical files are stored once per
-- workspace (sha256).
CREATE TABLE media_assets (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind            text NOT NULL,
    filename        text NOT NULL,
    content_type    text NOT NULL,
    byte_size       bigint NOT NULL,
    sha256          bytea NOT NULL,
    storage_key     text NOT NULL,
    width           integer,
    height          integer,
    duration_ms     integer,
    alt_text        text,
    uploaded_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT media_assets_workspace_id_id_key UNIQUE (workspace_id, id),
    CONSTRAINT media_assets_workspace_sha256_key UNIQUE (workspace_id, sha256),
    CONSTRAINT media_assets_storage_key_key UNIQUE (storage_key),
    CONSTRAINT media_assets_kind_valid CHECK (kind IN ('image', 'gif', 'video', 'document')),
    CONSTRAINT media_assets_filename_length CHECK (char_length(filename) BETWEEN 1 AND 255),
    CONSTRAINT media_assets_content_type_shape CHECK (content_type ~ '^[a-z]+/[a-z0-9][a-z0-9.+-]*$'
        AND char_length(content_type) <= 100),
    CONSTRAINT media_assets_byte_size_positive CHECK (byte_size > 0),
    CONSTRAINT media_assets_sha256_length CHECK (octet_length(sha256) = 32),
    CONSTRAINT media_assets_storage_key_length CHECK (char_length(storage_key) BETWEEN 1 AND 500),
    CONSTRAINT media_assets_dimensions_positive CHECK (width > 0 AND height > 0),
    CONSTRAINT media_assets_dimensions_paired CHECK ((width IS NULL) = (height IS NULL)),
    CONSTRAINT media_assets_duration_nonnegative CHECK (duration_ms >= 0),
    CONSTRAINT media_assets_alt_text_length CHECK (char_length(alt_text) <= 2000)
);
CREATE INDEX media_assets_uploaded_by_idx ON media_assets (uploaded_by);

-- Media attached to a post, in order. A file in use cannot be deleted (media_asset_id has no cascade):
-- take it off its posts first. The position constraint is checked at the end of each statement, so
-- one UPDATE can reorder.
CREATE TABLE post_media (
    workspace_id    bigint NOT NULL,
    post_id         bigint NOT NULL,
    media_asset_id  bigint NOT NULL,
    position        smallint NOT NULL,
    CONSTRAINT post_media_pkey PRIMARY KEY (workspace_id, post_id, media_asset_id),
    CONSTRAINT post_media_post_position_key UNIQUE (workspace_id, post_id, position) DEFERRABLE,
    CONSTRAINT post_media_post_id_fkey FOREIGN KEY (workspace_id, post_id)
        REFERENCES posts (workspace_id, id) ON DELETE CASCADE,
    CONSTRAINT post_media_media_asset_id_fkey FOREIGN KEY (workspace_id, media_asset_id)
        REFERENCES media_assets (workspace_id, id),
    CONSTRAINT post_media_position_range CHECK (position BETWEEN 0 AND 99)
);
CREATE INDEX post_media_media_asset_id_idx ON post_media (workspace_id, media_asset_id);

ALTER TABLE personas ENABLE ROW LEVEL SECURITY;
ALTER TABLE personas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON personas
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE sources ENABLE ROW LEVEL SECURITY;
ALTER TABLE sources FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sources
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE persona_sources ENABLE ROW LEVEL SECURITY;
ALTER TABLE persona_sources FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON persona_sources
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON campaigns
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE tags FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tags
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE posts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON posts
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE post_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_tags FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_tags
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE post_targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_targets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_targets
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE post_revisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_revisions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_revisions
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reviews
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE brand_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE brand_rules FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON brand_rules
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE media_assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE media_assets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON media_assets
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

ALTER TABLE post_media ENABLE ROW LEVEL SECURITY;
ALTER TABLE post_media FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON post_media
    USING (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint))
    WITH CHECK (workspace_id = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::bigint));

-- Descriptions, shown in docs/schema.md.
COMMENT ON TABLE personas IS 'A voice to write in, described by hand or learned from sources.';
COMMENT ON TABLE sources IS 'Material for personas and posts: a web page, pasted text or text from a PDF.';
COMMENT ON TABLE persona_sources IS 'Which sources a persona learns from, each link confirmed or rejected.';
COMMENT ON TABLE campaigns IS 'A named effort with optional dates that posts belong to (the seeds'' projects).';
COMMENT ON TABLE tags IS 'Content pillars, series and labels that posts carry.';
COMMENT ON TABLE posts IS 'A piece of content through its workflow, from draft to published, scheduled in a time zone.';
COMMENT ON TABLE post_tags IS 'The tags a post carries.';
COMMENT ON TABLE post_targets IS 'One post sent to one social account, with its own publishing status.';
COMMENT ON TABLE post_revisions IS 'Every saved version of a post.';
COMMENT ON TABLE reviews IS 'A reviewer''s decision on a version of a post; an author cannot approve their own.';
COMMENT ON TABLE brand_rules IS 'Do''s and don''ts for the workspace or one persona, checked before review.';
COMMENT ON TABLE media_assets IS 'Uploaded files, stored once per workspace.';
COMMENT ON TABLE post_media IS 'Files attached to a post, in order.';

GRANT SELECT, INSERT, UPDATE, DELETE ON personas, sources, persona_sources, campaigns, tags, posts,
    post_tags, post_targets, brand_rules, media_assets, post_media TO herald_app;
-- History: written once, removed only with its post.
GRANT SELECT, INSERT ON post_revisions, reviews TO herald_app;

-- migrate:down
DROP TABLE post_media;
DROP TABLE media_assets;
DROP TABLE brand_rules;
DROP TABLE reviews;
DROP FUNCTION reviews_refuse_self_approval();
DROP TABLE post_revisions;
DROP TABLE post_targets;
DROP TABLE post_tags;
DROP TABLE posts;
DROP TABLE tags;
DROP TABLE campaigns;
DROP TABLE persona_sources;
DROP TABLE sources;
DROP TABLE personas;
