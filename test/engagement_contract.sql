-- The engagement-analytics contract (spec section 5): tables, columns and the
-- signatures callers use, read from the catalogue.
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(16);

SELECT columns_are('vinylops', 'experiment_assignments', ARRAY['experiment', 'user_id', 'arm', 'assigned_at']);
SELECT col_is_pk('vinylops', 'experiment_assignments', ARRAY['experiment', 'user_id'],
                 'an experiment assigns a user once');
SELECT fk_ok('vinylops', 'experiment_assignments', 'user_id', 'vinylops', 'users', 'user_id');
SELECT ok('vinylops.experiment_assignments'::regclass = ANY (extconfig), 'experiment_assignments is dumped with its rows')
FROM pg_extension WHERE extname = 'vinylops';

SELECT columns_are('vinylops', 'staging_scrobbles',
    ARRAY['user_id', 'played_at', 'artist_mbid', 'artist_name', 'track_mbid', 'track_name']);
SELECT is(
    (SELECT string_agg(attname || ':' || format_type(atttypid, atttypmod), ',' ORDER BY attnum)
     FROM pg_attribute WHERE attrelid = 'vinylops.staging_scrobbles'::regclass AND attnum > 0),
    'user_id:text,played_at:text,artist_mbid:text,artist_name:text,track_mbid:text,track_name:text',
    'staging_scrobbles: six text columns in the Last.fm 1K order');

SELECT has_function('vinylops', 'sessions', ARRAY['interval']);
SELECT has_function('vinylops', 'assign_by_hash', ARRAY['text', 'integer']);
SELECT has_function('vinylops', 'retention', ARRAY['integer[]', 'text', 'text']);
SELECT has_function('vinylops', 'ingest_scrobbles', ARRAY['interval', 'interval']);
SELECT has_function('vinylops', 'experiment_report', ARRAY['text', 'date', 'date', 'interval', 'double precision', 'double precision']);

-- Calls exactly as the contract writes them, with the defaults.
SELECT lives_ok($$SELECT * FROM vinylops.sessions()$$, 'sessions() with the default gap');
SELECT lives_ok($$SELECT * FROM vinylops.retention()$$, 'retention() with the default days and grain');
SELECT lives_ok($$SELECT * FROM vinylops.retention('{1,7,30}', 'month')$$, 'retention(days, cohort_grain)');
SELECT is((SELECT array_agg(source ORDER BY source) FROM vinylops.ingest_scrobbles()),
          ARRAY['streams', 'tracks', 'users'], 'ingest_scrobbles() reports users, tracks and streams');

-- The statistics run with the data, on every parallel-safe path.
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc p
      WHERE p.pronamespace = 'vinylops'::regnamespace
        AND p.proname IN ('sessions', 'retention', 'retention_by_genre_diversity', 'experiment_report',
                          'ship_decision', 'required_sample_size', 'normal_quantile', 'experiment_bucket')
        AND p.proparallel <> 's'$$,
    'the engagement read functions are PARALLEL SAFE');

SELECT * FROM finish();
ROLLBACK;
