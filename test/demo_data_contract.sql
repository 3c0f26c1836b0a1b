-- The demo-data surface (spec section 2): generate_demo_data's signature and result,
-- and the properties the generator's determinism rests on.
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(10);

SELECT has_function('vinylops', 'generate_demo_data', ARRAY['bigint', 'integer']);
SELECT is(
    (SELECT pg_get_function_arguments('vinylops.generate_demo_data(bigint, integer)'::regprocedure)),
    'streams bigint DEFAULT 4846, seed integer DEFAULT 42',
    'generate_demo_data(streams bigint DEFAULT 4846, seed integer DEFAULT 42)');
SELECT is(
    (SELECT pg_get_function_result('vinylops.generate_demo_data(bigint, integer)'::regprocedure)),
    'TABLE(table_name text, rows bigint)',
    'generate_demo_data() returns (table_name, rows)');
SELECT volatility_is('vinylops', 'generate_demo_data', ARRAY['bigint', 'integer'], 'volatile');
SELECT ok(NOT has_function_privilege('public', 'vinylops.generate_demo_data(bigint, integer)', 'EXECUTE'),
          'generate_demo_data is not executable by PUBLIC');

-- The random numbers are pure functions, so any plan may call them in any order.
SELECT volatility_is('vinylops', 'demo_uniform', ARRAY['integer', 'bigint', 'integer'], 'immutable');
SELECT is((SELECT proparallel FROM pg_proc
           WHERE oid = 'vinylops.demo_uniform(integer, bigint, integer)'::regprocedure),
          's', 'demo_uniform is parallel safe');
SELECT volatility_is('vinylops', 'demo_choice', ARRAY['double precision', 'double precision[]'], 'immutable');
-- The row generators are SQL-standard bodies (names bound at creation, inlinable).
SELECT is((SELECT count(*)::int FROM pg_proc
           WHERE oid IN ('vinylops.demo_users(bigint, integer)'::regprocedure,
                         'vinylops.demo_tracks(bigint, integer)'::regprocedure,
                         'vinylops.demo_streams(bigint, integer)'::regprocedure)
             AND prosqlbody IS NOT NULL AND provolatile = 'i' AND proparallel = 's'),
          3, 'demo_users, demo_tracks, demo_streams are immutable, parallel safe SQL-standard bodies');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'vinylops' AND p.proname LIKE 'demo\_%' AND p.provolatile <> 'i'),
          0, 'every demo_* building block is immutable');

SELECT * FROM finish();
ROLLBACK;
