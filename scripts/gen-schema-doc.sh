#!/usr/bin/env bash
# Writes docs/schema.md from the live schema: an entity-relationship diagram (Mermaid) built from the
# foreign keys, then per table its columns, constraints, indexes, triggers and row-level security.
#
# Usage: scripts/gen-schema-doc.sh [conninfo]
#   conninfo: a libpq connection string or URI; without it the PG* environment variables are used
#   (PGHOST, PGPORT, PGDATABASE, PGUSER). The output path can be changed with SCHEMA_DOC_OUT.
# Only reads the catalog (helpers are temporary), so any role that can connect will do.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${SCHEMA_DOC_OUT:-$root/docs/schema.md}"
args=(-X -q -At -v ON_ERROR_STOP=1)
if [ $# -ge 1 ]; then args+=(-d "$1"); fi

mkdir -p "$(dirname "$out")"
tmp="$(mktemp "${out}.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

PGTZ=UTC psql "${args[@]}" >"$tmp" <<'SQL'
-- Tables of the public schema (partitions are described under their parent), in creation order.
CREATE TEMPORARY VIEW doc_tables AS
SELECT c.oid, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition;

-- One line of text; in a table cell, pipes escaped too.
CREATE FUNCTION pg_temp.line(t text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT regexp_replace(t, '\s+', ' ', 'g') $$;
CREATE FUNCTION pg_temp.cell(t text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT replace(coalesce(pg_temp.line(t), ''), '|', '\|') $$;

-- Header.
SELECT '# Database schema' || E'\n\n'
    || 'Generated from the live database by `scripts/gen-schema-doc.sh`'
    || coalesce(' at migration version ' || (SELECT max(version)::text FROM schema_migrations), '')
    || '; do not edit by hand.' || E'\n\n'
    || (SELECT count(*) FROM doc_tables)::text || ' tables. Tenant tables carry `workspace_id`, '
    || 'have row-level security enabled and forced, and are filtered by `app.workspace_id`.' || E'\n';

-- Diagram: entities with their key columns, relationships from foreign keys.
SELECT E'## Entity-relationship diagram\n\n```mermaid\nerDiagram\n'
    || coalesce((
        SELECT string_agg(entity, E'\n' ORDER BY oid) FROM (
            SELECT t.oid, '    ' || t.relname || ' {' || E'\n'
                || string_agg('        ' || replace(format_type(a.atttypid, a.atttypmod), ' ', '_') || ' ' || a.attname
                    || CASE WHEN keys.marks <> '' THEN ' ' || keys.marks ELSE '' END, E'\n' ORDER BY a.attnum)
                || E'\n    }' AS entity
            FROM doc_tables t
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
            CROSS JOIN LATERAL (
                SELECT concat_ws(', ',
                    CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'p' AND a.attnum = ANY (k.conkey)) THEN 'PK' END,
                    CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'f' AND a.attnum = ANY (k.conkey)) THEN 'FK' END,
                    CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'u' AND k.conkey = ARRAY[a.attnum]) THEN 'UK' END
                ) AS marks
            ) keys
            WHERE keys.marks <> ''
            GROUP BY t.oid, t.relname
        ) e), '')
    || E'\n'
    || coalesce((
        SELECT string_agg(
            '    ' || p.relname || ' '
            -- parent side: exactly one when every referencing column is NOT NULL, else zero or one
            || CASE WHEN bool_and_notnull THEN '||' ELSE '|o' END
            || '--'
            -- child side: at most one when the referencing columns are unique, else many
            || CASE WHEN is_unique THEN 'o|' ELSE 'o{' END
            || ' ' || ch.relname || ' : "' || cols || '"', E'\n' ORDER BY ch.oid, f.conname)
        FROM pg_constraint f
        JOIN doc_tables ch ON ch.oid = f.conrelid
        JOIN pg_class p ON p.oid = f.confrelid
        CROSS JOIN LATERAL (
            SELECT bool_and(a.attnotnull) AS bool_and_notnull,
                   string_agg(a.attname, ', ' ORDER BY k.i) AS cols
            FROM unnest(f.conkey) WITH ORDINALITY k(attnum, i)
            JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum
        ) fk
        CROSS JOIN LATERAL (
            SELECT EXISTS (
                SELECT 1 FROM pg_index i
                WHERE i.indrelid = f.conrelid AND i.indisunique AND i.indpred IS NULL
                  AND (SELECT array_agg(x ORDER BY x) FROM unnest(i.indkey::int2[]) x)
                      = (SELECT array_agg(x ORDER BY x) FROM unnest(f.conkey) x)
            ) AS is_unique
        ) u
        WHERE f.contype = 'f' AND f.conparentid = 0), '')
    || E'\n```\n';

-- One section per table.
SELECT E'## ' || t.relname || E'\n\n'
    || coalesce(obj_description(t.oid, 'pg_class') || E'\n\n', '')
    || CASE WHEN t.relkind = 'p' THEN
           -- Monthly partitions come and go with the calendar (ensure_post_metrics_partitions), so the
           -- page names their pattern and the fixed ones only; it stays the same from month to month.
           'Partitioned by ' || pg_get_partkeydef(t.oid) || '. Partitions: '
           || coalesce((SELECT string_agg('`' || pc.relname || '` ' || pg_get_expr(pc.relpartbound, pc.oid), ', ' ORDER BY pc.relname)
                        FROM pg_inherits inh JOIN pg_class pc ON pc.oid = inh.inhrelid
                        WHERE inh.inhparent = t.oid AND pc.relname !~ '_[0-9]{4}_[0-9]{2}$'), 'none')
           || CASE WHEN EXISTS (SELECT 1 FROM pg_inherits inh JOIN pg_class pc ON pc.oid = inh.inhrelid
                                WHERE inh.inhparent = t.oid AND pc.relname ~ '_[0-9]{4}_[0-9]{2}$')
                   THEN ', and one per month, `' || t.relname || '_YYYY_MM`, created ahead' ELSE '' END
           || E'.\n\n'
       ELSE '' END
    || 'Row-level security: '
    || CASE WHEN t.relrowsecurity AND t.relforcerowsecurity THEN 'enabled, forced'
            WHEN t.relrowsecurity THEN 'enabled (not forced)'
            ELSE 'off' END
    || E'.\n\n'
    -- Columns.
    || E'| Column | Type | Null | Default |\n|---|---|---|---|\n'
    || (SELECT string_agg('| `' || a.attname || '` | ' || pg_temp.cell(format_type(a.atttypid, a.atttypmod))
                          || ' | ' || CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END
                          || ' | ' || pg_temp.cell(
                                CASE WHEN a.attidentity = 'a' THEN 'generated always as identity'
                                     WHEN a.attidentity = 'd' THEN 'generated by default as identity'
                                     WHEN a.attgenerated = 's' THEN 'generated: ' || pg_get_expr(d.adbin, d.adrelid)
                                     ELSE pg_get_expr(d.adbin, d.adrelid) END)
                          || ' |', E'\n' ORDER BY a.attnum)
        FROM pg_attribute a
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped)
    || E'\n'
    -- Constraints.
    || coalesce(E'\n**Constraints**\n\n| Name | Definition |\n|---|---|\n'
        || (SELECT string_agg('| `' || k.conname || '` | ' || pg_temp.cell(pg_get_constraintdef(k.oid)) || ' |', E'\n'
                              ORDER BY CASE k.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'f' THEN 2 ELSE 3 END, k.conname)
            FROM pg_constraint k WHERE k.conrelid = t.oid) || E'\n', '')
    -- Indexes other than those of constraints.
    || coalesce(E'\n**Indexes**\n\n'
        || (SELECT string_agg('- `' || ic.relname || '`: ' || regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ', '\1') , E'\n' ORDER BY ic.relname)
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = t.oid AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = t.oid)) || E'\n', '')
    -- Triggers.
    || coalesce(E'\n**Triggers**\n\n'
        || (SELECT string_agg('- `' || tg.tgname || '`: ' || regexp_replace(pg_get_triggerdef(tg.oid), '^CREATE (CONSTRAINT )?TRIGGER \S+ ', ''), E'\n' ORDER BY tg.tgname)
            FROM pg_trigger tg WHERE tg.tgrelid = t.oid AND NOT tg.tgisinternal) || E'\n', '')
    -- Policies.
    || coalesce(E'\n**Policies**\n\n'
        || (SELECT string_agg('- `' || pol.policyname || '` (' || pol.cmd || ', ' || lower(pol.permissive) || ')'
                              || coalesce(' using `' || pg_temp.line(pol.qual) || '`', '')
                              || coalesce(' with check `' || pg_temp.line(pol.with_check) || '`', ''), E'\n' ORDER BY pol.policyname)
            FROM pg_policies pol WHERE pol.schemaname = 'public' AND pol.tablename = t.relname) || E'\n', '')
FROM doc_tables t
ORDER BY t.oid;
SQL

chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out"
