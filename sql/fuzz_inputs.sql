-- Fuzzing what anyone can feed vinylops (issue 7, item 3): thousands of
-- random, truncated, byte-flipped, oversized (up to 4 MB) and inconsistent
-- inputs to the text input and the binary receive function of every state
-- type, and random text in every staging column followed by ingest().
--
-- Each input is either a clean error of class 22 (data exception), or an
-- accepted state that then holds up: its text output reads back as itself,
-- its binary form goes through the receive function and back unchanged, and
-- its final, combine and transition functions return (or fail with class 22,
-- e.g. overflow).  Every staged row ends up loaded, already present or in
-- rejected_rows, and no error escapes ingest().  The inputs come from
-- random() after setseed(), so every run makes the same ones; only counts
-- and booleans are printed.  doc/hardening.md describes the generators.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- ---------------------------------------------------------------------------
-- Random building blocks (all draw from random(), seeded below).
-- ---------------------------------------------------------------------------

-- A random integer in [0, n).
CREATE FUNCTION pg_temp.rnd(n integer) RETURNS integer LANGUAGE sql
    AS $$ SELECT floor(random() * n)::integer $$;

-- A random element of a non-empty array.
CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text LANGUAGE sql
    AS $$ SELECT a[1 + floor(random() * cardinality(a))::integer] $$;

-- n random characters from an alphabet.
CREATE FUNCTION pg_temp.random_chars(alphabet text, n integer) RETURNS text LANGUAGE sql
    AS $$ SELECT coalesce(string_agg(substr(alphabet, 1 + floor(random() * length(alphabet))::integer, 1), ''), '')
          FROM generate_series(1, n) $$;

-- n random bytes.
CREATE FUNCTION pg_temp.random_bytes(n integer) RETURNS bytea LANGUAGE sql
    AS $$ SELECT coalesce(string_agg(set_byte('\x00'::bytea, 0, floor(random() * 256)::integer), ''::bytea), '')
          FROM generate_series(1, n) $$;

-- Field values, as text.  The "odd" ones are spellings only text input can
-- carry (and must reject or read correctly); the others fit int8 / float8.
CREATE FUNCTION pg_temp.some_int(odd boolean) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN odd AND random() < 0.3
                THEN pg_temp.pick('{9223372036854775808,-9223372036854775809,+3,-0,007,1e3,3.0,"",x,0x10,NaN,"1 2"}')
                ELSE pg_temp.pick('{0,1,2,3,5,7,10,100,-1,-5,2147483647,2147483648,4611686018427387904,9223372036854775807,-9223372036854775808}')
           END $$;
CREATE FUNCTION pg_temp.some_float(odd boolean) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN odd AND random() < 0.3
                THEN pg_temp.pick('{1e309,-1e309,1e-400,nan,inf,-Infinity,0x1p3,.5,5.,1E5,+0.5,-.5e-3,"",e,1e,--1,0.5.5}')
                ELSE pg_temp.pick('{0,-0,1,0.5,0.95,0.1,2.5,-2.5,3,100,1e20,-1e20,1e308,-1.7976931348623157e+308,5e-324,2.2250738585072014e-308,0.9999999999999999,NaN,Infinity,-Infinity}')
           END $$;

-- A random state of a type as a list of field values: mostly shaped like a
-- real state (so many are valid), with some fields replaced at random (so
-- many are inconsistent: negative counts, more successes than rows, ...).
CREATE FUNCTION pg_temp.random_fields(typ regtype, odd boolean) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    f text[];
    n1 bigint; n2 bigint; t bigint;
BEGIN
    CASE typ
    WHEN 'vinylops.stream_metrics_state'::regtype THEN
        n1 := pg_temp.rnd(20);
        f := ARRAY[n1::text];
        FOR k IN 1..4 LOOP                                  -- four flags: trues, non-NULL
            t := pg_temp.rnd(n1::integer + 1);
            f := f || pg_temp.rnd(t::integer + 1)::text || t::text;
        END LOOP;
        n2 := pg_temp.rnd(n1::integer + 1);                 -- rows with a stream duration
        t := pg_temp.rnd(n2::integer + 1);                  -- rows with both durations
        f := f || (t * 200 + pg_temp.rnd(300) * (n2 - t))::text || n2::text
               || (t * 200)::text || (t * pg_temp.rnd(400))::text || t::text;
        FOR k IN 1..14 LOOP
            IF random() < 0.08 THEN f[k] := pg_temp.some_int(odd); END IF;
        END LOOP;
    WHEN 'vinylops.ttest_state'::regtype THEN
        FOR arm IN 1..2 LOOP
            n1 := pg_temp.pick('{0,1,2,3,10}')::bigint;
            f := f || n1::text
                   || CASE WHEN n1 = 0 THEN '0' ELSE pg_temp.some_float(odd) END
                   || CASE WHEN n1 <= 1 THEN '0' ELSE pg_temp.pick('{0,0.5,2,1e20,1e308,5e-324}') END;
        END LOOP;
        f := f || pg_temp.pick('{0.95,0.5,0.99,0.9999999999999999,1e-300}');
        FOR k IN 1..7 LOOP
            IF random() < 0.08 THEN
                f[k] := CASE WHEN k IN (1, 4) THEN pg_temp.some_int(odd) ELSE pg_temp.some_float(odd) END;
            END IF;
        END LOOP;
    WHEN 'vinylops.ztest_state'::regtype THEN
        FOR arm IN 1..2 LOOP
            n1 := pg_temp.rnd(20);
            f := f || n1::text || pg_temp.rnd(n1::integer + 1)::text;
        END LOOP;
        FOR k IN 1..4 LOOP
            IF random() < 0.12 THEN f[k] := pg_temp.some_int(odd); END IF;
        END LOOP;
    WHEN 'vinylops.srm_state'::regtype THEN
        f := ARRAY[pg_temp.rnd(1000)::text, pg_temp.rnd(1000)::text,
                   pg_temp.pick('{0.5,0.1,0.9,1e-300,0.9999999999999999}')];
        FOR k IN 1..3 LOOP
            IF random() < 0.12 THEN
                f[k] := CASE WHEN k < 3 THEN pg_temp.some_int(odd) ELSE pg_temp.some_float(odd) END;
            END IF;
        END LOOP;
    END CASE;
    RETURN f;
END $$;

-- The text form of a list of field values (at times with a field too few or too many).
CREATE FUNCTION pg_temp.fields_text(typ regtype, f text[]) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    IF random() < 0.05 THEN
        f := CASE WHEN random() < 0.5 THEN f[1:cardinality(f) - 1] ELSE f || '1'::text END;
    END IF;
    IF typ = 'vinylops.stream_metrics_state'::regtype THEN      -- a missing field is left empty
        RETURN format('rows=%s completed=%s/%s skipped=%s/%s replayed=%s/%s playlisted=%s/%s '
                      'duration=%s/%s listen=%s/%s/%s', VARIADIC f || array_fill(''::text, ARRAY[14]))
               || coalesce('/' || f[15], '');
    END IF;
    RETURN '(' || array_to_string(f, ',') || ')';
END $$;

-- The binary form of a list of field values, after the type's layout:
-- v = the version byte, i = an int8, f = a float8 (values must fit).
CREATE FUNCTION pg_temp.fields_bytes(layout text, f text[]) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
    b bytea := '';
    k integer := 0;
BEGIN
    FOR p IN 1..length(layout) LOOP
        IF substr(layout, p, 1) = 'v' THEN
            b := b || '\x01'::bytea;
        ELSE
            k := k + 1;
            b := b || CASE substr(layout, p, 1) WHEN 'i' THEN int8send(f[k]::int8) ELSE float8send(f[k]::float8) END;
        END IF;
    END LOOP;
    RETURN b;
END $$;

-- A text input made from a valid state by mutation `kind` (0-9).
CREATE FUNCTION pg_temp.mutate_text(typ regtype, good text, kind integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    alphabet constant text := E'(),./=-+eE0123456789 naNIfy\t\u00e9\u20ac';
    tokens constant text[] := ARRAY['-', '0', '00', '-0', '+1', '9223372036854775807', '9223372036854775808',
        '-9223372036854775808', '1e308', '1e309', '1e-400', '5e-324', 'NaN', 'Infinity', '-inf', '0x1p3',
        ',', ')', '(', ' ', '/', '=', 'rows=', ' listen=', '.', 'e', '1.5', E'\u00e9', E'\t', E'\n', ''];
    n integer := length(good);
    p integer := 1 + pg_temp.rnd(greatest(n, 1));
BEGIN
    RETURN CASE kind
        WHEN 0 THEN good
        WHEN 1 THEN left(good, pg_temp.rnd(n))                                          -- truncated
        WHEN 2 THEN overlay(good PLACING pg_temp.random_chars(alphabet, 1) FROM p FOR 1)  -- one character changed
        WHEN 3 THEN overlay(good PLACING pg_temp.pick(tokens) FROM p FOR 0)              -- a token inserted
        WHEN 4 THEN overlay(good PLACING '' FROM p FOR 1 + pg_temp.rnd(6))               -- a span deleted
        WHEN 5 THEN overlay(good PLACING substr(good, p, 1 + pg_temp.rnd(8)) FROM p FOR 0)  -- a span doubled
        WHEN 6 THEN pg_temp.random_chars(alphabet, pg_temp.rnd(60))                     -- noise
        WHEN 7 THEN pg_temp.fields_text(typ, pg_temp.random_fields(typ, true))         -- random fields
        WHEN 8 THEN pg_temp.mutate_text(typ, pg_temp.fields_text(typ, pg_temp.random_fields(typ, true)),
                                        2 + pg_temp.rnd(4))
        ELSE CASE pg_temp.rnd(5)                                                        -- blanks and case
                 WHEN 0 THEN upper(good)
                 WHEN 1 THEN replace(good, ',', ' , ')
                 WHEN 2 THEN ' ' || good || E'\n'
                 WHEN 3 THEN replace(good, ' ', '  ')
                 ELSE E'\t' || pg_temp.fields_text(typ, pg_temp.random_fields(typ, false))
             END
    END;
END $$;

-- Eight bytes that stress a field: extreme integers, NaNs, infinities, -0, subnormals.
CREATE FUNCTION pg_temp.spicy_word() RETURNS bytea LANGUAGE sql AS $$
    SELECT CASE WHEN random() < 0.5
                THEN int8send(pg_temp.pick('{0,1,-1,2147483647,2147483648,9007199254740993,9223372036854775807,-9223372036854775808,4611686018427387904}')::int8)
                ELSE decode(pg_temp.pick('{7ff8000000000000,fff8000000000000,7ff0000000000001,7ff0000000000000,fff0000000000000,8000000000000000,0000000000000001,7fefffffffffffff,3fee666666666666,3ff0000000000000}'), 'hex')
           END $$;

-- A binary input made from a valid state's bytes by mutation `kind` (0-9).
CREATE FUNCTION pg_temp.mutate_bytes(typ regtype, layout text, good bytea, kind integer) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
    n integer := length(good);
    p integer := pg_temp.rnd(n);
    bit integer := p * 8 + pg_temp.rnd(8);
    field0 integer := CASE WHEN layout LIKE 'v%' THEN 1 ELSE 0 END;  -- bytes before the first field
BEGIN
    RETURN CASE kind
        WHEN 0 THEN good
        WHEN 1 THEN substring(good FROM 1 FOR pg_temp.rnd(n))                            -- truncated
        WHEN 2 THEN set_byte(good, p, pg_temp.rnd(256))                                   -- one byte changed
        WHEN 3 THEN set_bit(good, bit, 1 - get_bit(good, bit))                           -- a bit flipped
        WHEN 4 THEN good || pg_temp.random_bytes(1 + pg_temp.rnd(16))                     -- too long
        WHEN 5 THEN pg_temp.random_bytes(pg_temp.rnd(2 * n + 2))                          -- noise
        WHEN 6 THEN pg_temp.fields_bytes(layout, pg_temp.random_fields(typ, false))       -- random fields
        WHEN 7 THEN overlay(good PLACING pg_temp.spicy_word()                             -- one field extreme
                            FROM 1 + field0 + 8 * pg_temp.rnd((n - field0) / 8) FOR 8)
        WHEN 8 THEN overlay(pg_temp.fields_bytes(layout, pg_temp.random_fields(typ, false))
                            PLACING pg_temp.spicy_word() FROM 1 + field0 + 8 * pg_temp.rnd((n - field0) / 8) FOR 8)
        ELSE CASE WHEN random() < 0.5                                                     -- a byte inserted or dropped
                  THEN overlay(good PLACING pg_temp.random_bytes(1) FROM p + 1 FOR 0)
                  ELSE overlay(good PLACING '' FROM p + 1 FOR 1) END
    END;
END $$;

-- ---------------------------------------------------------------------------
-- Running one input.
-- ---------------------------------------------------------------------------

-- The four state types: binary layout, valid states to mutate, and the
-- functions an accepted state must survive.
CREATE TEMP TABLE fuzz_type (
    typ     regtype PRIMARY KEY,
    layout  text NOT NULL,
    seeds   text[] NOT NULL,
    finals  text[] NOT NULL,
    combine text NOT NULL,
    accum   text NOT NULL        -- one transition call; $1 is the state
);
INSERT INTO fuzz_type VALUES
    ('vinylops.stream_metrics_state', 'iiiiiiiiiiiiii',
     '{"rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0",
       "rows=6 completed=2/4 skipped=2/5 replayed=2/4 playlisted=1/4 duration=430/4 listen=400/640/3",
       "rows=9223372036854775807 completed=9223372036854775807/9223372036854775807 skipped=0/0 replayed=0/0 playlisted=0/0 duration=9223372036854775807/9223372036854775807 listen=0/0/0",
       "rows=3 completed=3/3 skipped=0/3 replayed=1/1 playlisted=0/2 duration=6442450941/3 listen=6442450941/6442450941/3"}',
     '{vinylops.engagement_score_final,vinylops.experience_score_final,vinylops.stream_metrics_final}',
     'vinylops.stream_metrics_combine',
     'vinylops.stream_metrics_accum($1, true, false, NULL, true, 200, 180)'),
    ('vinylops.ttest_state', 'viffifff',
     '{"(0,0,0,0,0,0,0.95)","(3,2.5,4.125,12,-7.25,1e+20,0.95)",
       "(2,0.30000000000000004,5e-324,3,-1.7976931348623157e+308,0,0.95)","(1,1e+308,0,1,-1e+308,0,0.5)"}',
     '{vinylops.welch_ttest_final}',
     'vinylops.welch_ttest_combine',
     'vinylops.welch_ttest_accum($1, 1.5::float8, true)'),
    ('vinylops.ztest_state', 'viiii',
     '{"(0,0,0,0)","(1000,250,1100,300)","(9223372036854775807,9223372036854775807,1,0)","(5,5,0,0)"}',
     '{vinylops.proportion_ztest_final}',
     'vinylops.proportion_ztest_combine',
     'vinylops.proportion_ztest_accum($1, true, false)'),
    ('vinylops.srm_state', 'viif',
     '{"(0,0,0.5)","(5000,5100,0.5)","(1,9223372036854775807,1e-300)","(7,0,0.9999999999999999)"}',
     '{vinylops.srm_check_final}',
     'vinylops.srm_check_combine',
     'vinylops.srm_check_accum($1, true)');
-- The layouts above are the ones the send functions write (checked, not assumed).
SELECT typ, bool_and(length(send_bytes) = length(replace(layout, 'v', '')) * 8 + (layout LIKE 'v%')::integer)
           AS layout_matches_send
FROM fuzz_type, unnest(seeds) s,
     LATERAL (SELECT CASE typ WHEN 'vinylops.stream_metrics_state'::regtype THEN vinylops.stream_metrics_state_send(s::vinylops.stream_metrics_state)
                              WHEN 'vinylops.ttest_state'::regtype THEN vinylops.ttest_state_send(s::vinylops.ttest_state)
                              WHEN 'vinylops.ztest_state'::regtype THEN vinylops.ztest_state_send(s::vinylops.ztest_state)
                              ELSE vinylops.srm_state_send(s::vinylops.srm_state) END AS send_bytes) b
GROUP BY typ ORDER BY typ::text COLLATE "C";

-- The binary route: the bytes go into a binary COPY file as the one field
-- of one row (COPY of a bytea writes its bytes as they are), and COPY reads
-- the file into a column of the state type, which hands exactly those bytes
-- to the type's receive function, as a client's binary COPY or bind does.
CREATE TEMP TABLE payload (b bytea);
INSERT INTO payload VALUES (NULL);
CREATE TEMP TABLE sink_stream_metrics_state (s vinylops.stream_metrics_state);
CREATE TEMP TABLE sink_ttest_state (s vinylops.ttest_state);
CREATE TEMP TABLE sink_ztest_state (s vinylops.ztest_state);
CREATE TEMP TABLE sink_srm_state (s vinylops.srm_state);

-- Feeds bytes to the type's receive function; 'ok' and the state's text, or
-- the SQLSTATE of the error.
CREATE FUNCTION pg_temp.try_recv(typ regtype, bytes bytea, OUT outcome text, OUT state text)
LANGUAGE plpgsql AS $$
DECLARE
    sink text := 'sink_' || replace(typ::text, 'vinylops.', '');
    file text := current_setting('data_directory') || '/vinylops_fuzz_recv.copy';
BEGIN
    UPDATE payload SET b = bytes;
    EXECUTE format('COPY (SELECT b FROM payload) TO %L (FORMAT binary)', file);
    BEGIN
        EXECUTE format('COPY %I FROM %L (FORMAT binary)', sink, file);
        EXECUTE format('DELETE FROM %I RETURNING s::text', sink) INTO state;
        outcome := 'ok';
    EXCEPTION WHEN others THEN
        outcome := SQLSTATE;
    END;
END $$;

-- Runs one SQL expression of the state ($1); 'ok', or the SQLSTATE it fails with.
-- With check_type, the result must also be a state that reads back as itself.
CREATE FUNCTION pg_temp.try_expr(expr text, state text, typ regtype, check_type boolean DEFAULT false)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    BEGIN
        EXECUTE format('SELECT (%s)::text', replace(expr, '$1', format('$1::%s', typ))) INTO result USING state;
    EXCEPTION WHEN others THEN
        RETURN SQLSTATE;
    END;
    IF check_type THEN
        BEGIN
            EXECUTE format('SELECT $1::%s::text', typ) INTO STRICT expr USING result;
            IF expr IS DISTINCT FROM result THEN RETURN 'changed on re-read'; END IF;
        EXCEPTION WHEN others THEN
            RETURN 'result unreadable ' || SQLSTATE;
        END;
    END IF;
    RETURN 'ok';
END $$;

-- What an accepted state must survive: reading its own output, the binary
-- round trip, every final function, combining with itself, one more row.
-- Returns {round_trip, binary, final, combine, accum} outcomes.
CREATE FUNCTION pg_temp.check_state(typ regtype, state text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    t fuzz_type;
    r record;
    reread text;
    final text := 'ok';
    f text;
BEGIN
    SELECT * INTO STRICT t FROM fuzz_type WHERE fuzz_type.typ = check_state.typ;
    BEGIN
        EXECUTE format('SELECT $1::%s::text', typ) INTO reread USING state;
    EXCEPTION WHEN others THEN
        reread := 'unreadable ' || SQLSTATE;
    END;
    EXECUTE format('SELECT * FROM pg_temp.try_recv(%L, %s_send($1::%s))', typ, typ, typ) INTO r USING state;
    FOREACH f IN ARRAY t.finals LOOP
        final := CASE WHEN final = 'ok' THEN pg_temp.try_expr(f || '($1)', state, typ) ELSE final END;
    END LOOP;
    RETURN ARRAY[CASE WHEN reread = state THEN 'ok' ELSE 'changed on re-read' END,
                 CASE WHEN r.outcome = 'ok' AND r.state = state THEN 'ok' ELSE 'binary ' || r.outcome END,
                 final,
                 pg_temp.try_expr(t.combine || '($1, $1)', state, typ, true),
                 pg_temp.try_expr(t.accum, state, typ, true)];
END $$;

-- One text input: {SQLSTATE} when rejected, else {'ok', what check_state says}.
CREATE FUNCTION pg_temp.try_text(typ regtype, input text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    state text;
BEGIN
    BEGIN
        EXECUTE format('SELECT $1::%s::text', typ) INTO state USING input;
    EXCEPTION WHEN others THEN
        RETURN ARRAY[SQLSTATE];
    END;
    RETURN ARRAY['ok'] || pg_temp.check_state(typ, state);
END $$;

-- One binary input: as try_text, and an accepted state must send back the same bytes.
CREATE FUNCTION pg_temp.try_binary(typ regtype, payload bytea) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    r record;
    resent bytea;
    checks text[];
BEGIN
    r := pg_temp.try_recv(typ, payload);
    IF r.outcome <> 'ok' THEN
        RETURN ARRAY[r.outcome];
    END IF;
    EXECUTE format('SELECT %s_send($1::%s)', typ, typ) INTO resent USING r.state;
    checks := pg_temp.check_state(typ, r.state);
    IF resent IS DISTINCT FROM payload THEN
        checks[2] := 're-sent differently';
    END IF;
    RETURN ARRAY['ok'] || checks;
END $$;

-- Outcomes: {SQLSTATE} for a rejected input; for an accepted one {'ok',
-- round trip, binary, finals, combine, accum} as check_state returns them.
CREATE TEMP TABLE fuzz_result (route text, typ regtype, kind text, o text[]);

-- The outcome summary of one route: counts, the SQLSTATEs of rejections, and
-- how accepted states fared.  holds: every outcome is allowed (see top).
CREATE FUNCTION pg_temp.summary(route text)
RETURNS TABLE (typ regtype, tried bigint, accepted bigint, rejected bigint, rejected_with text,
               finals_failed_with text, combine_failed_with text, accum_failed_with text, holds boolean)
LANGUAGE sql AS $$
    SELECT typ, count(*), count(*) FILTER (WHERE o[1] = 'ok'), count(*) FILTER (WHERE o[1] <> 'ok'),
           string_agg(DISTINCT o[1], ',' ORDER BY o[1]) FILTER (WHERE o[1] <> 'ok'),
           coalesce(string_agg(DISTINCT o[4], ',' ORDER BY o[4]) FILTER (WHERE o[1] = 'ok' AND o[4] <> 'ok'), '-'),
           coalesce(string_agg(DISTINCT o[5], ',' ORDER BY o[5]) FILTER (WHERE o[1] = 'ok' AND o[5] <> 'ok'), '-'),
           coalesce(string_agg(DISTINCT o[6], ',' ORDER BY o[6]) FILTER (WHERE o[1] = 'ok' AND o[6] <> 'ok'), '-'),
           bool_and(CASE WHEN o[1] = 'ok'
                         THEN o[2] = 'ok' AND o[3] = 'ok'
                              AND (o[4] = 'ok' OR o[4] ~ '^22...$') AND (o[5] = 'ok' OR o[5] ~ '^22...$')
                              AND (o[6] = 'ok' OR o[6] ~ '^22...$')
                         ELSE o[1] ~ '^22...$' AND cardinality(o) = 1 END)
    FROM fuzz_result WHERE fuzz_result.route = summary.route
    GROUP BY typ ORDER BY typ::text COLLATE "C"
$$;

-- ---------------------------------------------------------------------------
-- Text input: 800 generated inputs per type (80 per mutation kind), then
-- oversized ones (1 to 4 MB).
-- ---------------------------------------------------------------------------
-- Loops, not joins, so the random() calls come in one fixed order whatever the plan.
SELECT setseed(0.4242);
DO $$
DECLARE
    t fuzz_type;
BEGIN
    FOR t IN SELECT * FROM fuzz_type ORDER BY typ::text COLLATE "C" LOOP
        FOR i IN 1..800 LOOP
            INSERT INTO fuzz_result VALUES ('text', t.typ, (i % 10)::text,
                pg_temp.try_text(t.typ, pg_temp.mutate_text(t.typ, pg_temp.pick(t.seeds), i % 10)));
        END LOOP;
    END LOOP;
END $$;

-- The last field of the second seed is a float in ttest_state and srm_state
-- (read by strtod), an integer in the others.
DO $$
DECLARE
    t fuzz_type;
    v record;
BEGIN
    FOR t IN SELECT * FROM fuzz_type ORDER BY typ::text COLLATE "C" LOOP
        FOR v IN SELECT * FROM (VALUES
            ('trailing blanks', t.seeds[2] || repeat(' ', 3000000)),
            ('repeated', repeat(t.seeds[2], 1000000 / length(t.seeds[2]) + 1)),
            ('parentheses', repeat('(', 4000000)),
            ('two-million-digit number', regexp_replace(t.seeds[2], '[0-9]+', repeat('9', 2000000))),
            ('million leading zeros', regexp_replace(t.seeds[2], '[0-9]+', repeat('0', 1000000) || '\&')),
            ('million-digit last field', regexp_replace(t.seeds[2], '[-+.e0-9]+(\)?)$', '0.' || repeat('3', 1000000) || '\1')),
            ('noise', repeat(pg_temp.random_chars(E'(),.-+e0123456789 =/\u00e9', 1000), 1000))) x(what, input)
        LOOP
            INSERT INTO fuzz_result VALUES ('text', t.typ, 'oversized ' || v.what, pg_temp.try_text(t.typ, v.input));
        END LOOP;
    END LOOP;
END $$;

SELECT * FROM pg_temp.summary('text');

-- ---------------------------------------------------------------------------
-- Binary input: 300 generated inputs per type (30 per mutation kind), then
-- oversized ones.
-- ---------------------------------------------------------------------------
SELECT setseed(0.1717);
CREATE TEMP TABLE fuzz_seed_bytes AS
SELECT typ, layout, array_agg(b ORDER BY k) AS seeds
FROM fuzz_type t, unnest(t.seeds) WITH ORDINALITY s(state, k),
     LATERAL (SELECT CASE typ WHEN 'vinylops.stream_metrics_state'::regtype THEN vinylops.stream_metrics_state_send(state::vinylops.stream_metrics_state)
                              WHEN 'vinylops.ttest_state'::regtype THEN vinylops.ttest_state_send(state::vinylops.ttest_state)
                              WHEN 'vinylops.ztest_state'::regtype THEN vinylops.ztest_state_send(state::vinylops.ztest_state)
                              ELSE vinylops.srm_state_send(state::vinylops.srm_state) END AS b) x
GROUP BY typ, layout;
DO $$
DECLARE
    t fuzz_seed_bytes;
    v record;
BEGIN
    FOR t IN SELECT * FROM fuzz_seed_bytes ORDER BY typ::text COLLATE "C" LOOP
        FOR i IN 1..300 LOOP
            INSERT INTO fuzz_result VALUES ('binary', t.typ, (i % 10)::text,
                pg_temp.try_binary(t.typ, pg_temp.mutate_bytes(t.typ, t.layout,
                                                               t.seeds[1 + pg_temp.rnd(cardinality(t.seeds))], i % 10)));
        END LOOP;
        FOR v IN SELECT * FROM (VALUES
            ('state and a megabyte of zeros', t.seeds[2] || decode(repeat('00', 1000000), 'hex')),
            ('four megabytes of 0xff', decode(repeat('ff', 4000000), 'hex')),
            ('state repeated', decode(repeat(encode(t.seeds[2], 'hex'), 20000), 'hex'))) x(what, payload)
        LOOP
            INSERT INTO fuzz_result VALUES ('binary', t.typ, 'oversized ' || v.what, pg_temp.try_binary(t.typ, v.payload));
        END LOOP;
    END LOOP;
END $$;

SELECT * FROM pg_temp.summary('binary');

-- Every mutation kind reached both outcomes somewhere, or only rejection where
-- no valid input can come out of it (noise and oversized input rarely parse).
SELECT route, kind, count(*) AS tried, count(*) FILTER (WHERE o[1] = 'ok') AS accepted
FROM fuzz_result
GROUP BY route, kind ORDER BY route COLLATE "C", kind COLLATE "C";

-- Found by this fuzzer: a valid state with a tiny confidence level made the
-- t quantile solver give up, and welch_ttest_final failed with an internal
-- error (XX000, "t distribution did not converge").  With df = 2 the
-- quantile has a closed form, t = c sqrt(2) / sqrt(1 - c^2) (Student t's
-- central mass on 2 degrees of freedom is t / sqrt(2 + t^2)); with means 0
-- and an SE of 1, ci_high is that quantile.
SELECT c, abs(q / closed_form - 1) < 1e-12 AS quantile_right
FROM unnest(ARRAY[1e-300, 1e-200, 1e-120, 1e-100, 1e-17, 0.5, 0.95, 0.9999999999999999]::float8[]) c,
     LATERAL (SELECT (vinylops.welch_ttest_final(format('(2,0,1,2,0,1,%s)', c)::vinylops.ttest_state)).ci_high AS q,
                     c * sqrt(2) / CASE WHEN c > 1e-100 THEN sqrt(1 - c * c) ELSE 1 END AS closed_form) x
ORDER BY c;
-- The smallest double, through the aggregate: a zero-width interval, no error.
SELECT ci_low = mean_diff AND ci_high = mean_diff AS zero_width_interval
FROM (SELECT (vinylops.welch_ttest(x, x > 5, 5e-324)).* FROM generate_series(1, 10) x) r;

-- ---------------------------------------------------------------------------
-- Staging: random and malformed text in every column of every staging
-- table, then ingest(), twice with the same batch.
-- ---------------------------------------------------------------------------
SELECT setseed(0.9191);

-- A bad or odd version of a good staged value.  Identifier values stay under
-- 2,000 bytes: see doc/hardening.md for what longer identifiers do today.
CREATE FUNCTION pg_temp.fuzz_value(good text, is_id boolean) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    wide constant text := E'aZ09 _-:/.,;"''\\\t\r\n\u00e9\u65e5\U0001F3B5\u0001%$()[]{}+*=<>?!#@&|~^`';
    junk constant text[] := ARRAY['-1', '0', '24:00:00', '2/30/2024', '2024-13-01', '99999999999', '+5', '1e3',
        '0x1F', E'\u0663', 'TRUE ', 'yes', 'maybe', 'NULL', '\N', '"', '""', 'a,b', E'line\nbreak', E'\u00e9',
        E'\u65e5\u672c', E'\U0001F3B5', E'\u0001', 'DROP TABLE users; --', '%s%n', repeat('9', 40),
        '-2147483649', '2147483647', '12:60:00', '23:59:59', '0:00:00', '1/1/0000', '12/31/9999',
        '2024-02-29', '2023-02-29', '00:00:00.5', '1:2:3', 'T', 'f', 'Free ', 'PREMIUM'];
    r integer := pg_temp.rnd(100);
BEGIN
    RETURN CASE
        WHEN r < 10 THEN NULL
        WHEN r < 16 THEN ''
        WHEN r < 24 THEN pg_temp.pick(ARRAY[' ', E'\t', '  ']) || good || pg_temp.pick(ARRAY[' ', E'\t', E'\r', E'\n', ''])
        WHEN r < 34 THEN overlay(good PLACING pg_temp.random_chars(wide, 1) FROM 1 + pg_temp.rnd(greatest(length(good), 1)) FOR 1)
        WHEN r < 40 THEN left(good, pg_temp.rnd(length(good)))
        WHEN r < 46 THEN CASE WHEN random() < 0.5 THEN upper(good) ELSE lower(good) END
        WHEN r < 62 THEN pg_temp.pick(junk)
        WHEN r < 72 THEN good || pg_temp.pick(junk)
        WHEN r < 84 THEN pg_temp.random_chars(wide, pg_temp.rnd(40))
        WHEN r < 92 THEN CASE WHEN is_id THEN left(repeat(md5(good), 60), 100 + pg_temp.rnd(1800))
                              ELSE repeat(coalesce(nullif(good, ''), 'x'), 100 + pg_temp.rnd(3000)) END
        ELSE '0' || good
    END;
END $$;

-- Half the rows clean; in the rest each column is spoiled with probability 1/4.
CREATE FUNCTION pg_temp.maybe(good text, p float8, is_id boolean DEFAULT false) RETURNS text LANGUAGE sql
    AS $$ SELECT CASE WHEN random() < p THEN pg_temp.fuzz_value(good, is_id) ELSE good END $$;

-- Incompressible text of about n bytes.
CREATE FUNCTION pg_temp.big_text(n integer) RETURNS text LANGUAGE sql
    AS $$ SELECT left(string_agg(md5(i::text), '' ORDER BY i), n) FROM generate_series(1, n / 32 + 1) i $$;

INSERT INTO vinylops.staging_users
SELECT pg_temp.maybe('U' || CASE WHEN i <= 360 THEN i ELSE 1 + pg_temp.rnd(360) END, p, true),
       pg_temp.maybe(pg_temp.pick('{Free,Premium}'), p),
       pg_temp.maybe(pg_temp.pick('{18-24,25-34,35-44,45-54,55+}'), p),
       pg_temp.maybe(pg_temp.pick('{Montreal,Toronto,Vancouver,Paris,London,"New York"}'), p),
       pg_temp.maybe(pg_temp.pick('{TRUE,FALSE}'), p)
FROM generate_series(1, 400) i, LATERAL (SELECT CASE WHEN random() < 0.5 THEN 0 ELSE 0.25 END + i * 0 AS p) x
ORDER BY i;
INSERT INTO vinylops.staging_users VALUES
    ('U_BIG1', 'Free', pg_temp.big_text(2000000), 'Montreal', 'TRUE'),
    ('U_BIG2', 'Premium', '25-34', pg_temp.big_text(3000000), 'maybe'),
    (NULL, NULL, NULL, NULL, NULL),
    ('', '', '', '', '');

INSERT INTO vinylops.staging_tracks
SELECT pg_temp.maybe('T' || CASE WHEN i <= 360 THEN i ELSE 1 + pg_temp.rnd(360) END, p, true),
       pg_temp.maybe('Artist ' || pg_temp.rnd(40), p),
       pg_temp.maybe(pg_temp.pick('{Pop,Rock,Jazz,Hip-Hop,Electronic,Classical,Country,Folk}'), p),
       pg_temp.maybe((30 + pg_temp.rnd(400))::text, p),
       pg_temp.maybe(pg_temp.pick('{TRUE,FALSE}'), p)
FROM generate_series(1, 400) i, LATERAL (SELECT CASE WHEN random() < 0.5 THEN 0 ELSE 0.25 END + i * 0 AS p) x
ORDER BY i;
INSERT INTO vinylops.staging_tracks VALUES
    ('T_BIG1', pg_temp.big_text(3000000), 'Pop', '200', 'FALSE'),
    ('T_BIG2', 'Artist', pg_temp.big_text(1000000), '1' || repeat('0', 1000000), 'TRUE'),
    (NULL, NULL, NULL, NULL, NULL);

INSERT INTO vinylops.staging_streams
SELECT pg_temp.maybe('S' || (1 + pg_temp.rnd(3000)), p, true),
       pg_temp.maybe('U' || (1 + pg_temp.rnd(380)), p, true),
       pg_temp.maybe('T' || (1 + pg_temp.rnd(380)), p, true),
       pg_temp.maybe(CASE WHEN random() < 0.5 THEN to_char(d, 'FMMM/FMDD/YYYY') ELSE d::text END, p),
       pg_temp.maybe(format('%s:%s:%s', pg_temp.rnd(24), lpad(pg_temp.rnd(60)::text, 2, '0'),
                            lpad(pg_temp.rnd(60)::text, 2, '0')), p),
       pg_temp.maybe(pg_temp.rnd(24)::text, p),
       pg_temp.maybe(pg_temp.pick('{Mobile,Desktop,Tablet,"Smart Speaker"}'), p),
       pg_temp.maybe(pg_temp.rnd(600)::text, p),
       pg_temp.maybe(pg_temp.pick('{TRUE,FALSE}'), p),
       pg_temp.maybe(pg_temp.pick('{TRUE,FALSE}'), p),
       pg_temp.maybe(pg_temp.pick('{TRUE,FALSE}'), p),
       pg_temp.maybe(pg_temp.pick('{TRUE,FALSE}'), p)
FROM generate_series(1, 2000) i,
     LATERAL (SELECT CASE WHEN random() < 0.5 THEN 0 ELSE 0.25 END + i * 0 AS p,
                     date '2024-01-01' + pg_temp.rnd(366) AS d) x
ORDER BY i;
INSERT INTO vinylops.staging_streams VALUES
    ('S_BIG1', 'U_BIG1', 'T_BIG1', '1/2/2024', '1:02:03', '1', pg_temp.big_text(2000000), '100', 'TRUE', 'FALSE', 'FALSE', 'TRUE'),
    ('S_BIG2', 'U_BIG1', 'T_BIG1', pg_temp.big_text(1000000), '1:02:03', repeat('7', 1000000), 'Mobile', '100', 'TRUE', 'FALSE', 'FALSE', 'TRUE'),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- Some rows staged twice, identically (the second copy is already present).
INSERT INTO vinylops.staging_users SELECT * FROM vinylops.staging_users WHERE user_id ~ '^U[0-9]7$';
INSERT INTO vinylops.staging_tracks SELECT * FROM vinylops.staging_tracks WHERE track_id ~ '^T[0-9]7$';
INSERT INTO vinylops.staging_streams SELECT * FROM vinylops.staging_streams WHERE stream_id ~ '^S[0-9]*77$';

-- The batch as staged, to stage again and to recognise rejected rows by.
CREATE TEMP TABLE batch_users AS SELECT * FROM vinylops.staging_users;
CREATE TEMP TABLE batch_tracks AS SELECT * FROM vinylops.staging_tracks;
CREATE TEMP TABLE batch_streams AS SELECT * FROM vinylops.staging_streams;

-- Runs ingest() and records, per source, its figures beside what the tables
-- say: rows added to the typed table and to rejected_rows, rows left staged.
-- An error escaping ingest() is recorded too (it must not happen).
CREATE TEMP TABLE ingest_run (run integer, source text, staged bigint, loaded bigint,
                              already_present bigint, rejected bigint, table_added bigint,
                              rejects_added bigint, left_staged bigint, escaped text);
CREATE FUNCTION pg_temp.run_ingest(run_no integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    before_rows bigint[];
    before_rejects bigint[];
    sources constant text[] := '{users,tracks,streams}';
BEGIN
    before_rows := ARRAY[(SELECT count(*) FROM vinylops.users), (SELECT count(*) FROM vinylops.tracks),
                         (SELECT count(*) FROM vinylops.streams)];
    SELECT array_agg((SELECT count(*) FROM vinylops.rejected_rows WHERE source = 'staging_' || s) ORDER BY k)
    INTO before_rejects FROM unnest(sources) WITH ORDINALITY u(s, k);
    BEGIN
        INSERT INTO ingest_run (run, source, staged, loaded, already_present, rejected)
        SELECT run_no, i.source, i.staged, i.loaded, i.already_present, i.rejected FROM vinylops.ingest() i
        WHERE i.source = ANY (sources);   -- this fuzzer stages only these three sources
    EXCEPTION WHEN others THEN
        INSERT INTO ingest_run (run, source, escaped) VALUES (run_no, 'ingest', SQLSTATE);
        RETURN;
    END;
    UPDATE ingest_run r
    SET table_added = CASE r.source WHEN 'users' THEN (SELECT count(*) FROM vinylops.users)
                                    WHEN 'tracks' THEN (SELECT count(*) FROM vinylops.tracks)
                                    ELSE (SELECT count(*) FROM vinylops.streams) END
                      - before_rows[array_position(sources, r.source)],
        rejects_added = (SELECT count(*) FROM vinylops.rejected_rows WHERE source = 'staging_' || r.source)
                        - before_rejects[array_position(sources, r.source)],
        left_staged = CASE r.source WHEN 'users' THEN (SELECT count(*) FROM vinylops.staging_users)
                                    WHEN 'tracks' THEN (SELECT count(*) FROM vinylops.staging_tracks)
                                    ELSE (SELECT count(*) FROM vinylops.staging_streams) END
    WHERE r.run = run_no;
END $$;

SELECT pg_temp.run_ingest(1);
-- The same batch again: nothing new may load.
INSERT INTO vinylops.staging_users SELECT * FROM batch_users;
INSERT INTO vinylops.staging_tracks SELECT * FROM batch_tracks;
INSERT INTO vinylops.staging_streams SELECT * FROM batch_streams;
SELECT pg_temp.run_ingest(2);

-- Per run and source: the figures add up, agree with the tables, and
-- staging is empty.
SELECT r.run, r.source, r.staged, r.escaped IS NULL AS no_error_escaped,
       r.staged = (SELECT count(*) FROM batch_users) AND r.source = 'users'
       OR r.staged = (SELECT count(*) FROM batch_tracks) AND r.source = 'tracks'
       OR r.staged = (SELECT count(*) FROM batch_streams) AND r.source = 'streams' AS staged_is_batch,
       r.staged = r.loaded + r.already_present + r.rejected AS adds_up,
       least(r.loaded, r.already_present, r.rejected) >= 0 AS none_negative,
       r.loaded = r.table_added AS loaded_rows_in_table,
       r.rejected = r.rejects_added AS rejected_rows_recorded,
       r.left_staged = 0 AS staging_emptied,
       r.loaded > 0 OR r.run = 2 AS some_loaded,
       r.rejected > 0 AS some_rejected
FROM ingest_run r ORDER BY r.run, r.source COLLATE "C";

-- The second run loads nothing: what loaded or was already present is now
-- present, and what was rejected is rejected again.
SELECT a.source, b.loaded = 0 AS nothing_loaded_twice,
       b.already_present = a.loaded + a.already_present AS all_present_now,
       b.rejected = a.rejected AS same_rejections
FROM ingest_run a JOIN ingest_run b ON a.source = b.source AND a.run = 1 AND b.run = 2
ORDER BY a.source COLLATE "C";

-- Every rejected row carries a reason and is a staged row, unchanged.
SELECT r.source, count(*) AS rejected,
       bool_and(r.reason <> '') AS all_have_reasons,
       bool_and(CASE r.source WHEN 'staging_users' THEN r.raw_row IN (SELECT to_jsonb(b) FROM batch_users b)
                              WHEN 'staging_tracks' THEN r.raw_row IN (SELECT to_jsonb(b) FROM batch_tracks b)
                              ELSE r.raw_row IN (SELECT to_jsonb(b) FROM batch_streams b) END) AS all_are_staged_rows
FROM vinylops.rejected_rows r GROUP BY r.source ORDER BY r.source COLLATE "C";

-- The oversized rows: the well-formed ones loaded with their megabytes intact,
-- the others rejected with a reason of readable length.
SELECT (SELECT octet_length(user_age_group) FROM vinylops.users WHERE user_id = 'U_BIG1') AS big_user_field,
       (SELECT octet_length(artist_name) FROM vinylops.tracks WHERE track_id = 'T_BIG1') AS big_track_field,
       (SELECT octet_length(device_type) FROM vinylops.streams WHERE stream_id = 'S_BIG1') AS big_stream_field,
       (SELECT max(length(reason)) < 1000 FROM vinylops.rejected_rows
        WHERE raw_row->>'user_id' = 'U_BIG2' OR raw_row->>'track_id' = 'T_BIG2' OR raw_row->>'stream_id' = 'S_BIG2')
           AS big_rejects_have_short_reasons;
