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

-- Inside an aggregate the state is an expanded array, adopted by the
-- aggregate without a copy: per group in a hash aggregation (512 groups of
-- about 295 ids, and 4 groups of about 37,750, past the first room of 1,024
-- hashes), as a running window aggregate, whose final function reads the
-- same state row after row, and over a moving frame, which starts it again
-- for every row.  count(DISTINCT) is the second route.
SELECT pg_temp.plan_has('SELECT hashtext(id) & 511, vinylops.distinct_hash_count(id) FROM ids GROUP BY 1',
                        'HashAggregate') AS hashed_groups;
SELECT b AS group_bits, count(*) AS groups, min(h.hashed) AS smallest_group,
       count(*) FILTER (WHERE h.hashed = p.plain) AS groups_same
FROM (VALUES (511), (3)) v(b)
CROSS JOIN LATERAL (SELECT hashtext(id) & v.b AS g, vinylops.distinct_hash_count(id) AS hashed
                    FROM ids GROUP BY 1) h
JOIN LATERAL (SELECT hashtext(id) & v.b AS g, count(DISTINCT id) AS plain FROM ids GROUP BY 1) p USING (g)
GROUP BY b ORDER BY b DESC;
SELECT count(*) AS steps,
       count(*) FILTER (WHERE w.running = (SELECT count(DISTINCT v) FROM unnest(w.seen) v)) AS running_same,
       count(*) FILTER (WHERE w.moving = (SELECT count(DISTINCT v) FROM unnest(w.last3) v)) AS moving_same
FROM (SELECT vinylops.distinct_hash_count(v) OVER (ORDER BY i) AS running,
             array_agg(v) OVER (ORDER BY i) AS seen,
             vinylops.distinct_hash_count(v) OVER (ORDER BY i ROWS 2 PRECEDING) AS moving,
             array_agg(v) OVER (ORDER BY i ROWS 2 PRECEDING) AS last3
      FROM (SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 90)::text END AS v
            FROM generate_series(1, 300) i) x) w;
-- Given up inside an aggregate: from a given-up initial state, and merged
-- with one (the combine function as a transition of its own).
CREATE AGGREGATE pg_temp.given_up(text) (
    SFUNC = vinylops.distinct_hash_accum, STYPE = bigint[], INITCOND = '{-1}',
    FINALFUNC = vinylops.distinct_hash_final);
CREATE AGGREGATE pg_temp.merged(bigint[]) (
    SFUNC = vinylops.distinct_hash_combine, STYPE = bigint[], INITCOND = '{0}',
    FINALFUNC = vinylops.distinct_hash_final);
SELECT pg_temp.given_up(id) IS NULL AS stays_given_up FROM ids;
-- 7, 8 | 9 | 7, 10: four distinct, three in the first two.
SELECT pg_temp.merged(s) AS merged_all, pg_temp.merged(s) FILTER (WHERE n < 3) AS merged_first_two
FROM (VALUES (1, '{2,7,8}'::bigint[]), (2, '{1,9}'), (3, '{2,7,10}')) v(n, s);
SELECT pg_temp.merged(s ORDER BY n) IS NULL AS merged_with_given_up
FROM (VALUES (1, '{2,7,8}'::bigint[]), (2, '{-1}'), (3, '{1,9}')) v(n, s);
-- A state expanded elsewhere (a PL/pgSQL variable built by array_append, or
-- assigned a flat state with room) is read as the flat one, and still checked.
CREATE FUNCTION pg_temp.expanded_states() RETURNS TABLE (label text, outcome text) LANGUAGE plpgsql AS $$
DECLARE
    built bigint[] := '{0}';
    roomy bigint[] := '{2,7,7,0,0}';
    lying bigint[] := '{1}';
BEGIN
    built := array_append(built, 5);
    built := array_append(built, 6);
    built[1] := 2;
    lying := array_append(lying, NULL);
    RETURN QUERY VALUES
        ('built final', vinylops.distinct_hash_final(built)::text),
        ('roomy final', vinylops.distinct_hash_final(roomy)::text),
        ('built into roomy', vinylops.distinct_hash_combine(roomy, built)::text),
        ('roomy into built', vinylops.distinct_hash_combine(built, roomy)::text),
        ('built accum', (vinylops.distinct_hash_accum(built, 'x') IS NOT NULL)::text),
        ('built unchanged', built::text);
    BEGIN
        PERFORM vinylops.distinct_hash_final(lying);
    EXCEPTION WHEN invalid_parameter_value THEN
        label := 'lying final';
        outcome := SQLERRM;
        RETURN NEXT;
    END;
END $$;
SELECT * FROM pg_temp.expanded_states();

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

DROP FUNCTION pg_temp.expanded_states();
DROP AGGREGATE pg_temp.given_up(text), pg_temp.merged(bigint[]);
DROP TABLE ids, state;
DROP EXTENSION vinylops;
