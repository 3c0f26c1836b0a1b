-- Two-stage stream metrics (sql/install/64_stream_metrics_merge.sql):
-- stream_metrics_partial's state is stream_metrics' state, unfinished, and
-- stream_metrics_merge over any split of the rows gives stream_metrics over all
-- of them, identically (integer counts and sums only), serially and with the
-- merge itself aggregated partially in parallel workers.  Each check is
-- against stream_metrics itself or a count written out by hand.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- 1. The unfinished state of three rows, counted by hand: completed T,F,T = 2/3;
-- skipped F,NULL,T = 1/2; replayed NULL,T,T = 2/2; playlisted T,T,F = 2/3;
-- stream seconds 100 + NULL + 30 = 130 over 2; listen-through only from the
-- row with both durations: 100 s of a 200 s track, 1 row.
SELECT vinylops.stream_metrics_partial(c, s, r, p, d, t)::text AS state
FROM (VALUES (true, false, NULL::boolean, true, 100, 200),
             (false, NULL, true, true, NULL, 50),
             (true, true, true, false, 30, NULL::integer)) v (c, s, r, p, d, t);

-- 2. Nothing to merge, or only NULL states: the empty result, as stream_metrics gives on no rows.
SELECT vinylops.stream_metrics_merge(x)::text AS merged_nothing,
       (SELECT vinylops.stream_metrics(true, true, true, true, 1, 1)::text WHERE false) AS metrics_nothing
FROM (SELECT NULL::vinylops.stream_metrics_state WHERE false) q (x);
SELECT vinylops.stream_metrics_merge(x)::text AS merged_nulls
FROM (VALUES (NULL::vinylops.stream_metrics_state), (NULL)) q (x);

-- 40,000 rows from integer arithmetic on the row number, with NULLs in every
-- input, in 7 groups and 500 "users".
CREATE TABLE merge_rows AS
SELECT i AS id, (i % 7)::integer AS grp, 'u' || ((i * 37) % 500) AS user_id,
       CASE WHEN i % 97 = 0 THEN NULL ELSE (i * 7919) % 10 < 6 END AS completed,
       CASE WHEN i % 89 = 0 THEN NULL ELSE (i * 104729) % 10 < 3 END AS skipped,
       CASE WHEN i % 83 = 0 THEN NULL ELSE (i * 1299709) % 10 < 2 END AS replayed,
       CASE WHEN i % 79 = 0 THEN NULL ELSE (i * 15485863) % 100 < 15 END AS added,
       CASE WHEN i % 73 = 0 THEN NULL ELSE ((i * 7907) % 420)::integer END AS stream_sec,
       CASE WHEN i % 71 = 0 THEN NULL ELSE (60 + (i * 6151) % 300)::integer END AS track_sec
FROM generate_series(1::bigint, 40000) AS i;
ANALYZE merge_rows;

-- 3. Per group, merging the per-(group, user) states gives stream_metrics over
-- the group's rows, field for field, and the merged rows count the distinct users.
CREATE TEMP VIEW two_stage AS
SELECT p.grp, vinylops.stream_metrics_merge(p.st) AS m, count(*) AS users
FROM (SELECT grp, user_id,
             vinylops.stream_metrics_partial(completed, skipped, replayed, added, stream_sec, track_sec) AS st
      FROM merge_rows GROUP BY grp, user_id) p
GROUP BY p.grp;
CREATE TEMP VIEW one_stage AS
SELECT grp, vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m,
       count(DISTINCT user_id) AS users
FROM merge_rows GROUP BY grp;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE t.m::text = o.m::text AND t.users = o.users) AS identical
FROM two_stage t FULL JOIN one_stage o ON o.grp = t.grp;

-- 4. Merging states of an arbitrary split (by id modulo 13) of all rows equals one pass.
SELECT (SELECT vinylops.stream_metrics_merge(st)::text
        FROM (SELECT vinylops.stream_metrics_partial(completed, skipped, replayed, added,
                                                     stream_sec, track_sec) AS st
              FROM merge_rows GROUP BY id % 13) q)
     = (SELECT vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec)::text
        FROM merge_rows) AS split_equals_one_pass;

-- 5. In parallel workers, with the costs forced to zero: both stages of the
-- two-stage query aggregate partially, and the answer equals the serial one.
SELECT md5(string_agg(t::text, E'\n' ORDER BY t.grp)) AS serial_md5 FROM two_stage t \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
CREATE FUNCTION pg_temp.plan_count(query text, pattern text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    n bigint := 0;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        IF line ~ pattern THEN
            n := n + 1;
        END IF;
    END LOOP;
    RETURN n;
END $$;
SELECT pg_temp.plan_count('SELECT vinylops.stream_metrics_merge(st) FROM (SELECT grp, vinylops.stream_metrics_partial(completed, skipped, replayed, added, stream_sec, track_sec) AS st FROM merge_rows GROUP BY grp) q',
                          'Partial (Hash|Group)?Aggregate') >= 1 AS partial_aggregate,
       pg_temp.plan_count('SELECT vinylops.stream_metrics_merge(st) FROM (SELECT grp, vinylops.stream_metrics_partial(completed, skipped, replayed, added, stream_sec, track_sec) AS st FROM merge_rows GROUP BY grp) q',
                          'Gather') >= 1 AS gather;
SELECT md5(string_agg(t::text, E'\n' ORDER BY t.grp)) = :'serial_md5' AS parallel_equals_serial
FROM two_stage t;
RESET ALL;

-- 6. The catalogue: both aggregates share stream_metrics' state, combine function and initial state.
SELECT p.proname, p.proparallel, a.aggtranstype::regtype, a.aggtransfn, a.aggcombinefn,
       a.aggfinalfn, a.aggfinalmodify
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'vinylops' AND p.proname IN ('stream_metrics_partial', 'stream_metrics_merge')
ORDER BY p.proname COLLATE "C";

DROP VIEW two_stage, one_stage;
DROP TABLE merge_rows;
