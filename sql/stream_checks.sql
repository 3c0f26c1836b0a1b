-- stream_checks: data_quality's per-stream checks in one aggregate.
-- A case worked by hand, then random rows (with NULLs) against the plain
-- count(*) FILTER queries it replaces, serially and in a forced parallel plan,
-- and the states it refuses.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- By hand, today 2024-05-10:
--  1: user and track known, 250 s of a 200 s track (50 s over), completed and skipped.
--  2: no user key; 0 s; hour 9 at 10:15 (mismatch).
--  3: no track key (so no track duration); dated 2024-05-11, after today.
--  4: a track key whose lookup found nothing (-1); 400 s; hour NULL at 08:00 (mismatch).
--  5: 300 s of a 120 s track (180 s over); everything else NULL.
-- streams 5, no user key 1, no track key 1, unknown track 1, longer 2 by up
-- to 180 s, completed and skipped 1, zero 1, hour mismatch 2, future 1,
-- latest 2024-05-11.
SELECT (vinylops.stream_checks(user_key, track_key, track_sec, completed, skipped, sec, hour, at, day,
                               '2024-05-10')).*
FROM (VALUES (1, 1, 200, true, true, 250, 10::smallint, '10:00'::time, '2024-05-01'::date),
             (NULL, 1, 200, false, false, 0, 9::smallint, '10:15'::time, '2024-05-02'::date),
             (2, NULL, NULL, true, false, 100, 11::smallint, '11:59'::time, '2024-05-11'::date),
             (3, 7, -1, false, true, 400, NULL, '08:00'::time, '2024-05-03'::date),
             (4, 2, 120, NULL, NULL, 300, NULL, NULL, NULL)) r (user_key, track_key, track_sec, completed, skipped,
                                                               sec, hour, at, day);

-- No rows: all counts zero, no latest date.
SELECT (vinylops.stream_checks(NULL::integer, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)).*
WHERE false;

-- Random rows, each column NULL now and then.
SELECT setseed(0.42);
CREATE TABLE checked AS
SELECT CASE WHEN random() < 0.05 THEN NULL ELSE (random() * 1000)::integer END AS user_key,
       CASE WHEN random() < 0.05 THEN NULL ELSE (random() * 1000)::integer END AS track_key,
       CASE WHEN random() < 0.05 THEN NULL WHEN random() < 0.05 THEN -1
            ELSE (random() * 300)::integer END AS track_sec,
       CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.5 END AS completed,
       CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.3 END AS skipped,
       CASE WHEN random() < 0.05 THEN NULL WHEN random() < 0.05 THEN 0
            ELSE (random() * 360)::integer END AS sec,
       CASE WHEN random() < 0.05 THEN NULL ELSE (random() * 23)::smallint END AS hour,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE '00:00'::time + (random() * 86399) * interval '1 second' END AS at,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE '2024-01-01'::date + (random() * 400)::integer END AS day
FROM generate_series(1, 60000);
ANALYZE checked;

-- The same counts, each by its own FILTER: the queries data_quality ran before.
CREATE FUNCTION pg_temp.plain_checks() RETURNS vinylops.stream_checks_result LANGUAGE sql AS $$
    SELECT count(*), count(*) FILTER (WHERE user_key IS NULL), count(*) FILTER (WHERE track_key IS NULL),
           count(*) FILTER (WHERE track_key IS NOT NULL AND (track_sec IS NULL OR track_sec < 0)),
           count(*) FILTER (WHERE sec > track_sec AND track_sec >= 0),
           COALESCE(max(sec - track_sec) FILTER (WHERE sec > track_sec AND track_sec >= 0), 0),
           count(*) FILTER (WHERE completed AND skipped), count(*) FILTER (WHERE sec = 0),
           count(*) FILTER (WHERE hour IS DISTINCT FROM date_part('hour', at)),
           count(*) FILTER (WHERE day > '2024-09-01'), max(day)
    FROM checked
$$;
CREATE FUNCTION pg_temp.checks() RETURNS vinylops.stream_checks_result LANGUAGE sql AS $$
    SELECT vinylops.stream_checks(user_key, track_key, track_sec, completed, skipped, sec, hour, at, day,
                                  '2024-09-01')
    FROM checked
$$;
SELECT (pg_temp.plain_checks()).*;
SELECT pg_temp.checks() = pg_temp.plain_checks() AS serial_same;

-- In a parallel plan, partial states merged by stream_checks_combine.
\i sql/include/force_parallel.psql
SELECT pg_temp.plan_has('SELECT vinylops.stream_checks(user_key, track_key, track_sec, completed, skipped, sec,
                                                        hour, at, day, ''2024-09-01'') FROM checked',
                        'Partial Aggregate') AS partial;
SELECT pg_temp.checks() = pg_temp.plain_checks() AS parallel_same;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- stream_checks_keyed: the track's duration read as durations[track_key] inside
-- the aggregate gives what the caller's subscript gives, NULL keys, keys
-- outside the array (the array starts at 100, ends at 899) and -1 elements
-- included, serially and in a parallel plan (the array an InitPlan's).
CREATE TABLE durations AS
SELECT ('[100:899]=' || array_agg(CASE WHEN k % 17 = 0 THEN -1 ELSE (k * 7919) % 300 END ORDER BY k)::text)::integer[]
           AS d
FROM generate_series(100, 899) k;
SELECT array_lower(d, 1) AS lower_bound, array_upper(d, 1) AS upper_bound,
       (SELECT count(*) FROM checked WHERE track_key NOT BETWEEN 100 AND 899) AS keys_outside,
       (SELECT count(*) FROM checked c WHERE (SELECT d FROM durations)[c.track_key] = -1) AS keys_on_minus_one
FROM durations;
CREATE FUNCTION pg_temp.subscript_checks() RETURNS vinylops.stream_checks_result LANGUAGE sql AS $$
    SELECT vinylops.stream_checks(c.user_key, c.track_key, (SELECT d FROM durations)[c.track_key],
                                  c.completed, c.skipped, c.sec, c.hour, c.at, c.day, '2024-09-01')
    FROM checked c
$$;
CREATE FUNCTION pg_temp.lookup_checks() RETURNS vinylops.stream_checks_result LANGUAGE sql AS $$
    SELECT vinylops.stream_checks_keyed(c.user_key, c.track_key, (SELECT d FROM durations),
                                  c.completed, c.skipped, c.sec, c.hour, c.at, c.day, '2024-09-01')
    FROM checked c
$$;
SELECT (pg_temp.lookup_checks()).*;
SELECT pg_temp.lookup_checks() = pg_temp.subscript_checks() AS lookup_same;
-- (plan_has is defined above, by the first force_parallel.psql.)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT pg_temp.plan_has('SELECT vinylops.stream_checks_keyed(c.user_key, c.track_key, (SELECT d FROM durations),
                                                              c.completed, c.skipped, c.sec, c.hour, c.at, c.day,
                                                              ''2024-09-01'') FROM checked c',
                        'Partial Aggregate') AS lookup_partial;
SELECT pg_temp.lookup_checks() = pg_temp.subscript_checks() AS lookup_parallel_same;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- A NULL array finds no track; a wrong one is an error.
SELECT (vinylops.stream_checks_keyed(1, 5, NULL::integer[], true, false, 10, 1::smallint, '01:00', '2024-01-01', NULL)).unknown_track;
SELECT (vinylops.stream_checks_keyed(1, 5, '{{1},{2}}'::integer[], true, false, 10, 1::smallint, '01:00', '2024-01-01', NULL)).unknown_track;
SELECT (vinylops.stream_checks_keyed(1, 1, '{5,NULL}'::integer[], true, false, 10, 1::smallint, '01:00', '2024-01-01', NULL)).unknown_track;
SELECT (vinylops.stream_checks_keyed(1, 1, '{5}'::integer[], true, false, 10, 1::smallint, '01:00', '2024-01-01', NULL)).longer_than_track;

-- 24:00:00 is hour 24, as date_part says.
SELECT (vinylops.stream_checks(1, 1, 10, true, false, 5, 24::smallint, '24:00:00', '2024-01-01', NULL)).hour_mismatch;

-- A direct call copies its state; a wrong state is an error, not a wrong count.
SELECT vinylops.stream_checks_combine('{1,0,0,0,0,0,0,0,0,0,5}', '{2,1,0,0,1,7,0,0,0,0,9}');
SELECT vinylops.stream_checks_accum('{1,2}', 1, 1, 1, true, true, 1, 1::smallint, '01:00', '2024-01-01', NULL);
SELECT vinylops.stream_checks_accum('{-1,0,0,0,0,0,0,0,0,0,0}', 1, 1, 1, true, true, 1, 1::smallint, '01:00', '2024-01-01', NULL);
SELECT vinylops.stream_checks_accum('{1,0,0,0,0,0,0,0,0,0,NULL}', 1, 1, 1, true, true, 1, 1::smallint, '01:00', '2024-01-01', NULL);
SELECT vinylops.stream_checks_accum('{1,0,0,0,0,0,0,0,0,0,9999999999}', 1, 1, 1, true, true, 1, 1::smallint, '01:00', '2024-01-01', NULL);
-- Within int32 but past the last date PostgreSQL has (5874897-12-31, day 2145031948);
-- infinity (2147483647) is a date.
SELECT vinylops.stream_checks_accum('{1,0,0,0,0,0,0,0,0,0,2146000000}', 1, 1, 1, true, true, 1, 1::smallint, '01:00', '2024-01-01', NULL);
SELECT (vinylops.stream_checks_final('{0,0,0,0,0,0,0,0,0,0,2147483647}')).latest_date AS infinite_date_kept;
-- The same check guards an aggregate of one's own with a state of the wrong length.
CREATE AGGREGATE pg_temp.short_checks(integer, integer, integer, boolean, boolean, integer, smallint, time, date, date) (
    SFUNC = vinylops.stream_checks_accum, STYPE = bigint[], INITCOND = '{0}');
SELECT pg_temp.short_checks(1, 1, 1, true, true, 1, 1::smallint, '01:00', '2024-01-01', NULL);
SELECT vinylops.stream_checks_accum(NULL, 1, 1, 1, true, true, 1, 1::smallint, '01:00', '2024-01-01', NULL);
SELECT vinylops.stream_checks_combine('{9223372036854775807,0,0,0,0,0,0,0,0,0,0}', '{1,0,0,0,0,0,0,0,0,0,0}');
SELECT vinylops.stream_checks_final('[0:10]={0,0,0,0,0,0,0,0,0,0,0}');

DROP TABLE checked, durations;
DROP FUNCTION pg_temp.plain_checks(), pg_temp.checks(), pg_temp.subscript_checks(), pg_temp.lookup_checks();
DROP AGGREGATE pg_temp.short_checks(integer, integer, integer, boolean, boolean, integer, smallint, time, date, date);
DROP EXTENSION vinylops;
