-- The schema contract (spec sections 1 and 2): every table, column and type,
-- and every loading function's signature.
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(14);

SELECT has_schema('vinylops');

SELECT columns_are('vinylops', 'users',
    ARRAY['user_id', 'user_type', 'user_age_group', 'geographic_region', 'is_quebec_resident', 'user_key']);
SELECT columns_are('vinylops', 'tracks',
    ARRAY['track_id', 'artist_name', 'genre', 'track_duration_sec', 'is_french_language', 'track_key']);
SELECT columns_are('vinylops', 'streams',
    ARRAY['stream_key', 'stream_id', 'user_id', 'track_id', 'stream_date', 'stream_time', 'hour_of_day',
          'device_type', 'stream_duration_sec', 'completed', 'skipped', 'replayed', 'added_to_playlist',
          'user_key', 'track_key']);

-- Column types, all three tables at once: the contract's list against the catalogue.
SELECT set_eq(
    $$SELECT table_name::text, column_name::text, data_type::text
      FROM information_schema.columns
      WHERE table_schema = 'vinylops' AND table_name IN ('users', 'tracks', 'streams')
        AND column_name NOT IN ('stream_key', 'user_key', 'track_key')$$,
    $$VALUES ('users', 'user_id', 'text'), ('users', 'user_type', 'text'),
             ('users', 'user_age_group', 'text'), ('users', 'geographic_region', 'text'),
             ('users', 'is_quebec_resident', 'boolean'),
             ('tracks', 'track_id', 'text'), ('tracks', 'artist_name', 'text'), ('tracks', 'genre', 'text'),
             ('tracks', 'track_duration_sec', 'integer'), ('tracks', 'is_french_language', 'boolean'),
             ('streams', 'stream_id', 'text'), ('streams', 'user_id', 'text'), ('streams', 'track_id', 'text'),
             ('streams', 'stream_date', 'date'), ('streams', 'stream_time', 'time without time zone'),
             ('streams', 'hour_of_day', 'smallint'), ('streams', 'device_type', 'text'),
             ('streams', 'stream_duration_sec', 'integer'), ('streams', 'completed', 'boolean'),
             ('streams', 'skipped', 'boolean'), ('streams', 'replayed', 'boolean'),
             ('streams', 'added_to_playlist', 'boolean')$$,
    'users, tracks and streams have the contract''s column types');

SELECT col_is_pk('vinylops', 'users', 'user_id', 'users.user_id is the primary key');
SELECT col_is_pk('vinylops', 'tracks', 'track_id', 'tracks.track_id is the primary key');
SELECT fk_ok('vinylops', 'streams', 'user_id', 'vinylops', 'users', 'user_id');
SELECT fk_ok('vinylops', 'streams', 'track_id', 'vinylops', 'tracks', 'track_id');

SELECT columns_are('vinylops', 'staging_streams',
    ARRAY['stream_id', 'user_id', 'track_id', 'stream_date', 'stream_time', 'hour_of_day', 'device_type',
          'stream_duration_sec', 'completed', 'skipped', 'replayed', 'added_to_playlist']);
SELECT is(
    (SELECT count(*)::int FROM information_schema.columns
     WHERE table_schema = 'vinylops' AND table_name LIKE 'staging\_%' AND data_type <> 'text'),
    0, 'every staging column is text');

SELECT has_function('vinylops', 'ingest', ARRAY[]::text[]);
SELECT is(
    (SELECT pg_get_function_result('vinylops.ingest()'::regprocedure)),
    'TABLE(source text, staged bigint, loaded bigint, already_present bigint, rejected bigint)',
    'ingest() returns (source, staged, loaded, already_present, rejected)');
SELECT columns_are('vinylops', 'rejected_rows',
    ARRAY['rejected_id', 'source', 'raw_row', 'reason', 'rejected_at']);

SELECT * FROM finish();
ROLLBACK;
