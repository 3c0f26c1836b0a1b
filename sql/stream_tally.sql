-- stream_tally and stream_tally_rows: every key's row is checked against the
-- same counts computed by GROUP BY key, with stream_metrics' percentage
-- formula written out in SQL (100 × part / whole in float8), compared exactly.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vinylops;
RESET client_min_messages;
SET extra_float_digits = 0;

-- The GROUP BY route: per (g, key), what stream_tally_rows must return.
CREATE FUNCTION pg_temp.pct(part bigint, whole bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN whole > 0 THEN 100.0::float8 * part::float8 / whole::float8 END $$;
CREATE TEMP TABLE tally_input (g integer, k integer, c boolean, r boolean, p boolean, m boolean, d date,
                                dur integer);
-- Group 1: by hand.  Key 7 has a NULL flag (not TRUE), a NULL day (left out
-- of the days) and a NULL duration (left out of the durations: 210 s over
-- 2 timed rows, mean 105); key -3 has no day and no duration at all; the
-- NULL key is skipped.  Fewer rows than the lookahead holds back, so all of
-- them reach their slots in the final function.
INSERT INTO tally_input VALUES
    (1, 7, true, false, NULL, true, '2024-05-01', 200), (1, 7, false, true, true, false, NULL, NULL),
    (1, 7, true, true, false, true, '2024-04-30', 10), (1, -3, true, NULL, NULL, NULL, NULL, NULL),
    (1, NULL, true, true, true, true, '2024-06-01', 5);
SELECT * FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(k, c, r, p, m, d, dur)
                                          FROM tally_input WHERE g = 1));
-- Groups 2-41: keys dense (a user table's), spread over a wide range, negative,
-- at both ends of int32 (each group spans less than 2^24 keys), with random
-- flags, NULLs, the infinite days and the largest duration.
INSERT INTO tally_input
SELECT 2 + i % 40 AS g,
       CASE (i % 40) % 5
            WHEN 0 THEN 1 + (hashint4(i) & 4095)
            WHEN 1 THEN (hashint4(i) % 50000) * 3
            WHEN 2 THEN -(hashint4(i) & 1023)
            WHEN 3 THEN -2147483648 + (hashint4(i) & 63)
            ELSE 2147483647 - (hashint4(i) & 63)
       END AS k,
       CASE WHEN i % 97 = 0 THEN NULL ELSE hashint4(i + 1) % 3 = 0 END,
       hashint4(i + 2) % 5 = 0, hashint4(i + 3) % 7 = 0,
       CASE WHEN i % 89 = 0 THEN NULL ELSE hashint4(i + 4) % 2 = 0 END,
       CASE WHEN i % 83 = 0 THEN NULL
            WHEN i % 1999 = 0 THEN 'infinity'::date
            WHEN i % 2003 = 0 THEN '-infinity'::date
            ELSE DATE '2024-01-01' + (hashint4(i + 5) & 255) END,
       CASE WHEN i % 79 = 0 THEN NULL
            WHEN i % 2011 = 0 THEN 2147483647
            ELSE hashint4(i + 6) & 1023 END
FROM generate_series(1, 200000) i;
CREATE TEMP TABLE expected_rows AS
SELECT g, k AS key, count(*) AS streams, count(*) FILTER (WHERE c) AS completed,
       count(*) FILTER (WHERE r) AS replayed, count(*) FILTER (WHERE p) AS playlisted,
       count(*) FILTER (WHERE m) AS marked,
       pg_temp.pct(count(*) FILTER (WHERE c), count(*)) AS completion_pct,
       pg_temp.pct(count(*) FILTER (WHERE r), count(*)) AS replay_pct,
       pg_temp.pct(count(*) FILTER (WHERE p), count(*)) AS playlist_add_pct,
       pg_temp.pct(count(*) FILTER (WHERE m), count(*)) AS marked_pct,
       min(d) AS first_day, max(d) AS last_day, sum(dur) AS total_duration,
       sum(dur)::float8 / NULLIF(count(dur), 0)::float8 AS avg_duration_sec
FROM tally_input WHERE k IS NOT NULL GROUP BY g, k;
CREATE TEMP TABLE tallies AS
SELECT g, vinylops.stream_tally(k, c, r, p, m, d, dur) AS t FROM tally_input GROUP BY g;
CREATE TEMP TABLE tally_rows AS
SELECT t.g, r.* FROM tallies t, vinylops.stream_tally_rows(t.t) r;
SELECT (SELECT count(*) FROM expected_rows) AS expected_keys,
       (SELECT count(*) FROM tally_rows) AS tally_keys,
       (SELECT count(*) FROM (SELECT * FROM expected_rows EXCEPT SELECT * FROM tally_rows) x) AS missing,
       (SELECT count(*) FROM (SELECT * FROM tally_rows EXCEPT SELECT * FROM expected_rows) x) AS extra;
-- Keys come out ascending, within each tally.
SELECT bool_and(ordered) AS ascending
FROM (SELECT key > lag(key) OVER w OR lag(key) OVER w IS NULL AS ordered
      FROM (SELECT g, key, row_number() OVER () AS n FROM tally_rows) x
      WINDOW w AS (PARTITION BY g ORDER BY n)) y;

-- Text and binary forms round-trip, and list exactly the keys with streams.
SELECT count(*) AS tallies,
       count(*) FILTER (WHERE t::text::vinylops.stream_tally::text = t::text) AS text_round_trips,
       count(*) FILTER (WHERE vinylops.stream_tally_send(t::text::vinylops.stream_tally)
                              = vinylops.stream_tally_send(t)) AS same_binary
FROM tallies;

-- Partial states combined (parallel workers) give the serial rows (a plain
-- table: workers cannot read a temporary one).
CREATE TABLE tally_par AS SELECT * FROM tally_input WHERE g > 1;
ANALYZE tally_par;
\i sql/include/force_parallel.psql
-- Only the workers read rows, so the result is their states combined.
SET parallel_leader_participation = off;
\set dense 'SELECT vinylops.stream_tally(k, c, r, p, m, d, dur) AS t FROM tally_par WHERE g = 2'
SELECT pg_temp.plan_has(:'dense', 'Partial Aggregate') AS partial_aggregate;
CREATE TEMP TABLE parallel_rows AS SELECT r.* FROM (:dense) x, vinylops.stream_tally_rows(x.t) r;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
CREATE TEMP TABLE serial_rows AS
SELECT key, streams, completed, replayed, playlisted, marked, completion_pct, replay_pct,
       playlist_add_pct, marked_pct, first_day, last_day, total_duration, avg_duration_sec
FROM expected_rows WHERE g = 2;
SELECT (SELECT count(*) FROM serial_rows) AS keys,
       (SELECT count(*) FROM (SELECT * FROM serial_rows EXCEPT SELECT * FROM parallel_rows) x) AS missing,
       (SELECT count(*) FROM (SELECT * FROM parallel_rows EXCEPT SELECT * FROM serial_rows) x) AS extra;
DROP TABLE tally_par;

-- The mark looked up inside the aggregate (marks[mark_key] = 1), against the
-- caller's subscript: every group's rows, known_only off (all rows counted)
-- and on (rows without an element >= 0 left out, as a WHERE leaves them).
-- The mark keys run from -50 to 461, the array from 0 to 399 with 1, 0 and -1
-- elements; every 13th mark key is NULL.
CREATE TABLE marks AS
SELECT ('[0:399]=' || array_agg(CASE WHEN i % 11 = 0 THEN -1 ELSE hashint4(i) & 1 END ORDER BY i)::text)::integer[]
           AS m
FROM generate_series(0, 399) i;
CREATE TABLE marked_input AS
SELECT g, k, c, r, p, d, dur,
       CASE WHEN hashint4(i::integer) % 13 = 0 THEN NULL ELSE (hashint4(i::integer + 9) & 511) - 50 END AS mk
FROM (SELECT t.*, row_number() OVER () AS i FROM tally_input t) x;
ANALYZE marked_input;
SELECT count(*) FILTER (WHERE mk IS NULL) AS null_mark_keys,
       count(*) FILTER (WHERE mk NOT BETWEEN 0 AND 399) AS outside,
       count(*) FILTER (WHERE (SELECT m FROM marks)[mk] = -1) AS on_minus_one,
       count(*) FILTER (WHERE (SELECT m FROM marks)[mk] = 1) AS marked
FROM marked_input;
\set lookup_all 'SELECT g, vinylops.stream_tally(k, c, r, p, (SELECT m FROM marks), mk, false, d, dur) AS t FROM marked_input GROUP BY g'
\set subscript_all 'SELECT g, vinylops.stream_tally(k, c, r, p, (SELECT m FROM marks)[mk] = 1, d, dur) AS t FROM marked_input GROUP BY g'
\set lookup_known 'SELECT g, vinylops.stream_tally(k, c, r, p, (SELECT m FROM marks), mk, true, d, dur) AS t FROM marked_input GROUP BY g'
\set subscript_known 'SELECT g, vinylops.stream_tally(k, c, r, p, (SELECT m FROM marks)[mk] = 1, d, dur) AS t FROM marked_input WHERE (SELECT m FROM marks)[mk] >= 0 GROUP BY g'
CREATE FUNCTION pg_temp.rows_differing(lookup text, subscript text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((SELECT x.g, r.* FROM (%s) x, vinylops.stream_tally_rows(x.t) r
                                           EXCEPT SELECT y.g, r.* FROM (%s) y, vinylops.stream_tally_rows(y.t) r)
                                          UNION ALL
                                          (SELECT y.g, r.* FROM (%s) y, vinylops.stream_tally_rows(y.t) r
                                           EXCEPT SELECT x.g, r.* FROM (%s) x, vinylops.stream_tally_rows(x.t) r)) d',
                   lookup, subscript, subscript, lookup) INTO n;
    RETURN n;
END $$;
SELECT (SELECT count(*) FROM (:lookup_all) x, vinylops.stream_tally_rows(x.t) r) AS rows_all,
       (SELECT sum(r.marked) FROM (:lookup_all) x, vinylops.stream_tally_rows(x.t) r) AS marked_all,
       pg_temp.rows_differing(:'lookup_all', :'subscript_all') AS differing_all;
SELECT (SELECT sum(r.streams) FROM (:lookup_known) x, vinylops.stream_tally_rows(x.t) r) AS streams_known,
       (SELECT sum(r.streams) FROM (:subscript_known) x, vinylops.stream_tally_rows(x.t) r) AS streams_known_by_where,
       pg_temp.rows_differing(:'lookup_known', :'subscript_known') AS differing_known;
-- In a parallel plan, only workers reading rows (the array an InitPlan's, sent to them).
-- (plan_has is defined above, by the first force_parallel.psql.)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
-- The parallel rows are kept first (the query checked for a partial
-- aggregate is the one that fills the table), then compared with the serial
-- subscript route.
\set lookup_rows 'SELECT x.g, r.* FROM (' :lookup_known ') x, vinylops.stream_tally_rows(x.t) r'
SELECT pg_temp.plan_has('CREATE TEMP TABLE lookup_parallel_rows AS ' || :'lookup_rows', 'Partial')
           AS lookup_partial;
CREATE TEMP TABLE lookup_parallel_rows AS :lookup_rows;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT (SELECT count(*) FROM lookup_parallel_rows) AS parallel_rows,
       (SELECT count(*) FROM (SELECT * FROM lookup_parallel_rows
                              EXCEPT SELECT y.g, r.* FROM (:subscript_known) y, vinylops.stream_tally_rows(y.t) r) d)
           AS parallel_missing_from_serial,
       (SELECT count(*) FROM (SELECT y.g, r.* FROM (:subscript_known) y, vinylops.stream_tally_rows(y.t) r
                              EXCEPT SELECT * FROM lookup_parallel_rows) d) AS serial_missing_from_parallel;
-- After 4,096 rows the aggregate reads the marks from a packed copy, which a
-- rescan drops: per outer value v the marks array (an InitPlan depending on
-- v) differs, and the aggregate, a subquery run again for each v, must read
-- each v's own marks.  Against the subscript route, every key's counts.
CREATE TEMP TABLE marked_dense AS SELECT * FROM marked_input WHERE g % 5 = 2;  -- keys 1 to 4,096
SELECT count(*) AS dense_rows FROM marked_dense;
\set marks_of_v '(SELECT array_agg(CASE WHEN i % 11 = 0 THEN -1 ELSE (hashint4(i) >> v.v) & 1 END ORDER BY i) FROM generate_series(0, 399) i)'
SELECT v.v,
       (SELECT sum(r.marked)
        FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(k, c, r, p, :marks_of_v, mk, false, d, dur)
                                         FROM marked_dense)) r) AS marked,
       (SELECT count(*)
        FROM ((SELECT r.* FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(k, c, r, p, :marks_of_v, mk, false, d, dur)
                                                          FROM marked_dense)) r
               EXCEPT ALL
               SELECT r.* FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(k, c, r, p, :marks_of_v[mk] = 1, d, dur)
                                                          FROM marked_dense)) r)
              UNION ALL
              (SELECT r.* FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(k, c, r, p, :marks_of_v[mk] = 1, d, dur)
                                                          FROM marked_dense)) r
               EXCEPT ALL
               SELECT r.* FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(k, c, r, p, :marks_of_v, mk, false, d, dur)
                                                          FROM marked_dense)) r)) d) AS differing
FROM (VALUES (0), (1), (2)) v(v);
-- The copies built, counted by their DEBUG1 line: one per run of the
-- subquery (three), and none for a sorted GROUP BY whose groups (one per
-- key, about 10 rows each) stay below 4,096 rows, however many rows the
-- query reads; its marks still equal the subscript route's.
SET jit = off;  -- JIT writes DEBUG1 lines of its own
SET client_min_messages = debug1;
SELECT v.v,
       (SELECT sum(r.marked)
        FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(k, c, r, p, :marks_of_v, mk, true, d, dur)
                                         FROM marked_dense)) r) AS marked_known
FROM (VALUES (0), (1), (2)) v(v);
SET enable_hashagg = off;
SELECT count(*) AS groups, sum(x.marked) AS marked,
       (SELECT count(*) FROM marked_dense WHERE (SELECT m FROM marks)[mk] = 1) AS by_subscript
FROM (SELECT k, (SELECT r.marked FROM vinylops.stream_tally_rows(vinylops.stream_tally(k, c, r, p, (SELECT m FROM marks), mk, false, d, dur)) r) AS marked
      FROM marked_dense GROUP BY k) x;
RESET enable_hashagg;
RESET client_min_messages;
RESET jit;
-- A wrong array is an error; a NULL one marks nothing (and with known_only leaves every row out).
SELECT vinylops.stream_tally(1, NULL, NULL, NULL, '{{1},{1}}'::integer[], 1, false, NULL, NULL);
SELECT r.streams, r.marked
FROM vinylops.stream_tally_rows((SELECT vinylops.stream_tally(1, NULL, NULL, NULL, NULL::integer[], 1, false, NULL, NULL))) r;
SELECT vinylops.stream_tally(1, NULL, NULL, NULL, NULL::integer[], 1, true, NULL, NULL) IS NULL AS all_left_out;
DROP TABLE marks, marked_input, lookup_parallel_rows;

-- Direct calls copy: the arguments are unchanged.  A row added by a direct
-- call waits in the lookahead; the text form settles it first.
WITH a AS (SELECT '{(1,2,1,0,0,0,1,8766,8766,1,30)}'::vinylops.stream_tally AS t)
SELECT vinylops.stream_tally_accum(t, 1, true, true, true, true, '2024-01-02', 7) AS added,
       vinylops.stream_tally_accum(t, -5, NULL, NULL, NULL, NULL, NULL, NULL) AS new_key,
       vinylops.stream_tally_accum(t, NULL, true, true, true, true, NULL, 1) AS null_key,
       vinylops.stream_tally_combine(t, '{(0,1,1,1,1,1,0,0,0,0,0),(1,1,0,0,0,0,1,8700,8700,1,5)}')
           AS combined,
       t AS original
FROM a;
-- A waiting row is part of the tally everywhere: in combine (both sides),
-- in stream_tally_rows and in the binary form.
WITH a AS (SELECT vinylops.stream_tally_accum('{(1,1,0,0,0,0,0,0,0,0,0)}', 1, true, NULL, NULL, NULL,
                                              NULL, 4) AS t)
SELECT vinylops.stream_tally_combine(t, t) AS doubled,
       (SELECT r.streams FROM vinylops.stream_tally_rows(t) r) AS streams,
       vinylops.stream_tally_send(t) = vinylops.stream_tally_send('{(1,2,1,0,0,0,0,0,0,1,4)}')
           AS same_binary
FROM a;
-- A negative duration is an error, as in stream_metrics.
SELECT vinylops.stream_tally(1, NULL, NULL, NULL, NULL, NULL, -1);
-- No rows, only NULL keys, an empty tally: no rows out.
SELECT vinylops.stream_tally(k, true, true, true, true, NULL, NULL) IS NULL AS no_state
FROM (VALUES (NULL::integer)) v(k);
SELECT count(*) AS rows_of_null FROM vinylops.stream_tally_rows(NULL);
SELECT '{}'::vinylops.stream_tally AS empty, count(*) AS rows_of_empty FROM vinylops.stream_tally_rows('{}');

-- One tally spans at most 2^24 keys (704 MB of the widest slots); past that, an error
-- (stream_tally is for dense keys such as users.user_key).
SELECT vinylops.stream_tally(k, true, true, true, true, NULL, NULL)
FROM (VALUES (0), (16777216)) v(k);
SELECT vinylops.stream_tally_combine('{(0,1,0,0,0,0,0,0,0,0,0)}', '{(-16777216,1,0,0,0,0,0,0,0,0,0)}');
-- A slot holds the streams and only the counts some row has needed: 4 bytes
-- per key for streams alone, 8 with completed, 44 with every field (the
-- streams, four flags, three day fields, timed and an 8-byte duration).
-- Measured as the size of a tally of keys 1 and 2 less that of key 1 alone.
SELECT pg_column_size(b.streams_only) - pg_column_size(a.streams_only) AS streams_only_bytes,
       pg_column_size(b.with_completed) - pg_column_size(a.with_completed) AS with_completed_bytes,
       pg_column_size(b.every_field) - pg_column_size(a.every_field) AS every_field_bytes
FROM (SELECT vinylops.stream_tally(k, NULL, NULL, NULL, NULL, NULL, NULL) AS streams_only,
             vinylops.stream_tally(k, true, NULL, NULL, NULL, NULL, NULL) AS with_completed,
             vinylops.stream_tally(k, true, true, true, true, DATE '2024-01-01', 5) AS every_field
      FROM (VALUES (1)) v(k)) a,
     (SELECT vinylops.stream_tally(k, NULL, NULL, NULL, NULL, NULL, NULL) AS streams_only,
             vinylops.stream_tally(k, true, NULL, NULL, NULL, NULL, NULL) AS with_completed,
             vinylops.stream_tally(k, true, true, true, true, DATE '2024-01-01', 5) AS every_field
      FROM (VALUES (1), (2)) v(k)) b;

-- A tally whose first rows need fewer counts than later ones, and tallies of
-- different layouts combined either way round, keep every count: against
-- GROUP BY, key by key.  Rows 1-3,000 set nothing; from row 3,001 each kind
-- of count starts at a row of its own.
CREATE TEMP TABLE layout_rows AS
SELECT i, 1 + (i * 7919) % 500 AS k,
       CASE WHEN i > 3000 THEN i % 2 = 0 END AS c,
       CASE WHEN i > 3400 THEN i % 3 = 0 END AS r,
       CASE WHEN i > 3800 THEN i % 5 = 0 END AS p,
       CASE WHEN i > 4200 THEN i % 7 = 0 END AS m,
       CASE WHEN i > 4600 THEN DATE '2024-01-01' + i % 90 END AS d,
       CASE WHEN i > 5000 THEN i % 400 END AS s
FROM generate_series(1, 6000) i;
WITH expected AS (
    SELECT k, count(*) AS streams, count(*) FILTER (WHERE c) AS completed,
           count(*) FILTER (WHERE r) AS replayed, count(*) FILTER (WHERE p) AS playlisted,
           count(*) FILTER (WHERE m) AS marked, min(d) AS first_day, max(d) AS last_day,
           sum(s) AS total_duration, sum(s)::float8 / count(s) AS avg_duration_sec
    FROM layout_rows GROUP BY k
), tallies AS (
    SELECT vinylops.stream_tally(k, c, r, p, m, d, s ORDER BY i) AS whole,
           vinylops.stream_tally(k, c, r, p, m, d, s ORDER BY i) FILTER (WHERE i <= 3000) AS early,
           vinylops.stream_tally(k, c, r, p, m, d, s ORDER BY i) FILTER (WHERE i > 3000) AS late
    FROM layout_rows
), got AS (
    SELECT 'whole' AS route, r.* FROM tallies t, vinylops.stream_tally_rows(t.whole) r
    UNION ALL
    SELECT 'narrow into wide', r.*
    FROM tallies t, vinylops.stream_tally_rows(vinylops.stream_tally_combine(t.late, t.early)) r
    UNION ALL
    SELECT 'wide into narrow', r.*
    FROM tallies t, vinylops.stream_tally_rows(vinylops.stream_tally_combine(t.early, t.late)) r
)
SELECT g.route, count(*) AS keys,
       count(*) FILTER (WHERE (g.streams, g.completed, g.replayed, g.playlisted, g.marked,
                               g.first_day, g.last_day, g.total_duration, g.avg_duration_sec)
                              IS DISTINCT FROM
                              (e.streams, e.completed, e.replayed, e.playlisted, e.marked,
                               e.first_day, e.last_day, e.total_duration, e.avg_duration_sec)) AS differing
FROM got g FULL JOIN expected e ON e.k = g.key
GROUP BY g.route ORDER BY g.route;
-- The same three as text (every field of every key, dated and timed too),
-- and through a parallel plan whose workers' tallies start with different
-- layouts (only workers reading rows; the table is a plain one, as workers
-- cannot read a temporary one).
SELECT (SELECT vinylops.stream_tally(k, c, r, p, m, d, s ORDER BY i)::text FROM layout_rows)
       = (SELECT vinylops.stream_tally_combine(
                     (SELECT vinylops.stream_tally(k, c, r, p, m, d, s) FROM layout_rows WHERE i > 3000),
                     (SELECT vinylops.stream_tally(k, c, r, p, m, d, s) FROM layout_rows WHERE i <= 3000))::text)
       AND (SELECT vinylops.stream_tally(k, c, r, p, m, d, s ORDER BY i)::text FROM layout_rows)
       = (SELECT vinylops.stream_tally_combine(
                     (SELECT vinylops.stream_tally(k, c, r, p, m, d, s) FROM layout_rows WHERE i <= 3000),
                     (SELECT vinylops.stream_tally(k, c, r, p, m, d, s) FROM layout_rows WHERE i > 3000))::text)
       AS same_text;
CREATE TABLE layout_rows_plain AS SELECT * FROM layout_rows ORDER BY i;
ANALYZE layout_rows_plain;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SET max_parallel_workers_per_gather = 2;
SELECT pg_temp.plan_has($$SELECT vinylops.stream_tally(k, c, r, p, m, d, s) FROM layout_rows_plain$$,
                        'Partial Aggregate') AS layout_parallel_plan;
SELECT (SELECT vinylops.stream_tally(k, c, r, p, m, d, s)::text FROM layout_rows_plain)
       = (SELECT vinylops.stream_tally(k, c, r, p, m, d, s ORDER BY i)::text FROM layout_rows)
       AS layout_parallel_same;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
DROP TABLE layout_rows_plain;
-- A row waiting in the lookahead of the tally combined in, with a count
-- neither tally holds and a key outside the target: widened, then grown.
SELECT vinylops.stream_tally_combine('{(10,1,0,0,0,0,0,0,0,0,0)}',
                                     vinylops.stream_tally_accum('{(10,1,0,0,0,0,0,0,0,0,0)}', 500, NULL, NULL, NULL, NULL,
                                                                 DATE '2024-03-01', 7)) AS waiting_row_widened;
-- A key timed once for 0 seconds keeps its timed count: its duration is 0
-- and its mean 0, not NULL, through the text form and stream_tally_rows.
SELECT t::text AS timed_zero, r.total_duration, r.avg_duration_sec
FROM (SELECT '{(3,1,0,0,0,0,0,0,0,1,0)}'::vinylops.stream_tally AS t) x,
     vinylops.stream_tally_rows(x.t) r;

-- A tally grows by a quarter of its keys' span, on the side a new key came
-- from and never below key 1 while every key is positive: filled with the
-- keys 1 .. 100,000 in a scrambled order or in rising order, it holds at most
-- 125,000 slots.  Growth by doubling left 131,072 slots for rising keys and
-- about twice the span for scrambled ones, and every copy of the state
-- carried them.  Slots are counted from the size, less that of a one-key
-- tally, at 8 bytes a slot (streams and completed, as above).
WITH one AS (
    SELECT pg_column_size(vinylops.stream_tally(1, true, NULL, NULL, NULL, NULL, NULL)) AS bytes
), filled AS (
    SELECT vinylops.stream_tally(i, true, NULL, NULL, NULL, NULL, NULL ORDER BY hashint4(i)) AS scrambled,
           vinylops.stream_tally(i, true, NULL, NULL, NULL, NULL, NULL ORDER BY i) AS rising
    FROM generate_series(1, 100000) i
)
SELECT (pg_column_size(f.scrambled) - o.bytes) / 8 + 1 BETWEEN 100000 AND 125000 AS scrambled_slots_within,
       (pg_column_size(f.rising) - o.bytes) / 8 + 1 BETWEEN 100000 AND 125000 AS rising_slots_within,
       (SELECT count(*) FROM vinylops.stream_tally_rows(f.scrambled)) AS scrambled_keys,
       (SELECT count(*) FROM vinylops.stream_tally_rows(f.rising)) AS rising_keys
FROM filled f, one o;
-- A count past int32 is an error, not a wrap.
SELECT vinylops.stream_tally_combine('{(5,2147483647,0,0,0,0,0,0,0,0,0)}', '{(5,1,0,0,0,0,0,0,0,0,0)}');

-- Text input: keys ascending, counts consistent, numbers in range:
-- (key,streams,completed,replayed,playlisted,marked,dated,first_day,last_day,timed,duration).
SELECT '{(2,1,1,1,1,1,1,100,100,1,2147483647)}'::vinylops.stream_tally AS one,
       '{(-2147483648,1,0,0,0,0,0,0,0,0,0),(-2147483647,2,0,0,0,0,2,-5,7,2,4294967294)}'::vinylops.stream_tally AS lowest,
       '{(2147483646,1,0,0,0,0,0,0,0,0,0),(2147483647,2,0,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally AS highest;
SELECT '{(-2147483648,1,0,0,0,0,0,0,0,0,0),(2147483647,1,0,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally AS too_wide;
SELECT '{(3,1,0,0,0,0,0,0,0,0,0),(2,1,0,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally;
SELECT '{(3,1,0,0,0,0,0,0,0,0,0),(3,1,0,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally;
SELECT '{(3,0,0,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally;
SELECT '{(3,2,3,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally;
SELECT '{(3,2,0,0,0,-1,0,0,0,0,0)}'::vinylops.stream_tally;
SELECT '{(3,2,0,0,0,0,0,0,17,0,0)}'::vinylops.stream_tally;
SELECT '{(3,2,0,0,0,0,1,18,17,0,0)}'::vinylops.stream_tally;
SELECT '{(3,2,0,0,0,0,0,0,0,0,5)}'::vinylops.stream_tally;
SELECT '{(3,2,0,0,0,0,0,0,0,1,2147483648)}'::vinylops.stream_tally;
SELECT '{(3,2,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally;
SELECT '{(3,2147483648,0,0,0,0,0,0,0,0,0)}'::vinylops.stream_tally;
SELECT '{(3,1,0,0,0,0,0,0,0,1,9223372036854775808)}'::vinylops.stream_tally;
SELECT '{(3,1,0,0,0,0,0,0,0,0,0)'::vinylops.stream_tally;
SELECT '{(3,1,0,0,0,0,0,0,0,0,0)}x'::vinylops.stream_tally;
SELECT '(3,1,0,0,0,0,0,0,0,0,0)'::vinylops.stream_tally;

-- Binary input, through a binary COPY file read into a column of the type.
\i sql/include/binary_input.psql
-- Valid tallies come back as themselves; a cut, a longer payload, a count of
-- keys the bytes do not hold, keys out of order and inconsistent counts fail.
-- Per key: ten int32 (the key and the counts), then the int64 duration.
SELECT v.label, pg_temp.try_recv(v.bytes, 'vinylops.stream_tally') AS outcome
FROM (VALUES
    ('ok', vinylops.stream_tally_send('{(-3,2,1,1,0,2,1,8766,8766,2,7),(40,1,0,0,0,0,0,0,0,0,0)}')),
    ('empty', vinylops.stream_tally_send('{}')),
    ('cut', substr(vinylops.stream_tally_send('{(-3,2,1,1,0,2,1,8766,8766,0,0)}'), 1, 20)),
    ('longer', vinylops.stream_tally_send('{(-3,2,1,1,0,2,1,8766,8766,0,0)}') || '\x00'::bytea),
    ('no count', '\x0000'::bytea),
    ('negative count', '\xffffffff'::bytea),
    ('huge count', '\x7fffffff00000001'::bytea),
    ('unsorted', '\x00000002'
                 || '\x00000005000000010000000000000000000000000000000000000000000000000000000000000000'::bytea
                 || '\x0000000000000000'::bytea
                 || '\x00000004000000010000000000000000000000000000000000000000000000000000000000000000'::bytea
                 || '\x0000000000000000'::bytea),
    ('completed > streams', '\x00000001'
                 || '\x00000005000000010000000200000000000000000000000000000000000000000000000000000000'::bytea
                 || '\x0000000000000000'::bytea),
    ('negative duration', '\x00000001'
                 || '\x00000005000000010000000000000000000000000000000000000000000000000000000000000001'::bytea
                 || '\xffffffffffffffff'::bytea)
) v(label, bytes);
