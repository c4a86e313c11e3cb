-- Publishing that costs Herald money costs credits: X charges per post created through its API,
-- more for a post with a link. The worker debits a target's price when its send starts (action
-- publish_<platform>, or publish_<platform>_link when the text has a link; no row, no charge)
-- and refunds it when the target ends failed.
-- migrate:up
INSERT INTO credit_prices (action, credits, description) VALUES
    ('publish_x', 1, 'Publish one post to X (X charges per post)'),
    ('publish_x_link', 2, 'Publish one post with a link to X');

-- The refund of a spend is found by its reference (entry:<id>).
CREATE INDEX credit_entries_reference_idx ON credit_entries (workspace_id, reference) WHERE reference IS NOT NULL;

-- migrate:down
DROP INDEX credit_entries_reference_idx;
DELETE FROM credit_prices WHERE action IN ('publish_x', 'publish_x_link');
