-- Install-script safety, read from the catalogue: whatever the install script
-- creates, no function runs with its owner's rights, and every function that
-- runs queries is immune to the caller's search_path (a SQL-standard body binds
-- names at creation; plpgsql pins search_path).
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(4);

SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc p
      WHERE p.pronamespace = 'vinylops'::regnamespace AND p.prosecdef$$,
    'no vinylops function is SECURITY DEFINER');

SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
      WHERE p.pronamespace = 'vinylops'::regnamespace AND l.lanname = 'sql'
        AND p.prosqlbody IS NULL
        AND NOT coalesce(p.proconfig, '{}') && ARRAY['search_path=pg_catalog, pg_temp']$$,
    'every SQL function has a SQL-standard body or a pinned search_path');

SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
      WHERE p.pronamespace = 'vinylops'::regnamespace AND l.lanname = 'plpgsql'
        AND NOT coalesce(p.proconfig, '{}') && ARRAY['search_path=pg_catalog, pg_temp']$$,
    'every plpgsql function pins search_path to pg_catalog, pg_temp');

SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
      WHERE p.pronamespace = 'vinylops'::regnamespace AND l.lanname NOT IN ('sql', 'plpgsql', 'c', 'internal')$$,
    'functions are written only in sql, plpgsql or C');

SELECT * FROM finish();
ROLLBACK;
