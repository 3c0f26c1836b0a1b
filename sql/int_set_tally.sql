-- int_set_agg and int_set_tally: each set is checked against the distinct
-- values by array_agg(DISTINCT), and each key's count of sets against
-- count(DISTINCT set) per key, computed by GROUP BY.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vinylops;
RESET client_min_messages;

-- By hand: sets {1,2}, {2,5}, {2}; NULL values skipped, an all-NULL group gives
-- no set.  Key 2 is in three sets, keys 1 and 5 in one.
CREATE TEMP TABLE members (g integer, k integer);
INSERT INTO members VALUES (1, 1), (1, 2), (1, 2), (1, NULL), (2, 5), (2, 2), (3, 2), (4, NULL);
SELECT g, vinylops.int_set_agg(k) AS set FROM members GROUP BY g ORDER BY g;
SELECT r.key, r.streams AS sets
FROM (SELECT vinylops.int_set_tally(x.set) AS t
      FROM (SELECT vinylops.int_set_agg(k) AS set FROM members GROUP BY g) x) y,
     vinylops.stream_tally_rows(y.t) r;

-- 300 sets over 100,000 rows: dense keys (one set's bitmap), spread and
-- negative keys (a hash set), each set equal to the distinct values.
CREATE TEMP TABLE rows300 AS
SELECT i % 300 AS g,
       CASE i % 3 WHEN 0 THEN hashint4(i) & 2047
                  WHEN 1 THEN (hashint4(i) % 20000) * 7
                  ELSE -(hashint4(i) & 255) END AS k
FROM generate_series(1, 100000) i;
CREATE TEMP TABLE sets300 AS SELECT g, vinylops.int_set_agg(k) AS set FROM rows300 GROUP BY g;
SELECT count(*) AS sets,
       count(*) FILTER (WHERE s.set::text = d.distinct_values) AS equal_to_distinct
FROM sets300 s
JOIN (SELECT g, array_agg(DISTINCT k ORDER BY k)::text AS distinct_values FROM rows300 GROUP BY g) d USING (g);
-- Per key, the sets that hold it, against count(DISTINCT g) per key.
CREATE TEMP TABLE expected_sets AS SELECT k AS key, count(DISTINCT g) AS sets FROM rows300 GROUP BY k;
CREATE TEMP TABLE tallied_sets AS
SELECT r.key, r.streams AS sets
FROM (SELECT vinylops.int_set_tally(set) AS t FROM sets300) y, vinylops.stream_tally_rows(y.t) r;
SELECT (SELECT count(*) FROM expected_sets) AS keys,
       (SELECT count(*) FROM (SELECT * FROM expected_sets EXCEPT SELECT * FROM tallied_sets) x) AS missing,
       (SELECT count(*) FROM (SELECT * FROM tallied_sets EXCEPT SELECT * FROM expected_sets) x) AS extra;

-- Forced parallel plans: partial int_set_agg per group, then partial
-- int_set_tally over the sets, give the same rows (plain tables: workers
-- cannot read temporary ones).
CREATE TABLE rows300_par AS SELECT * FROM rows300;
CREATE TABLE sets300_par AS SELECT * FROM sets300;
ANALYZE rows300_par;
ANALYZE sets300_par;
\i sql/include/force_parallel.psql
SET parallel_leader_participation = off;
\set per_group 'SELECT g, vinylops.int_set_agg(k) AS set FROM rows300_par GROUP BY g'
\set over_sets 'SELECT vinylops.int_set_tally(set) AS t FROM sets300_par'
SELECT pg_temp.plan_has(:'per_group', 'Partial') AS sets_partial,
       pg_temp.plan_has(:'over_sets', 'Partial Aggregate') AS tally_partial;
CREATE TEMP TABLE parallel_sets AS :per_group;
CREATE TEMP TABLE parallel_tally AS SELECT r.key, r.streams AS sets FROM (:over_sets) y, vinylops.stream_tally_rows(y.t) r;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT (SELECT count(*) FROM parallel_sets p JOIN sets300 s USING (g) WHERE p.set::text = s.set::text) AS equal_sets,
       (SELECT count(*) FROM (SELECT * FROM expected_sets EXCEPT SELECT * FROM parallel_tally) x) AS missing,
       (SELECT count(*) FROM (SELECT * FROM parallel_tally EXCEPT SELECT * FROM expected_sets) x) AS extra;
DROP TABLE rows300_par, sets300_par;

-- NULL and empty sets add nothing; a direct call leaves its tally unchanged.
SELECT vinylops.int_set_tally(s) IS NULL AS nothing
FROM (VALUES (NULL::vinylops.int_set), ('{}'::vinylops.int_set)) v(s);
WITH a AS (SELECT '{(3,1,0,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally AS t)
SELECT vinylops.int_set_tally_accum(t, '{3,4}') AS added, t AS original FROM a;
