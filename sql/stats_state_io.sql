-- Text and binary input/output of the hypothesis-test state types
-- (ttest_state, ztest_state, srm_state): exact round trips, and strict
-- rejection of malformed, truncated, oversized and inconsistent states,
-- including random ones.  Any user can cast text to these types, and Citus
-- ships partial states through them.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- Tries a text input; returns the state's text or the error's SQLSTATE and message.
CREATE FUNCTION pg_temp.try_in(typ regtype, input text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
    st text; msg text; det text;
BEGIN
    EXECUTE format('SELECT %L::%s::text', input, typ) INTO result;
    RETURN 'ok ' || result;
EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || coalesce(' / ' || nullif(det, ''), '');
END $$;

-- Exact text round trip, whatever extra_float_digits says: subnormal, largest,
-- negative zero, values with 17 significant digits.
SET extra_float_digits = 0;
SELECT s::text AS state, s::text::vinylops.ttest_state::text = s::text AS round_trip
FROM (VALUES ('(2,0.30000000000000004,5e-324,3,-1.7976931348623157e+308,0,0.95)'::vinylops.ttest_state),
             ('(1,-0,0,1,0.1,0,0.5)'),
             ('(7,0.3333333333333333,1e-300,9,123456789.12345679,2.5e+300,0.9999999999999999)')) v(s);
-- The doubles themselves come back bit for bit.
SELECT (vinylops.welch_ttest_final('(2,0.30000000000000004,5e-324,3,-1,0,0.95)')).mean_control
       = 0.1::float8 + 0.2::float8 AS mean_exact;
RESET extra_float_digits;
-- Blanks around fields are allowed; a state with no rows is valid.
SELECT ' ( 3 , 2 , 2 , 2 , 5 , 0.5 , 0.95 ) '::vinylops.ttest_state, '(0,0,0,0,0,0,0.5)'::vinylops.ttest_state;
SELECT '(3,2,0,0)'::vinylops.ztest_state, '(4,6,0.25)'::vinylops.srm_state;

-- Malformed or inconsistent text states: each one an error with a reason.
SELECT typ, input, pg_temp.try_in(typ, input) AS outcome
FROM (VALUES
    ('vinylops.ttest_state'::regtype, ''),
    ('vinylops.ttest_state', '('),
    ('vinylops.ttest_state', '()'),
    ('vinylops.ttest_state', '1,2,3,4,5,6,0.5'),
    ('vinylops.ttest_state', '(1,2,3)'),
    ('vinylops.ttest_state', '(1,0,0,0,0,0,0.5,8)'),
    ('vinylops.ttest_state', '(1,0,0,0,0,0,0.5) x'),
    ('vinylops.ttest_state', '(1,0,0,0,0,0,0.5'),
    ('vinylops.ttest_state', '(a,0,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1.5,0,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(,0,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1,NaN,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1,Infinity,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1,-inf,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1,0x10,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1,1e400,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1,1e-400,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(99999999999999999999,0,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(-1,0,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(0,1,0,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(0,0,1,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(1,5,2,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(3,5,-2,0,0,0,0.5)'),
    ('vinylops.ttest_state', '(0,0,0,-4,0,0,0.5)'),
    ('vinylops.ttest_state', '(0,0,0,0,0,0,0)'),
    ('vinylops.ttest_state', '(0,0,0,0,0,0,1)'),
    ('vinylops.ttest_state', '(0,0,0,0,0,0,1.5)'),
    ('vinylops.ztest_state', '(1,2,0,0)'),
    ('vinylops.ztest_state', '(-1,0,0,0)'),
    ('vinylops.ztest_state', '(5,-1,0,0)'),
    ('vinylops.ztest_state', '(1,0,0)'),
    ('vinylops.ztest_state', '(1,0.5,0,0)'),
    ('vinylops.srm_state', '(1,1,0)'),
    ('vinylops.srm_state', '(1,1,1)'),
    ('vinylops.srm_state', '(1,-1,0.5)'),
    ('vinylops.srm_state', '(1,1,NaN)'),
    ('vinylops.srm_state', '(1,1,0.5,0)')) v(typ, input)
ORDER BY typ::text COLLATE "C", input COLLATE "C";

-- 3,000 random strings over the characters states are made of: each is
-- either rejected or accepted and then round-trips exactly.
SELECT setseed(0.25);
CREATE TEMP TABLE text_fuzz AS
SELECT i, typ, s
FROM generate_series(1, 1000) i,
     (VALUES ('vinylops.ttest_state'::regtype), ('vinylops.ztest_state'), ('vinylops.srm_state')) t(typ),
     LATERAL (SELECT string_agg(substr('(),.-+e0123456789 naNI', 1 + floor(random() * 22)::int, 1), '') AS s
              FROM generate_series(0, floor(random() * 30)::int + i * 0)) r;
-- A third of them are made near-valid: a valid state with one character replaced.
UPDATE text_fuzz SET s = overlay(v.good PLACING substr('(),.-+e019 n', 1 + floor(random() * 12)::int, 1)
                                 FROM 1 + floor(random() * length(v.good))::int FOR 1)
FROM (VALUES ('vinylops.ttest_state'::regtype, '(3,2.5,4.125,12,-7.25,1e+20,0.95)'),
             ('vinylops.ztest_state', '(1000,250,1100,300)'),
             ('vinylops.srm_state', '(5000,5100,0.5)')) v(typ, good)
WHERE text_fuzz.typ = v.typ AND text_fuzz.i % 3 = 0;
SELECT typ, count(*) AS tried,
       count(*) FILTER (WHERE outcome LIKE 'ok %') AS accepted,
       count(*) FILTER (WHERE outcome LIKE '22P02 %') AS syntax_errors,
       count(*) FILTER (WHERE outcome LIKE '22003 %') AS range_errors,
       count(*) FILTER (WHERE outcome NOT LIKE 'ok %' AND outcome NOT LIKE '22P02 %'
                                                      AND outcome NOT LIKE '22003 %') AS other_outcomes,
       count(*) FILTER (WHERE outcome LIKE 'ok %'
                        AND pg_temp.try_in(typ, substr(outcome, 4)) <> outcome) AS accepted_not_round_tripping
FROM (SELECT typ, pg_temp.try_in(typ, s) AS outcome FROM text_fuzz) f
GROUP BY typ ORDER BY typ::text COLLATE "C";

-- Binary: states written with COPY (FORMAT binary), through each type's send
-- function, read back through its receive function.
CREATE TEMP TABLE states (t vinylops.ttest_state, z vinylops.ztest_state, m vinylops.srm_state);
INSERT INTO states VALUES
    ('(2,0.30000000000000004,5e-324,3,-1.7976931348623157e+308,0,0.95)', '(10,3,12,0)', '(1,2,0.1)'),
    ('(0,0,0,0,0,0,0.5)', '(0,0,0,0)', '(0,0,0.5)');
CREATE TEMP TABLE states_back (LIKE states);
DO $$
DECLARE
    f text := current_setting('data_directory') || '/vinylops_states.bin';
BEGIN
    EXECUTE format('COPY states TO %L WITH (FORMAT binary)', f);
    EXECUTE format('COPY states_back FROM %L WITH (FORMAT binary)', f);
END $$;
SELECT (SELECT array_agg(ROW(t, z, m)::text ORDER BY t::text COLLATE "C") FROM states)
     = (SELECT array_agg(ROW(t, z, m)::text ORDER BY t::text COLLATE "C") FROM states_back) AS binary_round_trip;
SELECT vinylops.ttest_state_send('(3,2,2,2,5,0.5,0.95)') AS ttest_bytes,
       vinylops.ztest_state_send('(10,3,12,0)') AS ztest_bytes,
       vinylops.srm_state_send('(1,2,0.5)') AS srm_bytes;

-- Tries a binary input: writes the bytes as a one-column binary COPY file
-- (server side) and reads it into a column of the type.
CREATE TEMP TABLE sink_t (s vinylops.ttest_state);
CREATE TEMP TABLE sink_z (s vinylops.ztest_state);
CREATE TEMP TABLE sink_m (s vinylops.srm_state);
CREATE FUNCTION pg_temp.try_recv(sink text, bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/vinylops_state_recv.bin';
    result text;
    same boolean;
    st text; msg text; det text;
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', bytes, f);
    EXECUTE format('TRUNCATE %I', sink);
    EXECUTE format('COPY %I FROM %L WITH (FORMAT binary)', sink, f);
    EXECUTE format('SELECT s::text, %s(s) = %L::bytea FROM %I',
                   CASE sink WHEN 'sink_t' THEN 'vinylops.ttest_state_send'
                             WHEN 'sink_z' THEN 'vinylops.ztest_state_send'
                             ELSE 'vinylops.srm_state_send' END, bytes, sink) INTO result, same;
    RETURN 'ok ' || result || CASE WHEN same THEN '' ELSE ' (re-sent differently)' END;
EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || coalesce(' / ' || nullif(det, ''), '');
END $$;

-- Hand-made bad binary states: empty, truncated, oversized, wrong version,
-- NaN, infinity, negative count, rows without a mean, bad confidence.
SELECT what, pg_temp.try_recv(sink, bytes) AS outcome
FROM (VALUES
    ('ttest valid', 'sink_t', vinylops.ttest_state_send('(3,2,2,2,5,0.5,0.95)')),
    ('ttest empty', 'sink_t', ''::bytea),
    ('ttest truncated', 'sink_t', substring(vinylops.ttest_state_send('(3,2,2,2,5,0.5,0.95)') FROM 1 FOR 56)),
    ('ttest oversized', 'sink_t', vinylops.ttest_state_send('(3,2,2,2,5,0.5,0.95)') || '\x00'::bytea),
    ('ttest version 2', 'sink_t', set_byte(vinylops.ttest_state_send('(3,2,2,2,5,0.5,0.95)'), 0, 2)),
    ('ttest NaN mean', 'sink_t', '\x01' || '\x0000000000000003'::bytea || '\x7ff8000000000000'::bytea
                                 || '\x0000000000000000'::bytea || '\x0000000000000000'::bytea
                                 || '\x0000000000000000'::bytea || '\x0000000000000000'::bytea
                                 || float8send(0.95)),
    ('ttest infinite M2', 'sink_t', '\x01' || '\x0000000000000003'::bytea || float8send(1)
                                    || float8send('Infinity') || '\x0000000000000000'::bytea
                                    || float8send(0) || float8send(0) || float8send(0.95)),
    ('ttest negative count', 'sink_t', '\x01' || int8send(-3) || float8send(1) || float8send(1)
                                       || int8send(0) || float8send(0) || float8send(0) || float8send(0.95)),
    ('ttest no rows, a mean', 'sink_t', '\x01' || int8send(0) || float8send(1) || float8send(0)
                                        || int8send(0) || float8send(0) || float8send(0) || float8send(0.95)),
    ('ttest confidence 1', 'sink_t', '\x01' || int8send(0) || float8send(0) || float8send(0)
                                     || int8send(0) || float8send(0) || float8send(0) || float8send(1)),
    ('ztest valid', 'sink_z', vinylops.ztest_state_send('(10,3,12,0)')),
    ('ztest truncated', 'sink_z', substring(vinylops.ztest_state_send('(10,3,12,0)') FROM 1 FOR 32)),
    ('ztest successes > n', 'sink_z', '\x01' || int8send(1) || int8send(2) || int8send(0) || int8send(0)),
    ('srm valid', 'sink_m', vinylops.srm_state_send('(1,2,0.5)')),
    ('srm oversized', 'sink_m', vinylops.srm_state_send('(1,2,0.5)') || '\x0000'::bytea),
    ('srm share 0', 'sink_m', '\x01' || int8send(1) || int8send(2) || float8send(0))) v(what, sink, bytes)
ORDER BY what COLLATE "C";

-- 1,500 random byte strings (random lengths, and valid states with one byte
-- changed): each rejected, or accepted and re-sent byte for byte.
SELECT setseed(0.5);
CREATE TEMP TABLE bin_fuzz AS
SELECT i, sink,
       CASE WHEN i % 2 = 0
            THEN set_byte(good, floor(random() * length(good))::int, floor(random() * 256)::int)
            ELSE (SELECT coalesce(string_agg(set_byte('\x00'::bytea, 0, floor(random() * 256)::int), ''::bytea), '')
                  FROM generate_series(1, floor(random() * (length(good) + 3))::int + i * 0))
       END AS bytes
FROM generate_series(1, 500) i,
     (VALUES ('sink_t', vinylops.ttest_state_send('(3,2.5,4.125,12,-7.25,1e+20,0.95)')),
             ('sink_z', vinylops.ztest_state_send('(1000,250,1100,300)')),
             ('sink_m', vinylops.srm_state_send('(5000,5100,0.5)'))) v(sink, good);
SELECT sink, count(*) AS tried,
       count(*) FILTER (WHERE outcome LIKE 'ok %') AS accepted,
       count(*) FILTER (WHERE outcome LIKE '22P03 %') AS rejected,
       count(*) FILTER (WHERE outcome NOT LIKE 'ok %' AND outcome NOT LIKE '22P03 %') AS other_outcomes,
       count(*) FILTER (WHERE outcome LIKE '%re-sent differently%') AS accepted_not_round_tripping
FROM (SELECT sink, pg_temp.try_recv(sink, bytes) AS outcome FROM bin_fuzz) f
GROUP BY sink ORDER BY sink COLLATE "C";
