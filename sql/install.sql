-- Install, contents and clean removal of the extension.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- The three contract tables, rejected_rows and the staging tables exist.
SELECT c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'vinylops' AND c.relkind IN ('r', 'p')
ORDER BY c.relname COLLATE "C";

-- pg_dump keeps the rows of every data table (pg_extension_config_dump).
SELECT cfg::regclass::text AS dumped
FROM pg_extension e, unnest(e.extconfig) AS cfg
WHERE e.extname = 'vinylops'
ORDER BY cfg::regclass::text COLLATE "C";

-- Staging columns are all text, in the reference CSV header order.
SELECT c.relname, string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'vinylops' AND c.relname LIKE 'staging\_%'
GROUP BY c.relname ORDER BY c.relname COLLATE "C";

-- DROP EXTENSION removes every object it created.  PostgreSQL does not make the
-- schema named in the control file a member of the extension, so the empty
-- schema stays behind (documented; DROP SCHEMA vinylops removes it).
DROP EXTENSION vinylops;
SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'vinylops') AS relations_left,
       (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'vinylops') AS functions_left,
       (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'vinylops') AS types_left;
DROP SCHEMA vinylops;
