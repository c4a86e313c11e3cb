-- No schema change. Version 9 was skipped when 0010 landed; the migration runner now refuses a gap
-- in the numbering (a gap usually means a file was lost in a merge), so this file fills it.
-- migrate:up
SELECT 1;

-- migrate:down
SELECT 1;
