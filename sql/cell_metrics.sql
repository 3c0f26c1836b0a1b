-- cell_metrics: per (label, code) cell, stream_metrics' counts and the
-- distinct user keys, in one aggregate group; cell_metrics_rows lists the cells.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vinylops;
RESET client_min_messages;
SET extra_float_digits = 0;

-- Worked by hand.  Cell (Mobile, 1): 3 rows, users 10 and 11; completed 2 of 3
-- = 66.7 %, skipped 1 of 3 = 33.3 %, replayed 1 of 3, playlisted 1 of the 2
-- non-NULL = 50 %, mean duration (100 + 50 + 0) / 3 = 50, listen-through over
-- the rows with both durations (100 + 0) / (200 + 200) = 25 %.  (Mobile, NULL):
-- one row, user 12, every flag TRUE, 30 s of 60 = 50 %.  (NULL, 1): one row
-- without a user key or a stream duration: no users, no mean, no listen-through.
CREATE TEMP TABLE hand (label text, code bigint, user_key integer, completed boolean,
                        skipped boolean, replayed boolean, added boolean, dur integer, tdur integer);
INSERT INTO hand VALUES
    ('Mobile', 1, 10, true, false, true, false, 100, 200),
    ('Mobile', 1, 10, false, true, false, true, 50, NULL),
    ('Mobile', 1, 11, true, false, false, NULL, 0, 200),
    ('Mobile', NULL, 12, true, true, true, true, 30, 60),
    (NULL, 1, NULL, false, false, false, false, NULL, 100);
SELECT c.label, c.code, c.users, (m).streams,
       round((m).completion_pct::numeric, 1) AS completion, round((m).skip_pct::numeric, 1) AS skip,
       round((m).replay_pct::numeric, 1) AS replay, round((m).playlist_add_pct::numeric, 1) AS playlist,
       round((m).avg_duration_sec::numeric, 1) AS mean_sec, round((m).listen_through_pct::numeric, 1) AS listen
FROM (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) AS s
      FROM hand) x,
     LATERAL (SELECT r.*, vinylops.stream_metrics_final(r.metrics) AS m FROM vinylops.cell_metrics_rows(x.s) r) c;

-- No rows: NULL, and no cells.
SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) IS NULL AS no_state
FROM hand WHERE false;
SELECT count(*) AS cells FROM vinylops.cell_metrics_rows(NULL);

-- A negative duration, of the stream or of the track, is refused, as stream_metrics refuses it.
SELECT vinylops.cell_metrics('x', 1, 1, true, false, false, false, -1, 10);
SELECT vinylops.cell_metrics('x', 1, 1, true, false, false, false, 10, -1);

-- 60,000 rows in 1,372 cells (97 labels and NULL x 13 codes and NULL, so the
-- cell index grows), NULLs in every column, against the GROUP BY it replaces.
CREATE TABLE cm_rows AS
SELECT CASE WHEN i % 101 = 0 THEN NULL ELSE 'L' || (i * 7 % 97) END AS label,
       CASE WHEN i % 89 = 0 THEN NULL ELSE (i * 13 % 13) + (i % 13) END::bigint AS code,
       CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 5000 - 100 END AS user_key,
       CASE WHEN i % 19 = 0 THEN NULL ELSE (i * 31) % 3 = 0 END AS completed,
       CASE WHEN i % 23 = 0 THEN NULL ELSE (i * 37) % 5 = 0 END AS skipped,
       CASE WHEN i % 29 = 0 THEN NULL ELSE (i * 41) % 7 = 0 END AS replayed,
       CASE WHEN i % 31 = 0 THEN NULL ELSE (i * 43) % 11 = 0 END AS added,
       CASE WHEN i % 37 = 0 THEN NULL ELSE (i * 47) % 400 END AS dur,
       CASE WHEN i % 41 = 0 THEN NULL ELSE 100 + (i * 53) % 300 END AS tdur
FROM generate_series(1, 60000) i;
ANALYZE cm_rows;
CREATE VIEW cm_grouped AS
SELECT label, code, (vinylops.stream_metrics_partial(completed, skipped, replayed, added, dur, tdur))::text AS metrics,
       vinylops.distinct_count(user_key) AS users
FROM cm_rows GROUP BY label, code;
CREATE VIEW cm_cells AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) AS s
      FROM cm_rows) x, vinylops.cell_metrics_rows(x.s) c;
SELECT (SELECT count(*) FROM cm_grouped) AS groups,
       (SELECT count(*) FROM (SELECT * FROM cm_cells EXCEPT ALL SELECT * FROM cm_grouped) d) AS only_cells,
       (SELECT count(*) FROM (SELECT * FROM cm_grouped EXCEPT ALL SELECT * FROM cm_cells) d) AS only_grouped;
-- As a window aggregate: each row's result flattens the state, counting the
-- waiting rows, and the next rows queue again.  Prefixes of 10, 40 and 300
-- rows against the GROUP BY over the same rows.
CREATE TEMP TABLE cm_numbered AS SELECT row_number() OVER () AS n, r.* FROM cm_rows r;
CREATE FUNCTION pg_temp.prefix_grouped(last bigint)
RETURNS TABLE (label text, code bigint, metrics text, users bigint) LANGUAGE sql AS $$
    SELECT label, code, (vinylops.stream_metrics_partial(completed, skipped, replayed, added, dur, tdur))::text,
           vinylops.distinct_count(user_key)
    FROM cm_numbered WHERE n <= last GROUP BY label, code
$$;
SELECT w.n, (SELECT count(*) FROM vinylops.cell_metrics_rows(w.s)) AS cells,
       (SELECT count(*) FROM (SELECT c.label, c.code, c.metrics::text, c.users FROM vinylops.cell_metrics_rows(w.s) c
                              EXCEPT ALL SELECT * FROM pg_temp.prefix_grouped(w.n)) d) AS only_window,
       (SELECT count(*) FROM (SELECT * FROM pg_temp.prefix_grouped(w.n)
                              EXCEPT ALL SELECT c.label, c.code, c.metrics::text, c.users FROM vinylops.cell_metrics_rows(w.s) c) d)
           AS only_grouped
FROM (SELECT n, vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur)
                    OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) AS s
      FROM cm_numbered WHERE n <= 300) w
WHERE w.n IN (10, 40, 300)
ORDER BY w.n;
-- The cells come by label then code, NULLs last.
SELECT bool_and(ok) AS ordered FROM (
    SELECT (label, code) IS NOT DISTINCT FROM
           (first_value(label) OVER w, first_value(code) OVER w) AS ok
    FROM (SELECT c.*, row_number() OVER () AS n
          FROM (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) AS s
                FROM cm_rows) x, vinylops.cell_metrics_rows(x.s) c) r
    WINDOW w AS (ORDER BY label COLLATE "C" NULLS LAST, code NULLS LAST ROWS BETWEEN CURRENT ROW AND CURRENT ROW)
) z;
SELECT count(*) AS out_of_order FROM (
    SELECT n, row_number() OVER (ORDER BY label COLLATE "C" NULLS LAST, code NULLS LAST) AS sorted_n
    FROM (SELECT c.*, row_number() OVER () AS n
          FROM (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) AS s
                FROM cm_rows) x, vinylops.cell_metrics_rows(x.s) c) r
) z WHERE n <> sorted_n;

-- The same in a parallel plan: partial states from the workers, merged by the combine function.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) FROM cm_rows;
SELECT (SELECT count(*) FROM (SELECT * FROM cm_cells EXCEPT ALL SELECT * FROM cm_grouped) d) AS only_cells,
       (SELECT count(*) FROM (SELECT * FROM cm_grouped EXCEPT ALL SELECT * FROM cm_cells) d) AS only_grouped;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- Combine, called directly: two halves merged equal the whole, and neither
-- argument changes.
CREATE TEMP TABLE halves AS
SELECT (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur)
        FROM cm_rows WHERE user_key % 2 = 0) AS a,
       (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur)
        FROM cm_rows WHERE user_key % 2 <> 0 OR user_key IS NULL) AS b,
       (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur)
        FROM cm_rows) AS whole;
SELECT vinylops.cell_metrics_combine(a, b)::text = whole::text AS merged,
       vinylops.cell_metrics_combine(NULL, b)::text = b::text AS null_first,
       vinylops.cell_metrics_combine(a, NULL)::text = a::text AS null_second,
       (SELECT a::text FROM halves) = (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped,
                                                                   replayed, added, dur, tdur)::text
                                       FROM cm_rows WHERE user_key % 2 = 0) AS first_unchanged
FROM halves;
-- The transition, called directly, leaves its state argument unchanged.
SELECT vinylops.cell_metrics_accum(a, 'L1', 1, 1, true, true, true, true, 1, 1)::text <> a::text AS added,
       (SELECT h.a::text FROM halves h) = a::text AS unchanged
FROM halves;

-- Text form: the cells as a cell_metrics_cell[], sorted; it reads back as itself.
SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) FROM hand;
SELECT whole::text::vinylops.cell_metrics_state::text = whole::text AS round_trip FROM halves;
SELECT '{}'::vinylops.cell_metrics_state AS empty,
       (SELECT count(*) FROM vinylops.cell_metrics_rows('{}')) AS cells;
-- Order does not matter on input; the output is canonical.
SELECT '{"(b,1,\"rows=1 completed=1/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=5/1 listen=0/0/0\",{7})","(a,2,\"rows=2 completed=0/2 skipped=0/2 replayed=0/2 playlisted=0/2 duration=0/0 listen=0/0/0\",\"{1,2}\")"}'::vinylops.cell_metrics_state;
-- Refused: a cell twice, more users than rows, no rows, a missing field, a NULL
-- cell, two dimensions, and what the fields' own types refuse.
SELECT '{"(a,1,\"rows=1 completed=0/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",{})","(a,1,\"rows=1 completed=0/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",{})"}'::vinylops.cell_metrics_state;
SELECT '{"(a,1,\"rows=1 completed=0/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",\"{1,2}\")"}'::vinylops.cell_metrics_state;
SELECT '{"(a,1,\"rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0\",{})"}'::vinylops.cell_metrics_state;
SELECT '{"(a,1,,{})"}'::vinylops.cell_metrics_state;
SELECT '{"(a,1,\"rows=1 completed=0/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",)"}'::vinylops.cell_metrics_state;
SELECT '{NULL}'::vinylops.cell_metrics_state;
SELECT '{{"(a,1,\"rows=1 completed=0/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",{})"}}'::vinylops.cell_metrics_state;
SELECT '{"(a,1,\"rows=1 completed=2/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",{})"}'::vinylops.cell_metrics_state;
SELECT '{"(a,1,\"rows=1 completed=0/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",\"{2,1}\")"}'::vinylops.cell_metrics_state;
SELECT '{"(a,x,\"rows=1 completed=0/1 skipped=0/1 replayed=0/1 playlisted=0/1 duration=0/0 listen=0/0/0\",{})"}'::vinylops.cell_metrics_state;
SELECT 'garbage'::vinylops.cell_metrics_state;

-- Binary form: round-trips through a binary COPY; a cut or longer payload is 22P03.
\i sql/include/binary_input.psql
SELECT pg_temp.try_recv(vinylops.cell_metrics_state_send(whole), 'vinylops.cell_metrics_state') = whole::text
       AS binary_round_trip
FROM halves;
SELECT v.label, pg_temp.try_recv(v.bytes, 'vinylops.cell_metrics_state') AS outcome
FROM halves h, LATERAL (VALUES
    ('hand', (SELECT vinylops.cell_metrics_state_send(vinylops.cell_metrics(label, code, user_key, completed,
                                                                           skipped, replayed, added, dur, tdur))
              FROM hand)),
    ('empty', vinylops.cell_metrics_state_send('{}')),
    ('cut', substr(vinylops.cell_metrics_state_send(h.a), 1, 40)),
    ('longer', vinylops.cell_metrics_state_send(h.a) || '\x00'::bytea)
) v(label, bytes);

-- cell_metrics_user_sets: the same cells, each with its set of user keys,
-- against int_set_agg per group (a group of NULL keys only has the empty set).
CREATE VIEW cm_user_sets AS
SELECT c.label, c.code, c.users::text AS users
FROM (SELECT vinylops.cell_metrics(label, code, user_key, completed, skipped, replayed, added, dur, tdur) AS s
      FROM cm_rows) x, vinylops.cell_metrics_user_sets(x.s) c;
CREATE VIEW cm_grouped_sets AS
SELECT label, code, COALESCE(vinylops.int_set_agg(user_key)::text, '{}') AS users
FROM cm_rows GROUP BY label, code;
SELECT (SELECT count(*) FROM cm_user_sets) AS sets,
       (SELECT count(*) FROM (SELECT * FROM cm_user_sets EXCEPT ALL SELECT * FROM cm_grouped_sets) d) AS only_cells,
       (SELECT count(*) FROM (SELECT * FROM cm_grouped_sets EXCEPT ALL SELECT * FROM cm_user_sets) d) AS only_grouped;
SELECT count(*) AS cells FROM vinylops.cell_metrics_user_sets(NULL);

-- day_number: days since 2000-01-01, the infinities at the ends of int32.
SELECT vinylops.day_number('2000-01-01') AS epoch, vinylops.day_number('1999-12-31') AS day_before,
       vinylops.day_number('2024-02-29') AS leap_day, vinylops.day_number('infinity') AS infinity,
       vinylops.day_number('-infinity') AS minus_infinity, vinylops.day_number(NULL) AS null_day;
SELECT count(*) FILTER (WHERE vinylops.day_number(d) <> d - DATE '2000-01-01') AS differing
FROM generate_series(DATE '1990-01-01', DATE '2040-12-31', interval '1 day') g(t), LATERAL (SELECT t::date AS d) x;

-- cell_metrics_keyed: the code's addend and the track duration looked up by
-- key in integer arrays.  By hand: a key outside code_map or NULL makes the
-- code NULL, code_map NULL leaves the code alone; a track key that is NULL,
-- outside duration_map or on a negative element leaves the row out, and
-- duration_map NULL gives no track duration.
SELECT c.label, c.code, c.users, c.metrics
FROM (SELECT vinylops.cell_metrics_keyed(label, code, m, code_key, user_key, true, false, false, false,
                                         dur, d, track_key) AS s
      FROM (VALUES ('a', 100, 1, 1, 10, 1),   -- code 100 + 7, track 1: 60 s
                   ('a', 100, 2, 2, 20, 2),   -- code 100 + 8, track 2 has -1: left out
                   ('a', 100, 9, 3, 30, 1),   -- key 9 outside code_map: NULL code
                   ('a', NULL, 1, 4, 40, 1),  -- NULL code: NULL
                   ('a', 100, NULL, 5, 50, 1), -- NULL key: NULL code
                   ('b', 100, 1, 6, 60, 7),   -- track 7 outside duration_map: left out
                   ('b', 100, 1, 7, 70, NULL) -- NULL track key: left out
           ) v(label, code, code_key, user_key, dur, track_key),
           (SELECT '{7,8}'::integer[] AS m, '{60,-1}'::integer[] AS d) maps) x,
     vinylops.cell_metrics_rows(x.s) c;
SELECT c.label, c.code, c.users, c.metrics
FROM (SELECT vinylops.cell_metrics_keyed('a', 5, NULL, 1, 1, NULL, NULL, NULL, NULL, 10, NULL, 3) AS s) x,
     vinylops.cell_metrics_rows(x.s) c;
-- Queued rows (arrays from InitPlans) find their cell half-way through the
-- queue: a row its track leaves out must not add one.  40 rows: the 20 odd
-- ones would be cell ('x', 1000), on track 2 (-1: left out); the 20 even ones
-- are cell ('x', 0), users 2, 4, ..., 40.  One cell, 20 streams, 20 users.
SELECT c.label, c.code, c.users, (vinylops.stream_metrics_final(c.metrics)).streams
FROM (SELECT vinylops.cell_metrics_keyed('x', g % 2 * 1000, (SELECT '{0}'::integer[] || '{}'), 1, g,
                                         true, false, false, false, 10,
                                         (SELECT '{60,-1}'::integer[] || '{}'), 2 - (g + 1) % 2) AS s
      FROM generate_series(1, 40) g) x,
     vinylops.cell_metrics_rows(x.s) c;
-- Refused: arrays of two dimensions or with NULLs, a code past bigint.
SELECT vinylops.cell_metrics_keyed('a', 0, '{{1}}', 1, 1, true, true, true, true, 1, NULL, NULL);
SELECT vinylops.cell_metrics_keyed('a', 0, NULL, NULL, 1, true, true, true, true, 1, '{1,NULL}', 1);
SELECT vinylops.cell_metrics_keyed('a', 9223372036854775807, '{1}', 1, 1, true, true, true, true, 1, NULL, NULL);

-- 60,000 rows against cell_metrics over the same lookups written as SQL
-- subscripts: with the arrays from an InitPlan (rows queued, the elements
-- prefetched), with the arrays as a joined row's columns (counted at once),
-- and in a parallel plan.  The arrays are computed (|| '{}'), as the
-- reports' are: a toasted array would be copied for every row, by a
-- subscript as by cell_metrics_keyed (which then counts each row at once).
CREATE TABLE km_rows AS
SELECT r.*, CASE WHEN n % 43 = 0 THEN NULL ELSE (n * 17) % 700 - 50 END::integer AS track_key
FROM (SELECT c.*, row_number() OVER () AS n FROM cm_rows c) r;
ANALYZE km_rows;
CREATE TABLE km_maps AS
SELECT (SELECT vinylops.dense_int_array(array_agg(k), array_agg(k % 7), -1)
        FROM generate_series(-50, 4000) k WHERE k % 5 <> 0) AS code_map,
       (SELECT vinylops.dense_int_array(array_agg(k), array_agg(CASE WHEN k % 11 = 0 THEN -1 ELSE 100 + k END), -1)
        FROM generate_series(0, 600) k) AS duration_map;
CREATE TABLE km_subscripted AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics(r.label, r.code + (SELECT code_map || '{}'::integer[] FROM km_maps)[r.user_key], r.user_key,
                                   r.completed, r.skipped, r.replayed, r.added, r.dur,
                                   (SELECT duration_map || '{}'::integer[] FROM km_maps)[r.track_key]) AS s
      FROM km_rows r WHERE (SELECT duration_map || '{}'::integer[] FROM km_maps)[r.track_key] >= 0) x,
     vinylops.cell_metrics_rows(x.s) c;
CREATE VIEW km_queued_view AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps), r.user_key, r.user_key,
                                         r.completed, r.skipped, r.replayed, r.added, r.dur,
                                         (SELECT duration_map || '{}'::integer[] FROM km_maps), r.track_key) AS s
      FROM km_rows r) x,
     vinylops.cell_metrics_rows(x.s) c;
CREATE TABLE km_at_once AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, m.code_map, r.user_key, r.user_key,
                                         r.completed, r.skipped, r.replayed, r.added, r.dur,
                                         m.duration_map, r.track_key) AS s
      FROM km_rows r
      -- Computed, so not toasted: each row reads the arrays in place.
      CROSS JOIN (SELECT code_map || '{}'::integer[] AS code_map,
                         duration_map || '{}'::integer[] AS duration_map
                  FROM km_maps OFFSET 0) m) x,
     vinylops.cell_metrics_rows(x.s) c;
CREATE TABLE km_queued AS SELECT * FROM km_queued_view;
-- With ORDER BY in the call, nodeAgg passes copies of the arrays that it
-- frees row by row, so no row may wait pointing into them.
CREATE TABLE km_ordered AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps),
                                         r.user_key, r.user_key, r.completed, r.skipped, r.replayed, r.added,
                                         r.dur, (SELECT duration_map || '{}'::integer[] FROM km_maps), r.track_key
                                         ORDER BY r.n DESC) AS s
      FROM km_rows r) x,
     vinylops.cell_metrics_rows(x.s) c;
SELECT (SELECT count(*) FROM (SELECT * FROM km_ordered EXCEPT ALL SELECT * FROM km_subscripted) d) AS only_ordered,
       (SELECT count(*) FROM (SELECT * FROM km_subscripted EXCEPT ALL SELECT * FROM km_ordered) d) AS only_subscripted;
SELECT (SELECT count(*) FROM km_subscripted) AS cells,
       (SELECT count(*) FROM (SELECT * FROM km_queued EXCEPT ALL SELECT * FROM km_subscripted) d) AS only_queued,
       (SELECT count(*) FROM (SELECT * FROM km_subscripted EXCEPT ALL SELECT * FROM km_queued) d) AS only_subscripted,
       (SELECT count(*) FROM (SELECT * FROM km_at_once EXCEPT ALL SELECT * FROM km_subscripted) d) AS only_at_once,
       (SELECT count(*) FROM (SELECT * FROM km_subscripted EXCEPT ALL SELECT * FROM km_at_once) d) AS only_subscripted_2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps), r.user_key, r.user_key,
                                   r.completed, r.skipped, r.replayed, r.added, r.dur,
                                   (SELECT duration_map || '{}'::integer[] FROM km_maps), r.track_key)
FROM km_rows r;
CREATE TABLE km_queued_parallel AS SELECT * FROM km_queued_view;
-- Compared with the usual costs: the comparison itself needs no parallel plan.
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT (SELECT count(*) FROM (SELECT * FROM km_queued_parallel EXCEPT ALL SELECT * FROM km_subscripted) d) AS only_queued,
       (SELECT count(*) FROM (SELECT * FROM km_subscripted EXCEPT ALL SELECT * FROM km_queued_parallel) d) AS only_subscripted;

-- The fourteen-argument form: a second addend, code_map2[code_key2], by the
-- same rule.  By hand: both addends summed; a key outside code_map2 or NULL
-- makes the code NULL; code_map2 NULL leaves the code alone; the sum past
-- bigint is refused.
SELECT c.label, c.code, c.users
FROM (SELECT vinylops.cell_metrics_keyed('a', 100, '{7,8}', code_key, user_key, true, false, false, false,
                                         10, NULL, NULL, m2, code_key2) AS s
      FROM (VALUES (1, 1, 1, '{1000,2000}'::integer[]),  -- 100 + 7 + 1000
                   (2, 2, 2, '{1000,2000}'),             -- 100 + 8 + 2000
                   (1, 3, 5, '{1000,2000}'),             -- key2 5 outside code_map2: NULL code
                   (1, 4, NULL, '{1000,2000}'),          -- NULL key2: NULL code
                   (2, 5, 9, NULL)                       -- code_map2 NULL: 100 + 8
           ) v(code_key, user_key, code_key2, m2)) x,
     vinylops.cell_metrics_rows(x.s) c;
SELECT vinylops.cell_metrics_keyed('a', 9223372036854775806, NULL, NULL, 1, true, true, true, true, 1,
                                   NULL, NULL, '{1,2}', 2);
SELECT vinylops.cell_metrics_keyed('a', 0, NULL, NULL, 1, true, true, true, true, 1, NULL, NULL, '{{1}}', 1);

-- The 60,000 rows again, the second addend (track_key % 3 x 10,000) looked up
-- by track_key: against the subscripts, queued (arrays from an InitPlan),
-- counted at once (arrays as a joined row's columns) and in a parallel plan.
CREATE TABLE km2_maps AS
SELECT (SELECT vinylops.dense_int_array(array_agg(k), array_agg((k % 3) * 10000), -1)
        FROM generate_series(-50, 640) k WHERE k % 13 <> 0) AS code_map2;
CREATE TABLE km2_subscripted AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics(r.label,
                                   r.code + (SELECT code_map || '{}'::integer[] FROM km_maps)[r.user_key]
                                          + (SELECT code_map2 || '{}'::integer[] FROM km2_maps)[r.track_key],
                                   r.user_key, r.completed, r.skipped, r.replayed, r.added, r.dur,
                                   (SELECT duration_map || '{}'::integer[] FROM km_maps)[r.track_key]) AS s
      FROM km_rows r WHERE (SELECT duration_map || '{}'::integer[] FROM km_maps)[r.track_key] >= 0) x,
     vinylops.cell_metrics_rows(x.s) c;
CREATE VIEW km2_queued_view AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps), r.user_key, r.user_key,
                                         r.completed, r.skipped, r.replayed, r.added, r.dur,
                                         (SELECT duration_map || '{}'::integer[] FROM km_maps), r.track_key,
                                         (SELECT code_map2 || '{}'::integer[] FROM km2_maps), r.track_key) AS s
      FROM km_rows r) x,
     vinylops.cell_metrics_rows(x.s) c;
CREATE TABLE km2_queued AS SELECT * FROM km2_queued_view;
CREATE TABLE km2_at_once AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, m.code_map, r.user_key, r.user_key,
                                         r.completed, r.skipped, r.replayed, r.added, r.dur,
                                         m.duration_map, r.track_key, m.code_map2, r.track_key) AS s
      FROM km_rows r
      CROSS JOIN (SELECT k.code_map || '{}'::integer[] AS code_map,
                         k.duration_map || '{}'::integer[] AS duration_map,
                         k2.code_map2 || '{}'::integer[] AS code_map2
                  FROM km_maps k, km2_maps k2 OFFSET 0) m) x,
     vinylops.cell_metrics_rows(x.s) c;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps), r.user_key, r.user_key,
                                   r.completed, r.skipped, r.replayed, r.added, r.dur,
                                   (SELECT duration_map || '{}'::integer[] FROM km_maps), r.track_key,
                                   (SELECT code_map2 || '{}'::integer[] FROM km2_maps), r.track_key)
FROM km_rows r;
CREATE TABLE km2_queued_parallel AS SELECT * FROM km2_queued_view;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT (SELECT count(*) FROM km2_subscripted) AS cells,
       (SELECT count(*) FROM (SELECT * FROM km2_subscripted EXCEPT ALL SELECT * FROM km_subscripted) d) > 0
           AS second_addend_moves_cells,
       (SELECT count(*) FROM (SELECT * FROM km2_queued EXCEPT ALL SELECT * FROM km2_subscripted) d) AS only_queued,
       (SELECT count(*) FROM (SELECT * FROM km2_subscripted EXCEPT ALL SELECT * FROM km2_queued) d) AS only_subscripted,
       (SELECT count(*) FROM (SELECT * FROM km2_at_once EXCEPT ALL SELECT * FROM km2_subscripted) d) AS only_at_once,
       (SELECT count(*) FROM (SELECT * FROM km2_subscripted EXCEPT ALL SELECT * FROM km2_at_once) d) AS only_subscripted_2,
       (SELECT count(*) FROM (SELECT * FROM km2_queued_parallel EXCEPT ALL SELECT * FROM km2_subscripted) d) AS only_parallel,
       (SELECT count(*) FROM (SELECT * FROM km2_subscripted EXCEPT ALL SELECT * FROM km2_queued_parallel) d) AS only_subscripted_3;

-- code_map2 as a column of each row (an array held in the row, not a
-- constant or a parameter): no row may wait pointing into it, so each is
-- counted at once; against the subscript of the same column.
CREATE TABLE km2_row_maps AS
SELECT r.n, (SELECT array_agg(((r.n + k) % 5 * 100)::integer) FROM generate_series(1, 60) k) AS m2
FROM km_rows r;
CREATE TABLE km2_row_keyed AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps), r.user_key, r.user_key,
                                         r.completed, r.skipped, r.replayed, r.added, r.dur, NULL, NULL,
                                         m.m2, (r.n % 70)::integer) AS s
      FROM km_rows r JOIN km2_row_maps m ON m.n = r.n) x,
     vinylops.cell_metrics_rows(x.s) c;
CREATE TABLE km2_row_subscripted AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics(r.label, r.code + (SELECT code_map || '{}'::integer[] FROM km_maps)[r.user_key]
                                                    + m.m2[(r.n % 70)::integer],
                                   r.user_key, r.completed, r.skipped, r.replayed, r.added, r.dur, NULL) AS s
      FROM km_rows r JOIN km2_row_maps m ON m.n = r.n) x,
     vinylops.cell_metrics_rows(x.s) c;
SELECT (SELECT count(*) FROM km2_row_subscripted) AS cells,
       (SELECT count(*) FROM (SELECT * FROM km2_row_keyed EXCEPT ALL SELECT * FROM km2_row_subscripted) d) AS only_keyed,
       (SELECT count(*) FROM (SELECT * FROM km2_row_subscripted EXCEPT ALL SELECT * FROM km2_row_keyed) d) AS only_subscripted;

-- The fifteen-argument form: the user set holds user_map[user_key] in place
-- of user_key.  By hand: users 1 and 2 both map to 40, so the cell holds 2
-- values ({40, 50}) for 3 users; user 4 maps to -1 and user 9 lies outside
-- the map: no user, and user_key NULL: no user.  Every row is still counted.
SELECT c.label, c.code, (vinylops.stream_metrics_final(c.metrics)).streams, c.users
FROM (SELECT vinylops.cell_metrics_keyed('a', 0, NULL, NULL, user_key, true, false, false, false,
                                         10, NULL, NULL, NULL, NULL, '{40,40,50,-1}') AS s
      FROM (VALUES (1), (2), (3), (4), (9), (NULL), (1)) v(user_key)) x,
     vinylops.cell_metrics_rows(x.s) c;
SELECT u.users
FROM (SELECT vinylops.cell_metrics_keyed('a', 0, NULL, NULL, user_key, true, false, false, false,
                                         10, NULL, NULL, NULL, NULL, '{40,40,50,-1}') AS s
      FROM (VALUES (1), (2), (3), (4), (9), (NULL), (1)) v(user_key)) x,
     vinylops.cell_metrics_user_sets(x.s) u;
SELECT vinylops.cell_metrics_keyed('a', 0, NULL, NULL, 1, true, true, true, true, 1,
                                   NULL, NULL, NULL, NULL, '{{1}}');

-- The 60,000 rows with a one-to-one user_map (user key k held as 10,000 - k):
-- the same cells, counts and distinct users as the fourteen-argument form,
-- queued, counted at once (the map a joined row's column) and in a parallel plan.
CREATE TABLE km3_maps AS
SELECT (SELECT vinylops.dense_int_array(array_agg(k), array_agg(10000 - k), -1)
        FROM (SELECT DISTINCT user_key AS k FROM km_rows WHERE user_key IS NOT NULL) u) AS user_map;
CREATE VIEW km3_queued_view AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps), r.user_key, r.user_key,
                                         r.completed, r.skipped, r.replayed, r.added, r.dur,
                                         (SELECT duration_map || '{}'::integer[] FROM km_maps), r.track_key,
                                         (SELECT code_map2 || '{}'::integer[] FROM km2_maps), r.track_key,
                                         (SELECT user_map || '{}'::integer[] FROM km3_maps)) AS s
      FROM km_rows r) x,
     vinylops.cell_metrics_rows(x.s) c;
CREATE TABLE km3_queued AS SELECT * FROM km3_queued_view;
CREATE TABLE km3_at_once AS
SELECT c.label, c.code, c.metrics::text AS metrics, c.users
FROM (SELECT vinylops.cell_metrics_keyed(r.label, r.code, m.code_map, r.user_key, r.user_key,
                                         r.completed, r.skipped, r.replayed, r.added, r.dur,
                                         m.duration_map, r.track_key, m.code_map2, r.track_key, m.user_map) AS s
      FROM km_rows r
      CROSS JOIN (SELECT k.code_map || '{}'::integer[] AS code_map,
                         k.duration_map || '{}'::integer[] AS duration_map,
                         k2.code_map2 || '{}'::integer[] AS code_map2,
                         k3.user_map || '{}'::integer[] AS user_map
                  FROM km_maps k, km2_maps k2, km3_maps k3 OFFSET 0) m) x,
     vinylops.cell_metrics_rows(x.s) c;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT vinylops.cell_metrics_keyed(r.label, r.code, (SELECT code_map || '{}'::integer[] FROM km_maps), r.user_key, r.user_key,
                                   r.completed, r.skipped, r.replayed, r.added, r.dur,
                                   (SELECT duration_map || '{}'::integer[] FROM km_maps), r.track_key,
                                   (SELECT code_map2 || '{}'::integer[] FROM km2_maps), r.track_key,
                                   (SELECT user_map || '{}'::integer[] FROM km3_maps))
FROM km_rows r;
CREATE TABLE km3_queued_parallel AS SELECT * FROM km3_queued_view;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- The sets themselves hold the mapped values: 10,000 - k for each user k.
SELECT (SELECT count(*) FROM km3_queued) AS cells,
       (SELECT count(*) FROM (SELECT * FROM km3_queued EXCEPT ALL SELECT * FROM km2_queued) d) AS only_mapped,
       (SELECT count(*) FROM (SELECT * FROM km2_queued EXCEPT ALL SELECT * FROM km3_queued) d) AS only_unmapped,
       (SELECT count(*) FROM (SELECT * FROM km3_at_once EXCEPT ALL SELECT * FROM km2_queued) d) AS only_at_once,
       (SELECT count(*) FROM (SELECT * FROM km2_queued EXCEPT ALL SELECT * FROM km3_at_once) d) AS only_unmapped_2,
       (SELECT count(*) FROM (SELECT * FROM km3_queued_parallel EXCEPT ALL SELECT * FROM km2_queued) d) AS only_parallel,
       (SELECT count(*) FROM (SELECT * FROM km2_queued EXCEPT ALL SELECT * FROM km3_queued_parallel) d) AS only_unmapped_3;
-- Each set holds the mapped keys of cell_metrics' set (1,372 cells), whether
-- rows were queued (the map an InitPlan), counted at once because the map is
-- a stored value that must be detoasted (5,000 elements, 20 kB: TOASTed), or
-- because it is a joined row's column with no other lookup.
CREATE TABLE km3_unmapped_sets AS
SELECT row_number() OVER (ORDER BY label, code) AS i, users
FROM vinylops.cell_metrics_user_sets((SELECT vinylops.cell_metrics(r.label, r.code, r.user_key,
                                             r.completed, r.skipped, r.replayed, r.added, r.dur, NULL)
                                      FROM km_rows r));
CREATE FUNCTION pg_temp.mapped_sets_equal(s vinylops.cell_metrics_state) RETURNS bigint
LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE m.users::text = (SELECT COALESCE(array_agg(10000 - v ORDER BY 10000 - v)::text, '{}')
                                                   FROM unnest(string_to_array(trim(both '{}' FROM k.users::text), ',')::integer[]) v))
    FROM (SELECT row_number() OVER (ORDER BY label, code) AS i, users
          FROM vinylops.cell_metrics_user_sets(s)) m
    JOIN km3_unmapped_sets k USING (i)
$$;
SELECT (SELECT count(*) FROM km3_unmapped_sets) AS user_sets,
       pg_temp.mapped_sets_equal((SELECT vinylops.cell_metrics_keyed(r.label, r.code, NULL, NULL, r.user_key,
                                  r.completed, r.skipped, r.replayed, r.added, r.dur, NULL, NULL, NULL, NULL,
                                  (SELECT user_map || '{}'::integer[] FROM km3_maps)) FROM km_rows r)) AS queued,
       pg_temp.mapped_sets_equal((SELECT vinylops.cell_metrics_keyed(r.label, r.code, NULL, NULL, r.user_key,
                                  r.completed, r.skipped, r.replayed, r.added, r.dur, NULL, NULL, NULL, NULL,
                                  (SELECT user_map FROM km3_maps)) FROM km_rows r)) AS stored_map,
       pg_temp.mapped_sets_equal((SELECT vinylops.cell_metrics_keyed(r.label, r.code, NULL, NULL, r.user_key,
                                  r.completed, r.skipped, r.replayed, r.added, r.dur, NULL, NULL, NULL, NULL,
                                  m.user_map)
                                  FROM km_rows r
                                  CROSS JOIN (SELECT user_map || '{}'::integer[] AS user_map FROM km3_maps OFFSET 0) m))
           AS map_column;
