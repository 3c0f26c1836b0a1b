-- The stream metric aggregates in parallel and partitionwise plans: the plan
-- really aggregates partially (asserted on EXPLAIN text, printed as booleans)
-- and combining partial states gives the serial answers.  The states hold
-- only integer counts and sums, so the answers are expected to be identical;
-- the contract asks for 1e-12 relative, and both are printed.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- 50,000 streams from bigint arithmetic on the row number (same rows everywhere), with NULLs
-- in every input, in 4 markets and 10 buckets.
CREATE TABLE metrics_rows AS
SELECT i AS id,
       'm' || (i % 4) AS market,
       (i % 10)::integer AS bucket,
       CASE WHEN i % 97 = 0 THEN NULL ELSE (i * 7919) % 10 < 6 END AS completed,
       CASE WHEN i % 89 = 0 THEN NULL ELSE (i * 104729) % 10 < 3 END AS skipped,
       CASE WHEN i % 83 = 0 THEN NULL ELSE (i * 1299709) % 10 < 2 END AS replayed,
       CASE WHEN i % 79 = 0 THEN NULL ELSE (i * 15485863) % 100 < 15 END AS added,
       CASE WHEN i % 73 = 0 THEN NULL ELSE ((i * 7907) % 420)::integer END AS stream_sec,
       CASE WHEN i % 71 = 0 THEN NULL ELSE (60 + (i * 6151) % 300)::integer END AS track_sec
FROM generate_series(1::bigint, 50000) AS i;
ANALYZE metrics_rows;

-- The same rows, list-partitioned by market.
CREATE TABLE metrics_parts (LIKE metrics_rows) PARTITION BY LIST (market);
CREATE TABLE metrics_parts_0 PARTITION OF metrics_parts FOR VALUES IN ('m0');
CREATE TABLE metrics_parts_1 PARTITION OF metrics_parts FOR VALUES IN ('m1');
CREATE TABLE metrics_parts_2 PARTITION OF metrics_parts FOR VALUES IN ('m2');
CREATE TABLE metrics_parts_3 PARTITION OF metrics_parts FOR VALUES IN ('m3');
INSERT INTO metrics_parts SELECT * FROM metrics_rows;
ANALYZE metrics_parts;

-- How many plan lines of a query match a pattern (so the plan itself is not printed).
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

-- Equal to 1e-12 relative (both NULL counts as equal).
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN (a IS NULL AND b IS NULL) OR abs(a - b) <= 1e-12 * greatest(abs(a), abs(b));

-- Every field of two stream_metrics results equal to 1e-12 relative.
CREATE FUNCTION pg_temp.close(a vinylops.stream_metrics_result, b vinylops.stream_metrics_result)
RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN (a).streams = (b).streams
   AND pg_temp.close((a).completion_pct, (b).completion_pct)
   AND pg_temp.close((a).skip_pct, (b).skip_pct)
   AND pg_temp.close((a).replay_pct, (b).replay_pct)
   AND pg_temp.close((a).playlist_add_pct, (b).playlist_add_pct)
   AND pg_temp.close((a).avg_duration_sec, (b).avg_duration_sec)
   AND pg_temp.close((a).listen_through_pct, (b).listen_through_pct);

-- The queries under test, each run serially and in parallel by its exact text.
\set q_total 'SELECT vinylops.engagement_score(completed, replayed, added) AS eng, vinylops.experience_score(completed, skipped, stream_sec, track_sec) AS exp, vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m FROM metrics_rows'
\set q_grouped 'SELECT array_agg(g.eng ORDER BY g.bucket) AS eng, array_agg(g.exp ORDER BY g.bucket) AS exp, array_agg(g.m ORDER BY g.bucket) AS m FROM (SELECT bucket, vinylops.engagement_score(completed, replayed, added) AS eng, vinylops.experience_score(completed, skipped, stream_sec, track_sec) AS exp, vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m FROM metrics_rows GROUP BY bucket) g'

-- Serial answers first.
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.plan_count(:'q_total', 'Partial|Gather') AS serial_partial_nodes;
:q_total \gset serial_
:q_grouped \gset serial_grouped_

-- Now a forced parallel plan.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;

SELECT pg_temp.plan_count(:'q_total', 'Partial Aggregate') = 1 AS has_partial_aggregate,
       pg_temp.plan_count(:'q_total', 'Finalize Aggregate') = 1 AS has_finalize_aggregate,
       pg_temp.plan_count(:'q_total', 'Gather') = 1 AS has_gather;
:q_total \gset parallel_
SELECT pg_temp.close(:'parallel_eng'::float8, :'serial_eng'::float8) AS engagement_within_1e12,
       pg_temp.close(:'parallel_exp'::float8, :'serial_exp'::float8) AS experience_within_1e12,
       pg_temp.close(:'parallel_m'::vinylops.stream_metrics_result,
                     :'serial_m'::vinylops.stream_metrics_result) AS metrics_within_1e12,
       :'parallel_eng'::float8 = :'serial_eng'::float8
       AND :'parallel_exp'::float8 = :'serial_exp'::float8
       AND :'parallel_m' = :'serial_m' AS identical;

-- The serial answers are themselves right: plain-SQL formulas, computed separately.
SELECT pg_temp.close(:'serial_eng'::float8,
           (0.4 * 100.0 * count(*) FILTER (WHERE completed) / count(completed)
          + 0.3 * 100.0 * count(*) FILTER (WHERE replayed) / count(replayed)
          + 0.3 * 100.0 * count(*) FILTER (WHERE added) / count(added))::float8) AS engagement_matches_sql,
       pg_temp.close(:'serial_exp'::float8,
           (0.5 * 100.0 * count(*) FILTER (WHERE completed) / count(completed)
          + 0.3 * (100 - 100.0 * count(*) FILTER (WHERE skipped) / count(skipped))
          + 0.2 * 100.0 * sum(stream_sec) FILTER (WHERE track_sec IS NOT NULL)
                / sum(track_sec) FILTER (WHERE stream_sec IS NOT NULL))::float8) AS experience_matches_sql,
       (:'serial_m'::vinylops.stream_metrics_result).streams = count(*) AS streams_is_count
FROM metrics_rows;

-- Grouped: partial aggregation per worker, then combine per group.
SELECT pg_temp.plan_count(:'q_grouped', 'Partial (Hash|Group)?Aggregate') = 1 AS has_partial_aggregate;
:q_grouped \gset parallel_grouped_
SELECT bool_and(pg_temp.close(p, s)) AS engagement_within_1e12
FROM unnest(:'parallel_grouped_eng'::float8[], :'serial_grouped_eng'::float8[]) AS u(p, s);
SELECT bool_and(pg_temp.close(p, s)) AS experience_within_1e12
FROM unnest(:'parallel_grouped_exp'::float8[], :'serial_grouped_exp'::float8[]) AS u(p, s);
SELECT bool_and(pg_temp.close(p[i], s[i])) AS metrics_within_1e12, count(*) AS groups
FROM (SELECT :'parallel_grouped_m'::vinylops.stream_metrics_result[] AS p,
             :'serial_grouped_m'::vinylops.stream_metrics_result[] AS s) a,
     generate_subscripts(a.s, 1) AS i;
SELECT :'parallel_grouped_eng' = :'serial_grouped_eng'
   AND :'parallel_grouped_exp' = :'serial_grouped_exp'
   AND :'parallel_grouped_m' = :'serial_grouped_m' AS identical;

-- Without the leader's help every partial state comes from a worker through the tuple queue.
SET parallel_leader_participation = off;
:q_total \gset workers_only_
SELECT pg_temp.close(:'workers_only_m'::vinylops.stream_metrics_result,
                     :'serial_m'::vinylops.stream_metrics_result) AS metrics_within_1e12,
       :'workers_only_eng' = :'serial_eng' AND :'workers_only_exp' = :'serial_exp'
       AND :'workers_only_m' = :'serial_m' AS identical;
RESET parallel_leader_participation;

-- ---------------------------------------------------------------------------
-- Partitionwise aggregation over the partitioned copy.
-- ---------------------------------------------------------------------------
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
\set q_parts 'SELECT vinylops.engagement_score(completed, replayed, added) AS eng, vinylops.experience_score(completed, skipped, stream_sec, track_sec) AS exp, vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m FROM metrics_parts'

-- No grouping: one Partial Aggregate per partition under the Append, combined on top.
SELECT pg_temp.plan_count(:'q_parts', 'Partial Aggregate') = 4 AS partial_aggregate_per_partition,
       pg_temp.plan_count(:'q_parts', 'Finalize Aggregate') = 1 AS has_finalize_aggregate,
       pg_temp.plan_count(:'q_parts', 'Append') = 1 AS has_append;
:q_parts \gset parts_
SELECT pg_temp.close(:'parts_eng'::float8, :'serial_eng'::float8) AS engagement_within_1e12,
       pg_temp.close(:'parts_exp'::float8, :'serial_exp'::float8) AS experience_within_1e12,
       pg_temp.close(:'parts_m'::vinylops.stream_metrics_result,
                     :'serial_m'::vinylops.stream_metrics_result) AS metrics_within_1e12,
       :'parts_eng' = :'serial_eng' AND :'parts_exp' = :'serial_exp' AND :'parts_m' = :'serial_m' AS identical;

-- Grouped by the partition key: each partition aggregates its own group completely
-- (no Finalize); compared with the same grouping on the plain table.
\set q_by_market 'SELECT array_agg(g.eng ORDER BY g.market) AS eng, array_agg(g.exp ORDER BY g.market) AS exp, array_agg(g.m ORDER BY g.market) AS m FROM (SELECT market, vinylops.engagement_score(completed, replayed, added) AS eng, vinylops.experience_score(completed, skipped, stream_sec, track_sec) AS exp, vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m FROM TABLE GROUP BY market) g'
SELECT replace(:'q_by_market', 'FROM TABLE', 'FROM metrics_parts') AS q_by_market_parts,
       replace(:'q_by_market', 'FROM TABLE', 'FROM metrics_rows') AS q_by_market_rows \gset
SELECT pg_temp.plan_count(:'q_by_market_parts', '(Hash|Group)?Aggregate') = 5 AS aggregate_per_partition_and_outer,
       pg_temp.plan_count(:'q_by_market_parts', 'Finalize|Partial') = 0 AS no_partial_step,
       pg_temp.plan_count(:'q_by_market_parts', 'Append') = 1 AS has_append;
:q_by_market_parts \gset parts_market_
:q_by_market_rows \gset rows_market_
SELECT bool_and(pg_temp.close(p[i], s[i])) AS metrics_within_1e12, count(*) AS markets
FROM (SELECT :'parts_market_m'::vinylops.stream_metrics_result[] AS p,
             :'rows_market_m'::vinylops.stream_metrics_result[] AS s) a,
     generate_subscripts(a.s, 1) AS i;
SELECT :'parts_market_eng' = :'rows_market_eng' AND :'parts_market_exp' = :'rows_market_exp'
   AND :'parts_market_m' = :'rows_market_m' AS identical;

-- Partitionwise and parallel at once: partial states per partition from parallel workers.
SET max_parallel_workers_per_gather = 2;
SELECT pg_temp.plan_count(:'q_parts', 'Partial Aggregate') = 4 AS partial_aggregate_per_partition,
       pg_temp.plan_count(:'q_parts', 'Gather') = 1 AS has_gather;
:q_parts \gset parallel_parts_
SELECT pg_temp.close(:'parallel_parts_m'::vinylops.stream_metrics_result,
                     :'serial_m'::vinylops.stream_metrics_result) AS metrics_within_1e12,
       :'parallel_parts_eng' = :'serial_eng' AND :'parallel_parts_exp' = :'serial_exp'
       AND :'parallel_parts_m' = :'serial_m' AS identical;

RESET ALL;
DROP TABLE metrics_parts;
DROP TABLE metrics_rows;
