#!/usr/bin/env bash
# Benchmark, not a test: engagement_score and experience_score (C aggregates on
# vinylops.stream_metrics_state) against the same formulas written in plain SQL
# with count(*) FILTER, over N generated streams, in one server and one session.
# Each run times every query once, alternating the order between runs; the
# first (untimed) round warms the cache and checks that both forms agree.
# Prints, per query, the median wall time and the median CPU time of the
# backend (from /proc/self/schedstat, in nanoseconds: on a shared machine it
# is far less noisy than wall time), and the ratios plain SQL / C (above 1
# means the C aggregate is faster).  Two baselines are timed in the same
# rounds: a bare count(*) scan (whole-table queries) and count(*) per user
# (grouped queries); subtracting them leaves what the aggregates themselves
# cost, and the last column compares those increments.
#
# Usage: VINYLOPS_PG_SANDBOX=/tmp/sandbox-you bash bench/score_aggregates.sh [rows] [runs]
# At 10 million rows (the default) the table takes about 420 MB and one run of all the
# queries several minutes on a shared machine.
#   rows  generated streams (default 10,000,000; BENCH_ROWS)
#   runs  timed runs per query (default 5; BENCH_RUNS)
#   BENCH_WORKERS  max_parallel_workers_per_gather (default 0: one core, the fairest
#                  comparison on a shared machine)
#   BENCH_JIT      default (server settings: these queries pass jit_above_cost at
#                  about 4 to 6 million rows), off, or forced (every JIT stage at any
#                  cost, to see at 2 million rows what JIT does; vinylops installs its
#                  bitcode, so JIT can inline the C transition functions too)
source "$(dirname "$0")/../scripts/lib.sh"

rows=${1:-${BENCH_ROWS:-10000000}}
runs=${2:-${BENCH_RUNS:-5}}
workers=${BENCH_WORKERS:-0}
jit=${BENCH_JIT:-default}
[[ $rows =~ ^[0-9]+$ && $runs =~ ^[0-9]+$ && $workers =~ ^[0-9]+$ ]] ||
    { echo "usage: $0 [rows] [runs] (whole numbers)" >&2; exit 2; }
case $jit in
    default) jit_sql='SELECT 1' ;;
    off) jit_sql='SET jit = off' ;;
    forced) jit_sql='SET jit = on; SET jit_above_cost = 0; SET jit_inline_above_cost = 0; SET jit_optimize_above_cost = 0' ;;
    *) echo "BENCH_JIT must be default, off or forced" >&2; exit 2 ;;
esac

echo "load before: $(uptime)"
vinylops_install_deps
vinylops_build_install
vinylops_start_cluster

psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -v runs="$runs" -v workers="$workers" \
    -v jit_sql="$jit_sql" <<'SQL'
CREATE EXTENSION vinylops;
SET max_parallel_workers_per_gather = :workers;
:jit_sql;

-- Streams shaped like vinylops.streams joined to tracks: no NULLs (the tables forbid
-- them), so the plain-SQL side may use its cheapest form, count(*) as denominator.
-- 10,000 users for the grouped queries, as the per-user reports group.
SELECT setseed(0.42);
CREATE UNLOGGED TABLE bench_streams AS
SELECT (random() * 9999)::integer AS user_key,
       random() < 0.62 AS completed,
       random() < 0.27 AS skipped,
       random() < 0.18 AS replayed,
       random() < 0.12 AS added_to_playlist,
       (random() * 400)::integer AS stream_duration_sec,
       60 + (random() * 300)::integer AS track_duration_sec
FROM generate_series(1, :rows);
VACUUM ANALYZE bench_streams;

-- base: the baseline query whose time is subtracted to get the aggregate-only increment.
CREATE TEMP TABLE bench_queries (name text, kind text, query text, base text);
INSERT INTO bench_queries (name, kind, query) VALUES
('scan', 'base', $q$
SELECT count(*) FROM bench_streams
$q$),
('scan per user', 'base', $q$
SELECT sum(n) FROM (SELECT count(*) AS n FROM bench_streams GROUP BY user_key) g
$q$),
('engagement', 'C', $q$
SELECT vinylops.engagement_score(completed, replayed, added_to_playlist) FROM bench_streams
$q$),
('engagement', 'SQL', $q$
SELECT 0.4 * (100.0 * count(*) FILTER (WHERE completed) / count(*))
     + 0.3 * (100.0 * count(*) FILTER (WHERE replayed) / count(*))
     + 0.3 * (100.0 * count(*) FILTER (WHERE added_to_playlist) / count(*))
FROM bench_streams
$q$),
('experience', 'C', $q$
SELECT vinylops.experience_score(completed, skipped, stream_duration_sec, track_duration_sec) FROM bench_streams
$q$),
('experience', 'SQL', $q$
SELECT 0.5 * (100.0 * count(*) FILTER (WHERE completed) / count(*))
     + 0.3 * (100 - 100.0 * count(*) FILTER (WHERE skipped) / count(*))
     + 0.2 * (100.0 * sum(stream_duration_sec) / sum(track_duration_sec))
FROM bench_streams
$q$),
('engagement per user', 'C', $q$
SELECT sum(s) FROM (
    SELECT vinylops.engagement_score(completed, replayed, added_to_playlist) AS s
    FROM bench_streams GROUP BY user_key) g
$q$),
('engagement per user', 'SQL', $q$
SELECT sum(s) FROM (
    SELECT 0.4 * (100.0 * count(*) FILTER (WHERE completed) / count(*))
         + 0.3 * (100.0 * count(*) FILTER (WHERE replayed) / count(*))
         + 0.3 * (100.0 * count(*) FILTER (WHERE added_to_playlist) / count(*)) AS s
    FROM bench_streams GROUP BY user_key) g
$q$),
('experience per user', 'C', $q$
SELECT sum(s) FROM (
    SELECT vinylops.experience_score(completed, skipped, stream_duration_sec, track_duration_sec) AS s
    FROM bench_streams GROUP BY user_key) g
$q$),
('experience per user', 'SQL', $q$
SELECT sum(s) FROM (
    SELECT 0.5 * (100.0 * count(*) FILTER (WHERE completed) / count(*))
         + 0.3 * (100 - 100.0 * count(*) FILTER (WHERE skipped) / count(*))
         + 0.2 * (100.0 * sum(stream_duration_sec) / sum(track_duration_sec)) AS s
    FROM bench_streams GROUP BY user_key) g
$q$),
-- What the reports use: all seven stream_metrics fields in one pass (summed, so one
-- number can be checked), against the same rates in plain SQL.
('metrics per user', 'C', $q$
SELECT sum((m).streams + (m).completion_pct + (m).skip_pct + (m).replay_pct + (m).playlist_add_pct
           + (m).avg_duration_sec + (m).listen_through_pct) FROM (
    SELECT vinylops.stream_metrics(completed, skipped, replayed, added_to_playlist,
                                   stream_duration_sec, track_duration_sec) AS m
    FROM bench_streams GROUP BY user_key) g
$q$),
('metrics per user', 'SQL', $q$
SELECT sum(s) FROM (
    SELECT count(*)
         + 100.0 * count(*) FILTER (WHERE completed) / count(*)
         + 100.0 * count(*) FILTER (WHERE skipped) / count(*)
         + 100.0 * count(*) FILTER (WHERE replayed) / count(*)
         + 100.0 * count(*) FILTER (WHERE added_to_playlist) / count(*)
         + avg(stream_duration_sec)
         + 100.0 * sum(stream_duration_sec) / sum(track_duration_sec) AS s
    FROM bench_streams GROUP BY user_key) g
$q$);
UPDATE bench_queries SET base = CASE WHEN name LIKE '% per user' THEN 'scan per user' ELSE 'scan' END
WHERE kind <> 'base';

-- Runs every query once per round, in alternating order, and records the wall time;
-- round 0 warms the cache and checks that both forms of each query agree.
-- CPU time this backend has used, in ms (Linux); NULL where /proc is not readable.
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8
LANGUAGE plpgsql AS $$
BEGIN
    RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::float8 / 1e6;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END $$;

CREATE TEMP TABLE bench_times (name text, kind text, run integer, ms float8, cpu_ms float8);
CREATE FUNCTION pg_temp.bench(runs integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    q record;
    t0 timestamptz;
    cpu0 float8;
    answer float8;
    answers jsonb := '{}';
BEGIN
    FOR run IN 0..runs LOOP
        FOR q IN SELECT * FROM bench_queries
                 ORDER BY CASE WHEN run % 2 = 0 THEN name || kind END,
                          CASE WHEN run % 2 = 1 THEN name || kind END DESC LOOP
            cpu0 := pg_temp.cpu_ms();
            t0 := clock_timestamp();
            EXECUTE q.query INTO answer;
            IF run = 0 THEN
                answers := answers || jsonb_build_object(q.name || '/' || q.kind, answer);
            ELSE
                INSERT INTO bench_times
                VALUES (q.name, q.kind, run, 1000 * extract(epoch FROM clock_timestamp() - t0),
                        pg_temp.cpu_ms() - cpu0);
            END IF;
        END LOOP;
    END LOOP;
    FOR q IN SELECT DISTINCT name FROM bench_queries WHERE kind <> 'base' LOOP
        IF abs((answers ->> (q.name || '/C'))::float8 - (answers ->> (q.name || '/SQL'))::float8)
           > 1e-9 * greatest(1, abs((answers ->> (q.name || '/SQL'))::float8)) THEN
            RAISE EXCEPTION 'C and SQL disagree for %: % vs %', q.name,
                answers ->> (q.name || '/C'), answers ->> (q.name || '/SQL');
        END IF;
    END LOOP;
END $$;

SELECT pg_temp.bench(:runs);

\echo
SELECT format('%s rows, %s timed runs per query, max_parallel_workers_per_gather = %s, jit = %s (above cost %s)',
              :rows, :runs, current_setting('max_parallel_workers_per_gather'),
              current_setting('jit'), current_setting('jit_above_cost')) AS setup;
CREATE TEMP VIEW bench_medians AS
SELECT t.name, t.kind, min(q.base) AS base,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms) AS ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY t.cpu_ms) AS cpu_ms,
       min(t.cpu_ms) AS best_cpu_ms
FROM bench_times t JOIN bench_queries q USING (name, kind) GROUP BY t.name, t.kind;
SELECT c.name AS query,
       round(c.ms::numeric, 1) AS c_wall_ms,
       round(p.ms::numeric, 1) AS sql_wall_ms,
       round((p.ms / nullif(c.ms, 0))::numeric, 2) AS wall_ratio,
       round(c.cpu_ms::numeric, 1) AS c_cpu_ms,
       round(p.cpu_ms::numeric, 1) AS sql_cpu_ms,
       round((p.cpu_ms / nullif(c.cpu_ms, 0))::numeric, 2) AS cpu_ratio,
       round((p.best_cpu_ms / nullif(c.best_cpu_ms, 0))::numeric, 2) AS best_cpu_ratio,
       round(b.cpu_ms::numeric, 1) AS base_cpu_ms,
       CASE WHEN c.cpu_ms > b.cpu_ms AND p.cpu_ms > b.cpu_ms  -- else noise swamped the increment
            THEN round(((p.cpu_ms - b.cpu_ms) / (c.cpu_ms - b.cpu_ms))::numeric, 2) END AS increment_ratio
FROM bench_medians c
JOIN bench_medians p ON p.name = c.name AND p.kind = 'SQL'
JOIN bench_medians b ON b.name = c.base AND b.kind = 'base'
WHERE c.kind = 'C'
ORDER BY c.name COLLATE "C";
SELECT name AS baseline, round(ms::numeric, 1) AS wall_ms, round(cpu_ms::numeric, 1) AS cpu_ms
FROM bench_medians WHERE kind = 'base' ORDER BY name COLLATE "C";
\echo 'medians (best_cpu_ratio: fastest run against fastest run); ratio = plain SQL / C, above 1: the C aggregate is faster'
\echo 'increment_ratio = (SQL - baseline) / (C - baseline) in median CPU time: the aggregates alone, without the scan (and hashing) they share; empty when a median fell below its baseline (noise)'
SQL
echo "load: $(uptime)"
