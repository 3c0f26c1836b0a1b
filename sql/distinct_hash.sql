-- distinct_hash_count: distinct 64-bit hashes of text values, which equal the
-- number of values exactly when none repeats.  A case by hand, random ids with
-- planted repeats against count(DISTINCT), serially and in a forced parallel
-- plan, the give-up state, and the states it refuses.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- By hand: a, b, a, NULL, '' -> a, b and '' (NULL is skipped).
SELECT vinylops.distinct_hash_count(v) FROM (VALUES ('a'), ('b'), ('a'), (NULL), ('')) x (v);
-- No rows, and only NULLs: 0.
SELECT vinylops.distinct_hash_count(v) FROM (VALUES (NULL::text)) x (v) WHERE false;
SELECT vinylops.distinct_hash_count(v) FROM (VALUES (NULL::text), (NULL)) x (v);

-- 150,000 ids, 1,000 of them given again: past the first growths and across
-- many buckets.  count(DISTINCT) is the second route.
CREATE TABLE ids AS
SELECT 'S' || md5(i::text) AS id FROM generate_series(1, 150000) i
UNION ALL
SELECT 'S' || md5((i * 7)::text) FROM generate_series(1, 1000) i;
ANALYZE ids;
SELECT count(*) AS ids, count(DISTINCT id) AS plain_distinct,
       vinylops.distinct_hash_count(id) AS hash_distinct
FROM ids;

\i sql/include/force_parallel.psql
SELECT pg_temp.plan_has('SELECT vinylops.distinct_hash_count(id) FROM ids', 'Partial Aggregate') AS partial;
SELECT vinylops.distinct_hash_count(id) = (SELECT count(DISTINCT id) FROM ids) AS parallel_same FROM ids;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- Gave up (past 2^25 values, -1): NULL, and it stays given up when merged.
SELECT vinylops.distinct_hash_final('{-1}') IS NULL AS gave_up,
       vinylops.distinct_hash_combine('{-1}', '{1,5}') AS merged_left,
       vinylops.distinct_hash_combine('{1,5}', '{-1}') AS merged_right;
-- Two hashes kept (spare room after them), one repeated: 1.  Merged past
-- its room a state grows to exactly the room needed; merged within it, it
-- keeps its room.
SELECT vinylops.distinct_hash_final('{2,7,7,0,0}') AS repeated,
       vinylops.distinct_hash_combine('{1,7,0}', '{2,8,9}') AS grown,
       vinylops.distinct_hash_combine('{1,7,0,0,0}', '{1,8}') AS within;
-- A direct call leaves its argument unchanged.
CREATE TABLE state AS SELECT '{1,42}'::bigint[] AS s;
SELECT vinylops.distinct_hash_accum(s, 'x') IS NOT NULL AS added, s AS unchanged FROM state;
-- Wrong states are errors.
SELECT vinylops.distinct_hash_final('{3,1}');
SELECT vinylops.distinct_hash_final('{-2}');
SELECT vinylops.distinct_hash_final('{{1,2}}');
SELECT vinylops.distinct_hash_final('{1,NULL}');
SELECT vinylops.distinct_hash_final('{}');
SELECT vinylops.distinct_hash_accum(NULL, 'x');
-- The same check guards an aggregate of one's own whose state claims hashes it lacks.
CREATE AGGREGATE pg_temp.lying_hashes(text) (
    SFUNC = vinylops.distinct_hash_accum, STYPE = bigint[], INITCOND = '{5}');
SELECT pg_temp.lying_hashes(id) FROM ids;
DROP AGGREGATE pg_temp.lying_hashes(text);

DROP TABLE ids, state;
DROP EXTENSION vinylops;
