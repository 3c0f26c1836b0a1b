-- The platform aggregates (issue 8, item 5; doc/platform.md): playback_metrics
-- and int_histogram_agg with histogram_percentile_cont.  Hand-worked fixtures
-- with the answers in the comments; equality with the plain-SQL formulation
-- (count/sum FILTER, percentile_cont) on generated data; partial aggregation
-- in a forced parallel plan; the state types' text and binary input, with a
-- fuzz of mutated text states.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- The aggregates stopped before their final functions: their states.
CREATE AGGREGATE pg_temp.playback_state(text, integer) (
    SFUNC = vinylops.playback_metrics_accum, STYPE = vinylops.playback_metrics_state,
    INITCOND = 'events=0 plays=0 buffers=0 buffer_ms=0/0 errors=0');
CREATE AGGREGATE pg_temp.histogram_state(integer) (
    SFUNC = vinylops.int_histogram_accum, STYPE = vinylops.int_histogram);

-- ---------------------------------------------------------------------------
-- playback_metrics, by hand.  Eight rows: plays 400 and 800 ms; buffers of
-- 1800 ms, of unknown length (NULL) and 200 ms; one error, one pause, one row
-- without a type.  events 8, plays 2, buffer_events 3, buffer_ms 1800 + 200 =
-- 2000 (from 2 buffers with a length), errors 1.
CREATE TEMP TABLE fixture (t text, d integer);
INSERT INTO fixture VALUES ('play', 400), ('play', 800), ('buffer', 1800), ('buffer', NULL),
                           ('buffer', 200), ('error', NULL), ('pause', NULL), (NULL, 5);
SELECT (vinylops.playback_metrics(t, d)).* FROM fixture;
SELECT pg_temp.playback_state(t, d) AS state FROM fixture;
-- No rows: all zero.  A buffer of negative length (only a dropped CHECK lets one
-- into the table) is summed as it is: 1800 - 300 = 1500.
SELECT (vinylops.playback_metrics(t, d)).* FROM fixture WHERE false;
SELECT (vinylops.playback_metrics(t, d)).buffer_ms FROM (VALUES ('buffer', 1800), ('buffer', -300)) v(t, d);
-- Case matters and only the exact words count: 'Play' and 'plays' are other events.
SELECT (vinylops.playback_metrics(t, NULL)).* FROM (VALUES ('Play'), ('plays'), ('play'), ('')) v(t);
-- Combine adds field by field: the fixture twice is twice the counts.
SELECT vinylops.playback_metrics_combine(s, s) FROM (SELECT pg_temp.playback_state(t, d) AS s FROM fixture) x;

-- ---------------------------------------------------------------------------
-- int_histogram_agg and histogram_percentile_cont, by hand.
-- {400, 800}: p50 = 400 + 0.5 * 400 = 600; p95 = 400 + 0.95 * 400 = 780.
SELECT vinylops.int_histogram_agg(v) AS h,
       vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(v), 0.5) AS p50,
       vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(v), 0.95) AS p95
FROM (VALUES (800), (400)) x(v);
-- {100, 300, 300, 700} (ties): n - 1 = 3; p0 = 100; p50: 1.5 -> rows 1 and 2 (from 0),
-- both 300 -> 300; p95: 2.85 -> 300 + 0.85 * 400 = 640 (639.9999999999999 in float8:
-- 2.85 - 2 is not exactly 0.85, and percentile_cont says the same, last column);
-- p100 = 700; p25: 0.75 -> 100 + 0.75 * 200 = 250.  NULLs are skipped: 4 values.
SELECT h, vinylops.histogram_count(h) AS n,
       vinylops.histogram_percentile_cont(h, 0) AS p0, vinylops.histogram_percentile_cont(h, 0.25) AS p25,
       vinylops.histogram_percentile_cont(h, 0.5) AS p50, vinylops.histogram_percentile_cont(h, 0.95) AS p95,
       vinylops.histogram_percentile_cont(h, 1) AS p100, core_p95
FROM (SELECT vinylops.int_histogram_agg(v) AS h, percentile_cont(0.95) WITHIN GROUP (ORDER BY v) AS core_p95
      FROM (VALUES (300), (NULL), (700), (100), (NULL), (300)) x(v)) y;
-- One value: every percentile is that value.  Negative values: {-5, 3}, p50 = -5 + 0.5 * 8 = -1.
SELECT vinylops.histogram_percentile_cont('{42:7}', 0.37) AS one_value,
       vinylops.histogram_percentile_cont('{-5:1,3:1}', 0.5) AS negative;
-- No values: NULL histogram and NULL percentiles; an empty histogram too.
SELECT vinylops.int_histogram_agg(v) IS NULL AS no_histogram,
       vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(v), 0.5) IS NULL AS no_percentile
FROM (VALUES (NULL::integer)) x(v);
SELECT vinylops.histogram_percentile_cont('{}', 0.5) IS NULL AS empty_is_null,
       vinylops.histogram_count('{}') AS empty_count,
       vinylops.histogram_percentile_cont('{1:1}', NULL) IS NULL AS null_fraction;
-- A fraction outside [0, 1] is percentile_cont's error (22003), as for percentile_cont.
SELECT vinylops.histogram_percentile_cont('{1:1}', 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT vinylops.histogram_percentile_cont('{1:1}', 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY 1);
\echo :LAST_ERROR_SQLSTATE
-- Combine merges sorted runs, adding equal values' counts: {1:3,3:4,5:1}.
SELECT vinylops.int_histogram_combine('{1:2,5:1}', '{1:1,3:4}') AS merged;
-- Called directly, the transition and combine functions never change their arguments.
SELECT h AS before, vinylops.int_histogram_accum(h, 2) AS after_2, h AS still
FROM (SELECT '{1:1,3:1}'::vinylops.int_histogram AS h) x;
-- The extremes of integer interpolate without overflow: p50 of {-2147483648, 2147483647}
-- = -2147483648 + 0.5 * 4294967295 = -0.5.
SELECT vinylops.histogram_percentile_cont('{-2147483648:1,2147483647:1}', 0.5) AS extremes;

-- ---------------------------------------------------------------------------
-- Against the SQL formulation on generated data: 300,000 rows in 40 groups, of
-- every size from 1 row up, with ties (startup-like values), wide ranges,
-- NULLs, and a group of 60,000 distinct values (many merges and regrowths).
SELECT setseed(0.8);
CREATE TABLE public.agg_events AS
SELECT i, g,
       (ARRAY['play', 'buffer', 'error', 'pause', 'resume', 'stop', NULL])[1 + floor(random() * 7)::integer] AS t,
       CASE WHEN random() < 0.05 THEN NULL
            WHEN g = 0 THEN i::integer * 7919 % 60001 - 30000                  -- 60,000 distinct
            WHEN g = 1 THEN floor((random() - 0.5) * 4294967295.0)::integer    -- all of int32
            WHEN g % 3 = 0 THEN floor(random() * 10)::integer                  -- heavy ties
            ELSE floor(250 * 0.5 / (1 - 0.9 * random()))::integer             -- startup times
       END AS d
FROM (SELECT i, CASE WHEN i <= 60000 THEN 0 ELSE (i * 37) % 39 + 1 END AS g
      FROM generate_series(1, 300000) i) s
WHERE g <> 39 OR i % 1000 = 0;          -- group 39 is small
INSERT INTO public.agg_events VALUES (300001, 40, 'play', 12345);  -- a group of one row
ANALYZE public.agg_events;

-- playback_metrics = the count/sum FILTER columns playback_health used to compute, per group.
SELECT count(*) AS groups,
       count(*) FILTER (WHERE (a.m).events = b.events AND (a.m).plays = b.plays
                          AND (a.m).buffer_events = b.buffers AND (a.m).buffer_ms = b.buffer_ms
                          AND (a.m).errors = b.errors) AS equal
FROM (SELECT g, vinylops.playback_metrics(t, d) AS m FROM public.agg_events GROUP BY g) a
JOIN (SELECT g, count(*) AS events, count(*) FILTER (WHERE t = 'play') AS plays,
             count(*) FILTER (WHERE t = 'buffer') AS buffers,
             coalesce(sum(d) FILTER (WHERE t = 'buffer'), 0) AS buffer_ms,
             count(*) FILTER (WHERE t = 'error') AS errors
      FROM public.agg_events GROUP BY g) b USING (g);

-- The histogram = the value counts written as text by SQL; percentiles = percentile_cont,
-- exactly (float8 =): p50 and p95 as playback_health asks for them, with and without
-- a FILTER, and 13 fractions through percentile_cont's array form.
SELECT count(*) AS groups, count(*) FILTER (WHERE h.h::text = c.h) AS same_histogram,
       count(*) FILTER (WHERE vinylops.histogram_count(h.h) = c.n) AS same_count
FROM (SELECT g, vinylops.int_histogram_agg(d) AS h FROM public.agg_events GROUP BY g) h
JOIN (SELECT g, '{' || string_agg(d || ':' || n, ',' ORDER BY d) || '}' AS h, sum(n) AS n
      FROM (SELECT g, d, count(*) AS n FROM public.agg_events WHERE d IS NOT NULL GROUP BY g, d) x
      GROUP BY g) c USING (g);
SELECT count(*) AS groups,
       count(*) FILTER (WHERE p.mine50 = p.core50 AND p.mine95 = p.core95) AS equal,
       count(*) FILTER (WHERE p.fmine50 = p.fcore50 AND p.fmine95 = p.fcore95) AS equal_filtered,
       count(*) FILTER (WHERE p.fcore50 IS NULL AND p.fmine50 IS NULL) AS both_null_no_plays,
       count(*) FILTER (WHERE p.mine_all = p.core_all) AS equal_13_fractions
FROM (SELECT g,
             vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d), 0.5) AS mine50,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS core50,
             vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d), 0.95) AS mine95,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS core95,
             vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d) FILTER (WHERE t = 'play'), 0.5) AS fmine50,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FILTER (WHERE t = 'play') AS fcore50,
             vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d) FILTER (WHERE t = 'play'), 0.95) AS fmine95,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY d) FILTER (WHERE t = 'play') AS fcore95,
             ARRAY(SELECT vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d), f)
                   FROM unnest('{0,0.01,0.1,0.25,0.3333333333333333,0.5,0.6180339887,0.75,0.9,0.95,0.99,0.999,1}'::float8[])
                        WITH ORDINALITY AS u(f, k) ORDER BY k) AS mine_all,
             percentile_cont('{0,0.01,0.1,0.25,0.3333333333333333,0.5,0.6180339887,0.75,0.9,0.95,0.99,0.999,1}'::float8[])
                 WITHIN GROUP (ORDER BY d) AS core_all
      FROM public.agg_events GROUP BY g) p;
-- Over a window frame (state kept and finalized row after row): the running median of
-- the first 300 values of group 2 against percentile_cont over the same rows.
CREATE TEMP TABLE first_of_2 AS SELECT i, d FROM public.agg_events WHERE g = 2 ORDER BY i LIMIT 300;
SELECT count(*) AS rows_compared,
       count(*) FILTER (WHERE w.running IS NOT DISTINCT FROM
                              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.d)
                               FROM first_of_2 x WHERE x.i <= w.i)) AS equal
FROM (SELECT i, vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d) OVER (ORDER BY i), 0.5) AS running
      FROM first_of_2) w;
-- The histogram of a union = the combine of the parts' histograms, in either order
-- (transition states, pending values included, and finished histograms).
SELECT bool_and(vinylops.int_histogram_combine(a.s, b.s)::text = u.h::text) AS combine_ab,
       bool_and(vinylops.int_histogram_combine(b.s, a.s)::text = u.h::text) AS combine_ba,
       bool_and(vinylops.int_histogram_combine(a.h, b.h)::text = u.h::text) AS combine_final
FROM (SELECT g, pg_temp.histogram_state(d) AS s, vinylops.int_histogram_agg(d) AS h
      FROM public.agg_events WHERE i % 2 = 0 GROUP BY g) a
JOIN (SELECT g, pg_temp.histogram_state(d) AS s, vinylops.int_histogram_agg(d) AS h
      FROM public.agg_events WHERE i % 2 = 1 GROUP BY g) b USING (g)
JOIN (SELECT g, vinylops.int_histogram_agg(d) AS h FROM public.agg_events GROUP BY g) u USING (g);

-- ---------------------------------------------------------------------------
-- Forced parallel plan: partial aggregation in the workers, combined in the leader,
-- and the same answer as the serial plan.
CREATE TEMP TABLE serial_answer AS
SELECT g, vinylops.playback_metrics(t, d) AS m, vinylops.int_histogram_agg(d)::text AS h,
       vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d) FILTER (WHERE t = 'play'), 0.95) AS p95
FROM public.agg_events GROUP BY g;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;  -- every row is read by a worker, so every state is combined
CREATE FUNCTION pg_temp.plan_has(query text, pattern text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        IF line ~ pattern THEN RETURN true; END IF;
    END LOOP;
    RETURN false;
END $$;
SELECT pg_temp.plan_has(q, 'Partial (Hash|Group)?Aggregate') AS partial_aggregate,
       pg_temp.plan_has(q, 'Gather') AS gather
FROM (VALUES ($$SELECT g, vinylops.playback_metrics(t, d), vinylops.int_histogram_agg(d)
               FROM public.agg_events GROUP BY g$$)) x(q);
SELECT count(*) AS groups,
       count(*) FILTER (WHERE s.m = p.m AND s.h = p.h AND s.p95 IS NOT DISTINCT FROM p.p95) AS same_as_serial
FROM serial_answer s
JOIN (SELECT g, vinylops.playback_metrics(t, d) AS m, vinylops.int_histogram_agg(d)::text AS h,
             vinylops.histogram_percentile_cont(vinylops.int_histogram_agg(d) FILTER (WHERE t = 'play'), 0.95) AS p95
      FROM public.agg_events GROUP BY g) p USING (g);
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;

-- ---------------------------------------------------------------------------
-- State input.  Both types read back their own output; every bad input is a
-- data exception (class 22) saying what is wrong.
SELECT s::vinylops.playback_metrics_state::text = s AS round_trip
FROM (VALUES ('events=0 plays=0 buffers=0 buffer_ms=0/0 errors=0'),
             ('events=9223372036854775807 plays=1 buffers=2 buffer_ms=-4294967296/2 errors=3')) v(s);
SELECT '{-2147483648:4611686018427387904,0:1,2147483647:4611686018427387902}'::vinylops.int_histogram AS extremes;
\set VERBOSITY default
SELECT 'events=5 plays=-1 buffers=0 buffer_ms=0/0 errors=0'::vinylops.playback_metrics_state;
SELECT 'events=2 plays=1 buffers=1 buffer_ms=0/0 errors=1'::vinylops.playback_metrics_state;
SELECT 'events=5 plays=0 buffers=1 buffer_ms=10/2 errors=0'::vinylops.playback_metrics_state;
SELECT 'events=5 plays=0 buffers=1 buffer_ms=2147483648/1 errors=0'::vinylops.playback_metrics_state;
SELECT 'events=5 plays=0 buffers=0 buffer_ms=0/0 errors=0 '::vinylops.playback_metrics_state;
SELECT 'events=05 plays=0 buffers=0 buffer_ms=0/0 errors=0'::vinylops.playback_metrics_state;
SELECT 'events=9223372036854775808 plays=0 buffers=0 buffer_ms=0/0 errors=0'::vinylops.playback_metrics_state;
SELECT '{1:0}'::vinylops.int_histogram;
SELECT '{1:-2}'::vinylops.int_histogram;
SELECT '{3:1,2:1}'::vinylops.int_histogram;
SELECT '{2:1,2:1}'::vinylops.int_histogram;
SELECT '{2147483648:1}'::vinylops.int_histogram;
SELECT '{1:9223372036854775807,2:1}'::vinylops.int_histogram;
SELECT '{1:1,}'::vinylops.int_histogram;
SELECT '{ 1:1}'::vinylops.int_histogram;
SELECT '{-0:1}'::vinylops.int_histogram;
SELECT '{1:1}x'::vinylops.int_histogram;
\set VERBOSITY terse

-- Binary input, through a binary COPY file read into a column of the type (the bytes
-- reach the receive function as a client's binary COPY or bind would send them).
CREATE TEMP TABLE payload (b bytea);
INSERT INTO payload VALUES (NULL);
CREATE TEMP TABLE sink_playback (s vinylops.playback_metrics_state);
CREATE TEMP TABLE sink_histogram (s vinylops.int_histogram);
CREATE FUNCTION pg_temp.try_recv(sink text, bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    file text := current_setting('data_directory') || '/vinylops_platform_recv.copy';
    state text;
BEGIN
    UPDATE payload SET b = bytes;
    EXECUTE format('COPY (SELECT b FROM payload) TO %L (FORMAT binary)', file);
    BEGIN
        EXECUTE format('COPY %I FROM %L (FORMAT binary)', sink, file);
        EXECUTE format('DELETE FROM %I RETURNING s::text', sink) INTO state;
        RETURN state;
    EXCEPTION WHEN others THEN
        RETURN SQLSTATE;
    END;
END $$;
-- Valid states come back as themselves; a cut, a longer payload, a count that does not
-- match the bytes, a negative or huge pair count, unsorted pairs and a zero count are 22P03.
SELECT v.label, pg_temp.try_recv(v.sink, v.bytes) AS outcome
FROM (VALUES
    ('playback ok', 'sink_playback', vinylops.playback_metrics_state_send('events=7 plays=2 buffers=3 buffer_ms=-5/2 errors=1')),
    ('playback cut', 'sink_playback', substr(vinylops.playback_metrics_state_send('events=7 plays=2 buffers=3 buffer_ms=5/2 errors=1'), 1, 40)),
    ('playback long', 'sink_playback', vinylops.playback_metrics_state_send('events=7 plays=2 buffers=3 buffer_ms=5/2 errors=1') || '\x00'::bytea),
    ('playback inconsistent', 'sink_playback', '\x000000000000000100000000000000020000000000000000000000000000000000000000000000000000000000000000'::bytea),
    ('histogram ok', 'sink_histogram', vinylops.int_histogram_send('{-3:2,7:1,100:9}')),
    ('histogram empty', 'sink_histogram', vinylops.int_histogram_send('{}')),
    ('histogram cut', 'sink_histogram', substr(vinylops.int_histogram_send('{-3:2,7:1,100:9}'), 1, 20)),
    ('histogram no count', 'sink_histogram', '\x000000'::bytea),
    ('histogram negative count', 'sink_histogram', '\xffffffff'::bytea),
    ('histogram huge count', 'sink_histogram', '\x7fffffff000000010000000000000001'::bytea),
    ('histogram unsorted', 'sink_histogram', '\x00000002000000050000000000000001000000040000000000000001'::bytea),
    ('histogram zero count', 'sink_histogram', '\x00000001000000050000000000000000'::bytea)
) v(label, sink, bytes);

-- A fuzz of text states: 600 mutations per type of valid states (a character
-- deleted, replaced, inserted or doubled; a field replaced by an extreme or odd
-- number).  Each is rejected with class 22, or accepted as a state that reads back
-- as itself, survives the binary round trip, finalizes and combines.
SELECT setseed(0.27);
CREATE FUNCTION pg_temp.mutate(s text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE floor(random() * 6)::integer
        WHEN 0 THEN overlay(s PLACING '' FROM p FOR 1)
        WHEN 1 THEN overlay(s PLACING substr('0123456789-:,{}/= x', 1 + floor(random() * 19)::integer, 1) FROM p FOR 1)
        WHEN 2 THEN overlay(s PLACING substr('0123456789-:,{}/= x', 1 + floor(random() * 19)::integer, 1) FROM p FOR 0)
        WHEN 3 THEN overlay(s PLACING substr(s, p, 1 + floor(random() * 6)::integer) FROM p FOR 0)
        ELSE regexp_replace(s, '-?[0-9]+',
                            (ARRAY['0', '-1', '2147483647', '2147483648', '-2147483649', '9223372036854775807',
                                   '9223372036854775808', '00', '-0', '3', '99999999999999999999'])[1 + floor(random() * 11)::integer],
                            1 + floor(random() * 6)::integer)
    END
    FROM (SELECT 1 + floor(random() * length(s))::integer AS p) x $$;
CREATE FUNCTION pg_temp.try_text(typ text, input text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text;
    again text;
BEGIN
    BEGIN
        EXECUTE format('SELECT $1::%s::text', typ) INTO state USING input;
    EXCEPTION WHEN others THEN
        RETURN SQLSTATE;
    END;
    EXECUTE format('SELECT $1::%s::text', typ) INTO again USING state;
    IF again IS DISTINCT FROM state THEN RETURN 'changed on re-read'; END IF;
    IF pg_temp.try_recv(CASE typ WHEN 'vinylops.int_histogram' THEN 'sink_histogram' ELSE 'sink_playback' END,
                        CASE typ WHEN 'vinylops.int_histogram' THEN vinylops.int_histogram_send(state::vinylops.int_histogram)
                             ELSE vinylops.playback_metrics_state_send(state::vinylops.playback_metrics_state) END)
       IS DISTINCT FROM state THEN
        RETURN 'binary round trip failed';
    END IF;
    BEGIN
        IF typ = 'vinylops.int_histogram' THEN
            PERFORM vinylops.histogram_percentile_cont(vinylops.int_histogram_combine(state::vinylops.int_histogram,
                                                                                     state::vinylops.int_histogram), 0.9),
                    vinylops.int_histogram_accum(state::vinylops.int_histogram, 5);
        ELSE
            PERFORM vinylops.playback_metrics_final(vinylops.playback_metrics_combine(state::vinylops.playback_metrics_state,
                                                                                     state::vinylops.playback_metrics_state)),
                    vinylops.playback_metrics_accum(state::vinylops.playback_metrics_state, 'buffer', 7);
        END IF;
    EXCEPTION WHEN others THEN
        IF SQLSTATE !~ '^22' THEN RETURN 'failed after input ' || SQLSTATE; END IF;
    END;
    RETURN 'ok';
END $$;
CREATE TEMP TABLE fuzz (typ text, input text, outcome text);
DO $$
DECLARE
    seeds_playback text[] := '{"events=0 plays=0 buffers=0 buffer_ms=0/0 errors=0",
                               "events=12 plays=5 buffers=3 buffer_ms=4200/3 errors=2",
                               "events=9223372036854775807 plays=9223372036854775807 buffers=0 buffer_ms=0/0 errors=0",
                               "events=4 plays=0 buffers=2 buffer_ms=-4294967296/2 errors=0"}';
    seeds_histogram text[] := '{"{}","{7:1}","{-30:2,0:1,125:40,250:3,2147483647:9}",
                                "{-2147483648:4611686018427387904,1:4611686018427387903}"}';
    input text;
BEGIN
    FOR i IN 1..600 LOOP
        input := pg_temp.mutate(seeds_playback[1 + floor(random() * 4)::integer]);
        INSERT INTO fuzz VALUES ('vinylops.playback_metrics_state', input,
                                 pg_temp.try_text('vinylops.playback_metrics_state', input));
        input := pg_temp.mutate(seeds_histogram[1 + floor(random() * 4)::integer]);
        INSERT INTO fuzz VALUES ('vinylops.int_histogram', input, pg_temp.try_text('vinylops.int_histogram', input));
    END LOOP;
END $$;
SELECT typ, count(*) AS tried, count(*) FILTER (WHERE outcome = 'ok') > 50 AS many_accepted,
       count(*) FILTER (WHERE outcome ~ '^22') > 200 AS many_rejected,
       count(*) FILTER (WHERE outcome <> 'ok' AND outcome !~ '^22') AS not_allowed
FROM fuzz GROUP BY typ ORDER BY typ COLLATE "C";
SELECT typ, input, outcome FROM fuzz WHERE outcome <> 'ok' AND outcome !~ '^22' ORDER BY typ, input COLLATE "C" LIMIT 5;

DROP TABLE public.agg_events;
DROP EXTENSION vinylops CASCADE;
