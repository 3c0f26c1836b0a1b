-- generate_demo_data() and its building blocks (doc/demo_data.md).
-- Second route for the expected figures: doc/demo_data_model.py re-implements the
-- generator in plain Python from the documented rules, without a database;
-- `python3 doc/demo_data_model.py [streams [seed]]` prints the row counts, the
-- md5 fingerprints and the shares checked below.  Other routes are given inline.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
\set SHOW_CONTEXT never

-- ---------------------------------------------------------------------------
-- The random numbers: splitmix64(splitmix64(salt << 32 | seed) + n), top 53 bits.
-- Python (demo_data_model.uniform, whose splitmix64 gives the published first
-- outputs 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4 from state 0):
-- 0.2681461334917298, 0.6524484863740322, 0.1355846776880575.
SELECT vinylops.demo_uniform(42, 1, 1) AS u_42_1_1,
       vinylops.demo_uniform(0, 0, 0) AS u_0_0_0,
       vinylops.demo_uniform(-7, -1, 2147483647) AS u_edges;
-- Pure: the same arguments give the same number in one query and across rows.
SELECT count(DISTINCT vinylops.demo_uniform(5, 99, 3)) AS distinct_values
FROM generate_series(1, 1000);
-- Roughly uniform: the mean of 100,000 draws is 0.5 +- 0.003 (6 standard errors,
-- sd = 1/sqrt(12 * 100000) = 0.00091) and no draw leaves [0, 1).
SELECT abs(avg(u) - 0.5) < 0.003 AS mean_near_half, min(u) >= 0 AND max(u) < 1 AS in_range
FROM (SELECT vinylops.demo_uniform(1, n, 1) AS u FROM generate_series(1, 100000) n) d;

-- demo_choice(u, weights): index i where u * sum crosses the running sum
-- (by hand: {1,1} splits at 0.5; {0,0,5,0} always gives 3; a zero weight never comes up).
SELECT vinylops.demo_choice(0, '{1,1}') AS c0,
       vinylops.demo_choice(0.4999999, '{1,1}') AS c_just_below_half,
       vinylops.demo_choice(0.5, '{1,1}') AS c_half,
       vinylops.demo_choice(0.9999999, '{1,1}') AS c_top,
       vinylops.demo_choice(0.3, '{0,0,5,0}') AS c_only_nonzero,
       vinylops.demo_choice(0.9999999999999999, '{1,0}') AS c_trailing_zero;
-- Frequencies follow the weights: 1:2:7 over 100,000 draws, each within 1 point.
SELECT i, abs(100.0 * count(*) / 100000 - (ARRAY[10, 20, 70])[i]) < 1 AS near_weight
FROM (SELECT vinylops.demo_choice(vinylops.demo_uniform(3, n, 9), '{1,2,7}') AS i
      FROM generate_series(1, 100000) n) d
GROUP BY i ORDER BY i;
-- Bad weights or u are errors, not wrong answers.
SELECT vinylops.demo_choice(1, '{1}');
SELECT vinylops.demo_choice('NaN', '{1}');
SELECT vinylops.demo_choice(0.5, '{}');
SELECT vinylops.demo_choice(0.5, '{{1},{2}}');
SELECT vinylops.demo_choice(0.5, '{1,-1}');
SELECT vinylops.demo_choice(0.5, '{1,NULL}');
SELECT vinylops.demo_choice(0.5, '{0,0}');
SELECT vinylops.demo_choice(0.5, '{1,Infinity}');

-- Ids (by hand).
SELECT vinylops.demo_id('USER_', 42, 4) AS user_id,
       vinylops.demo_id('TRK_', 123456, 4) AS wider_than_width,
       vinylops.demo_stream_id('2024-02-29', 7, 5) AS stream_id;
SELECT vinylops.demo_id('USER_', -1, 4);
SELECT vinylops.demo_id('USER_', 1, 0);
SELECT vinylops.demo_stream_id('infinity', 1, 5);

-- ---------------------------------------------------------------------------
-- Sizes: the reference's 3,103 users and 3,745 tracks per 4,846 streams (rounded
-- up; at least 69 tracks), then times sqrt(streams / 4846).  By hand:
-- 10 -> ceil(6.40) = 7 users, ceil(7.73) = 8 -> 69 tracks; 1e6 -> sqrt(206.36) = 14.365,
-- 3103 * 14.365 = 44575, 3745 * 14.365 = 53797; 19e6 -> 62.616: 194297, 234497.
SELECT n AS streams, vinylops.demo_user_count(n) AS users, vinylops.demo_track_count(n) AS tracks
FROM unnest('{0,1,10,4846,4847,1000000,2000000,19000000}'::bigint[]) AS n ORDER BY n;

-- ---------------------------------------------------------------------------
-- Arguments: NULL or negative are errors with their SQLSTATE; 0 makes nothing.
SELECT * FROM vinylops.generate_demo_data(-1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM vinylops.generate_demo_data(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM vinylops.generate_demo_data(10, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM vinylops.generate_demo_data(0);
SELECT (SELECT count(*) FROM vinylops.users) AS users, (SELECT count(*) FROM vinylops.tracks) AS tracks,
       (SELECT count(*) FROM vinylops.streams) AS streams;

-- The default data set has the reference's size: 3,103 users, 3,745 tracks, 4,846 streams.
SELECT * FROM vinylops.generate_demo_data();

-- Filled tables are refused, and left as they were.
SELECT * FROM vinylops.generate_demo_data(10);
\echo :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM vinylops.users) AS users, (SELECT count(*) FROM vinylops.streams) AS streams;

-- Fingerprints of the three tables, one row a line of '|'-joined values
-- (Python: c82afd3c..., 1569cb96..., 52bce7d5...).
CREATE TEMP VIEW fingerprint AS
SELECT (SELECT md5(string_agg(concat_ws('|', user_id, user_type, user_age_group, geographic_region,
                                        is_quebec_resident), E'\n' ORDER BY user_id COLLATE "C"))
        FROM vinylops.users) AS users_md5,
       (SELECT md5(string_agg(concat_ws('|', track_id, artist_name, genre, track_duration_sec,
                                        is_french_language), E'\n' ORDER BY track_id COLLATE "C"))
        FROM vinylops.tracks) AS tracks_md5,
       (SELECT md5(string_agg(concat_ws('|', stream_key, stream_id, user_id, track_id,
                                        to_char(stream_date, 'YYYY-MM-DD'), stream_time, hour_of_day,
                                        device_type, stream_duration_sec, completed, skipped, replayed,
                                        added_to_playlist), E'\n' ORDER BY stream_key))
        FROM vinylops.streams) AS streams_md5;
SELECT * FROM fingerprint;
CREATE TEMP TABLE first_run AS SELECT * FROM fingerprint;

-- The load set its indexes and foreign keys aside and put them back: all there, all valid.
-- (streams is partitioned: its keys and indexes are its partitions'.)
SELECT conrelid::regclass::text AS on_table, conname, contype, convalidated FROM pg_constraint
WHERE conrelid IN (SELECT relid FROM pg_partition_tree('vinylops.streams'))
ORDER BY conrelid::regclass::text COLLATE "C", conname COLLATE "C";
SELECT pg_get_indexdef(indexrelid) AS streams_index FROM pg_index
WHERE indrelid IN (SELECT relid FROM pg_partition_tree('vinylops.streams'))
ORDER BY pg_get_indexdef(indexrelid) COLLATE "C";
-- stream_key is 1 .. 4846 and the identity sequence continues after it.
SELECT min(stream_key), max(stream_key), count(DISTINCT stream_key) FROM vinylops.streams;
SELECT last_value, is_called FROM vinylops.streams_stream_key_seq;
-- The set-returning building blocks give exactly the loaded rows (columns
-- named: the table keeps its fixed-width columns first).
CREATE TEMP VIEW loaded_streams AS
SELECT stream_key, stream_id, user_id, track_id, stream_date, stream_time, hour_of_day, device_type,
       stream_duration_sec, completed, skipped, replayed, added_to_playlist, user_key, track_key
FROM vinylops.streams;
SELECT (SELECT count(*) FROM (TABLE loaded_streams EXCEPT ALL
                              SELECT * FROM vinylops.demo_streams(4846, 42)) d) AS streams_not_in_srf,
       (SELECT count(*) FROM (SELECT * FROM vinylops.demo_streams(4846, 42) EXCEPT ALL
                              TABLE loaded_streams) d) AS srf_not_in_streams;

-- ---------------------------------------------------------------------------
-- Shape, against the reference set (shared/data/vinyl-ops-2024, read with Python's csv
-- module): six markets of 15.9-17.6 % each, Montreal = the Quebec residents (17.1 %),
-- Premium 52.7 %, four age groups.
SELECT count(DISTINCT geographic_region) AS markets,
       bool_and((geographic_region = 'Montreal') = is_quebec_resident) AS montreal_is_quebec,
       round(100.0 * avg(is_quebec_resident::int), 1) AS quebec_pct,
       round(100.0 * avg((user_type = 'Premium')::int), 1) AS premium_pct,
       count(DISTINCT user_age_group) AS age_groups
FROM vinylops.users;
SELECT geographic_region, round(100.0 * count(*) / sum(count(*)) OVER ()) BETWEEN 14 AND 20 AS share_14_to_20
FROM vinylops.users GROUP BY geographic_region ORDER BY geographic_region COLLATE "C";
-- Tracks: 69 artists, each in one genre, 8 genres with the reference's track length per
-- genre and its French share of tracks (169/526 Classical ... 28/334 R&B).  The counts are
-- the block arithmetic of demo_genre_block_start / demo_genre_french_tracks (Python prints them).
SELECT count(DISTINCT artist_name) AS artists, count(DISTINCT genre) AS genres,
       count(DISTINCT (artist_name, genre)) AS artist_genre_pairs
FROM vinylops.tracks;
SELECT genre, count(*) AS tracks, count(DISTINCT artist_name) AS artists,
       min(track_duration_sec) AS duration_min, max(track_duration_sec) AS duration_max,
       count(*) FILTER (WHERE is_french_language) AS french
FROM vinylops.tracks GROUP BY genre ORDER BY genre COLLATE "C";
-- Streams: dates in the first half of 2024, hour_of_day = the hour of stream_time,
-- completed = NOT skipped nearly always (the reference: always), replays ~18.2 %,
-- playlist adds ~18.9 %, 1.7 % impossible streams (82 of 4,846 in the reference).
SELECT min(stream_date) >= '2024-01-01' AND max(stream_date) <= '2024-06-30' AS dates_in_h1,
       count(DISTINCT date_trunc('month', stream_date)) AS months,
       count(*) FILTER (WHERE hour_of_day <> extract(hour FROM stream_time)) AS hour_mismatches,
       100.0 * avg((completed <> skipped)::int) >= 98 AS completed_is_not_skipped,
       round(100.0 * avg(replayed::int), 1) BETWEEN 15 AND 21 AS replay_near_18,
       round(100.0 * avg(added_to_playlist::int), 1) BETWEEN 16 AND 22 AS playlist_near_19,
       bool_and(NOT replayed OR completed) AS replays_are_completed
FROM vinylops.streams;
SELECT count(*) AS impossible,
       round(100.0 * count(*) / (SELECT count(*) FROM vinylops.streams), 2) BETWEEN 1 AND 2.5 AS share_1_to_2_5
FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)
WHERE s.stream_duration_sec > t.track_duration_sec;
-- Stream ids sort like stream keys (streams are generated in time order) and are unique.
SELECT bool_and(prev IS NULL OR prev < stream_id COLLATE "C") AS ids_ascend,
       count(DISTINCT stream_id) AS distinct_ids
FROM (SELECT stream_id, lag(stream_id) OVER (ORDER BY stream_key) AS prev FROM vinylops.streams) s;
-- Traffic shape: the reference's busiest hours are 10-14 h (midday) and 20 h-2 h (late
-- evening), 4.5-6.6 % each against 2.3-3.1 % for the others.  Here the 12 busiest hours
-- are exactly those, and each peak averages over 1.5 times the other hours.
WITH h AS (SELECT hour_of_day AS hour, count(*) AS n FROM vinylops.streams GROUP BY 1),
busiest AS (SELECT hour FROM h ORDER BY n DESC, hour LIMIT 12)
SELECT (SELECT array_agg(hour ORDER BY hour) FROM busiest) AS busiest_12,
       (SELECT avg(n) FROM h WHERE hour BETWEEN 10 AND 14)
         > 1.5 * (SELECT avg(n) FROM h WHERE hour BETWEEN 3 AND 9 OR hour BETWEEN 15 AND 19) AS midday_peak,
       (SELECT avg(n) FROM h WHERE hour >= 20 OR hour <= 2)
         > 1.5 * (SELECT avg(n) FROM h WHERE hour BETWEEN 3 AND 9 OR hour BETWEEN 15 AND 19) AS late_evening_peak;
-- Markets differ: Quebec residents play French tracks about twice as often (Python:
-- 29.5 % against 16.2 %) and complete them more (85.7 % against 77.3 %).  French share
-- of streams is highest for Classical, as in the reference (33.3 % of its streams).
SELECT u.is_quebec_resident,
       round(100.0 * avg(t.is_french_language::int), 1) AS french_stream_pct,
       round(100.0 * avg(s.completed::int) FILTER (WHERE t.is_french_language), 1) AS french_completion_pct
FROM vinylops.streams s JOIN vinylops.users u USING (user_id) JOIN vinylops.tracks t USING (track_id)
GROUP BY u.is_quebec_resident ORDER BY u.is_quebec_resident;
SELECT (SELECT t.genre FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)
        GROUP BY t.genre ORDER BY avg(t.is_french_language::int) DESC LIMIT 1) AS most_french_genre;

-- ---------------------------------------------------------------------------
-- Determinism: the same arguments under a different plan and session state give the
-- same rows (no JIT, forced parallel query, other date style, time zone, float output
-- and a search_path that shadows pg_catalog functions).
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.floor(float8) RETURNS float8 LANGUAGE sql AS 'SELECT 0::float8';
TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions,
         vinylops.recommendations, vinylops.experiment_assignments;
SET jit = off;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'Pacific/Chatham';
SET extra_float_digits = -15;
SET search_path = hostile, public, pg_catalog;
SELECT * FROM vinylops.generate_demo_data(4846, 42);
RESET ALL;
SELECT f.* IS NOT DISTINCT FROM r.* AS same_rows FROM fingerprint f, first_run r;
DROP SCHEMA hostile CASCADE;

-- Another seed gives other rows of the same size and shape.
TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions,
         vinylops.recommendations, vinylops.experiment_assignments;
SELECT * FROM vinylops.generate_demo_data(4846, 43);
SELECT f.users_md5 <> r.users_md5 AS users_differ, f.tracks_md5 <> r.tracks_md5 AS tracks_differ,
       f.streams_md5 <> r.streams_md5 AS streams_differ
FROM fingerprint f, first_run r;

-- Beyond the reference size users and tracks grow with sqrt(streams); Python:
-- 20000 streams, seed 7 -> b3ee42d5..., fd1c9495..., 7be592b9...
TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions,
         vinylops.recommendations, vinylops.experiment_assignments;
SELECT * FROM vinylops.generate_demo_data(20000, 7);
SELECT * FROM fingerprint;

-- The smallest data set still has every artist (one track each): Python:
-- 1 stream, seed -5 -> be32281a..., 947c98ed..., 85db1242...
TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions,
         vinylops.recommendations, vinylops.experiment_assignments;
SELECT * FROM vinylops.generate_demo_data(1, -5);
SELECT * FROM fingerprint;
SELECT count(DISTINCT artist_name) AS artists FROM vinylops.tracks;
