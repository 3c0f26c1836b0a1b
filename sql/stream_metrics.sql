-- engagement_score, experience_score and stream_metrics on inputs small enough
-- to work out by hand (each figure is derived in a comment), their NULL rules,
-- and the state type vinylops.stream_metrics_state: text and binary
-- round trips, and a catalogue of malformed states that must each be a clean error.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- Six streams in two groups.  NULLs are ignored per input, as built-in aggregates do.
CREATE TABLE hand (
    id int, grp text, completed boolean, skipped boolean, replayed boolean, added boolean,
    stream_sec integer, track_sec integer);
INSERT INTO hand VALUES
    (1, 'x', true,  false, true,  false, 180,  200),
    (2, 'x', true,  false, false, true,  200,  200),
    (3, 'x', false, true,  false, false, 20,   240),
    (4, 'y', false, true,  NULL,  false, 30,   NULL),
    (5, 'y', NULL,  false, true,  NULL,  NULL, 300),
    (6, 'y', NULL,  NULL,  NULL,  NULL,  NULL, NULL);

-- All six rows:
--   streams 6 (every input row, like count(*));
--   completed: rows 1-4 non-NULL, 2 TRUE -> 50 %;   skipped: rows 1-5, 2 TRUE -> 40 %;
--   replayed: rows 1,2,3,5, 2 TRUE -> 50 %;         added: rows 1-4, 1 TRUE -> 25 %;
--   avg duration over non-NULL stream durations (rows 1-4): (180+200+20+30)/4 = 107.5;
--   listen-through over rows with both durations (1-3): 100 * 400/640 = 62.5 %.
--   engagement = 0.4*50 + 0.3*50 + 0.3*25 = 20 + 15 + 7.5 = 42.5
--   experience = 0.5*50 + 0.3*(100-40) + 0.2*62.5 = 25 + 18 + 12.5 = 55.5
SELECT round(vinylops.engagement_score(completed, replayed, added)::numeric, 10) AS engagement,
       round(vinylops.experience_score(completed, skipped, stream_sec, track_sec)::numeric, 10) AS experience
FROM hand;

SELECT (m).streams, (m).completion_pct, (m).skip_pct, (m).replay_pct, (m).playlist_add_pct,
       (m).avg_duration_sec, (m).listen_through_pct
FROM (SELECT vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m
      FROM hand) s;

-- The result type's fields, in the contract's order.
SELECT a.attnum, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
WHERE a.attrelid = 'vinylops.stream_metrics_result'::regclass AND a.attnum > 0
ORDER BY a.attnum;

-- The state itself, through an aggregate that stops before the final function:
-- rows=6, completed 2 of 4, skipped 2 of 5, replayed 2 of 4, added 1 of 4,
-- duration sum 430 over 4, listen: stream 400 / track 640 over 3 rows.
CREATE AGGREGATE pg_temp.metrics_state(boolean, boolean, boolean, boolean, integer, integer) (
    SFUNC = vinylops.stream_metrics_accum,
    STYPE = vinylops.stream_metrics_state,
    COMBINEFUNC = vinylops.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0');
SELECT pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FROM hand;

-- Per group.
--   x (rows 1-3): completed 2/3, skipped 1/3, replayed 1/3, added 1/3, durations 400/3,
--     listen 400/640.  engagement = 0.4*200/3 + 0.3*100/3 + 0.3*100/3 = 80/3 + 10 + 10 = 46.6666666667
--     experience = 0.5*200/3 + 0.3*(100 - 100/3) + 0.2*62.5 = 33.3333333333 + 20 + 12.5 = 65.8333333333
--   y (rows 4-6): completed 0/1, skipped 1/2, replayed 1/1, added 0/1, durations 30/1, no row
--     with both durations.  engagement = 0 + 0.3*100 + 0 = 30;
--     experience NULL (listen-through has a zero denominator); listen_through_pct NULL.
--   stream_metrics x: (3, 66.6666666667, 33.3333333333, 33.3333333333, 33.3333333333, 133.3333333333, 62.5)
--   stream_metrics y: (3, 0, 50, 100, 0, 30, NULL)
SELECT grp, round(e::numeric, 10) AS engagement, round(x::numeric, 10) AS experience,
       (m).streams, round((m).completion_pct::numeric, 10) AS completion_pct,
       round((m).skip_pct::numeric, 10) AS skip_pct, round((m).replay_pct::numeric, 10) AS replay_pct,
       round((m).playlist_add_pct::numeric, 10) AS playlist_add_pct,
       round((m).avg_duration_sec::numeric, 10) AS avg_duration_sec,
       round((m).listen_through_pct::numeric, 10) AS listen_through_pct
FROM (SELECT grp,
             vinylops.engagement_score(completed, replayed, added) AS e,
             vinylops.experience_score(completed, skipped, stream_sec, track_sec) AS x,
             vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m
      FROM hand GROUP BY grp) g
ORDER BY grp COLLATE "C";

-- The same groups with hashed and sorted grouping (the state is updated in place in both).
SET enable_hashagg = off;
SELECT grp, round(vinylops.engagement_score(completed, replayed, added)::numeric, 10) AS engagement
FROM hand GROUP BY grp ORDER BY grp COLLATE "C";
RESET enable_hashagg;

-- As a running window aggregate the final function runs on a state that keeps growing.
--   after 1: c 1/1, r 1/1, a 0/1 -> 40 + 30 + 0        = 70
--   after 2: c 2/2, r 1/2, a 1/2 -> 40 + 15 + 15       = 70
--   after 3: c 2/3, r 1/3, a 1/3 -> 80/3 + 10 + 10     = 46.6666666667
--   after 4: c 2/4, r 1/3, a 1/4 -> 20 + 10 + 7.5      = 37.5
--   after 5: c 2/4, r 2/4, a 1/4 -> 20 + 15 + 7.5      = 42.5
--   after 6: unchanged (all NULL)                       = 42.5
SELECT id, round(vinylops.engagement_score(completed, replayed, added) OVER (ORDER BY id)::numeric, 10)
FROM hand ORDER BY id;

-- Empty input: both scores NULL; stream_metrics gives streams 0 and NULL rates.
SELECT vinylops.engagement_score(completed, replayed, added) IS NULL AS engagement_null,
       vinylops.experience_score(completed, skipped, stream_sec, track_sec) IS NULL AS experience_null,
       (vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec)).*
FROM hand WHERE false;

-- A row whose inputs are all NULL still counts as a stream; every rate is NULL.
SELECT vinylops.engagement_score(NULL, NULL, NULL) IS NULL AS engagement_null,
       vinylops.experience_score(NULL, NULL, NULL, NULL) IS NULL AS experience_null,
       (vinylops.stream_metrics(NULL, NULL, NULL, NULL, NULL, NULL)).*;

-- One flag without any non-NULL value makes the score that needs it NULL.
SELECT vinylops.engagement_score(c, r, a) IS NULL AS engagement_null
FROM (VALUES (true, true, NULL::boolean), (false, false, NULL)) v(c, r, a);

-- Track durations that sum to zero: listen-through and experience are NULL, the rest is defined.
--   completed 1/2 -> 50 %, skipped 0/2 -> 0 %, avg duration (10+0)/2 = 5.
SELECT vinylops.experience_score(c, s, sd, td) IS NULL AS experience_null,
       (vinylops.stream_metrics(c, s, NULL, NULL, sd, td)).*
FROM (VALUES (true, false, 10, 0), (false, false, 0, 0)) v(c, s, sd, td);

-- A stream longer than its track (real data has them) gives listen-through above 100:
--   100 * (300 + 100) / (200 + 200) = 100;  100 * 300 / 200 = 150.
SELECT (vinylops.stream_metrics(NULL, NULL, NULL, NULL, sd, td)).listen_through_pct
FROM (VALUES (300, 200), (100, 200)) v(sd, td);
SELECT (vinylops.stream_metrics(NULL, NULL, NULL, NULL, 300, 200)).listen_through_pct;

-- Negative durations cannot come from the tables (CHECK >= 0 and > 0); passed directly they
-- are an error, never a silently wrong listen-through.
SELECT vinylops.experience_score(true, false, -1, 200);
SELECT vinylops.experience_score(true, false, 100, -200);
SELECT vinylops.stream_metrics(true, false, false, false, NULL, -5);

-- The support functions called directly never change their arguments.
--   accum from NULL (an empty state): rows 1, completed 1/1, skipped 0/1, replayed 0/0,
--   added 1/1, duration 10/1, listen 10/20/1.
SELECT vinylops.stream_metrics_accum(NULL, true, false, NULL, true, 10, 20);
SELECT vinylops.engagement_score_accum(NULL, true, NULL, false);
SELECT vinylops.experience_score_accum(NULL, NULL, true, 7, NULL);
WITH s(a, b) AS (
    SELECT 'rows=2 completed=1/2 skipped=0/1 replayed=0/0 playlisted=1/1 duration=30/2 listen=10/20/1'::vinylops.stream_metrics_state,
           'rows=1 completed=1/1 skipped=1/1 replayed=1/1 playlisted=0/0 duration=5/1 listen=5/6/1'::vinylops.stream_metrics_state)
SELECT vinylops.stream_metrics_combine(a, b) AS combined, a, b FROM s;

-- Final functions on a typed state: the hand table's state again.
--   engagement 42.5, experience 55.5, metrics (6,50,40,50,25,107.5,62.5).
SELECT vinylops.engagement_score_final(s), vinylops.experience_score_final(s), vinylops.stream_metrics_final(s)
FROM (SELECT 'rows=6 completed=2/4 skipped=2/5 replayed=2/4 playlisted=1/4 duration=430/4 listen=400/640/3'::vinylops.stream_metrics_state) v(s);

-- Rollup: states stored per group, added up later by an aggregate whose transition is the
-- combine function, give the same answers as aggregating all rows at once (doc/aggregates.md).
CREATE AGGREGATE pg_temp.sum_states(vinylops.stream_metrics_state) (
    SFUNC = vinylops.stream_metrics_combine,
    STYPE = vinylops.stream_metrics_state,
    COMBINEFUNC = vinylops.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0');
CREATE TEMP TABLE stored_states AS
SELECT id, pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) AS state
FROM hand GROUP BY id;
SELECT pg_temp.sum_states(state)::text
       = (SELECT pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FROM hand)::text
           AS same_state,
       vinylops.stream_metrics_final(pg_temp.sum_states(state)) AS metrics,
       vinylops.engagement_score_final(pg_temp.sum_states(state)) AS engagement
FROM stored_states;

-- Overflow while combining is an error, not a wrapped count.
SELECT vinylops.stream_metrics_combine(
    'rows=9223372036854775807 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0',
    'rows=1 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0');

-- ---------------------------------------------------------------------------
-- Text input/output: every accepted text is canonical, so out(in(x)) = x exactly.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE good_states (label text, state text);
INSERT INTO good_states VALUES
    ('empty (the INITCOND)', 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0'),
    ('hand table', 'rows=6 completed=2/4 skipped=2/5 replayed=2/4 playlisted=1/4 duration=430/4 listen=400/640/3'),
    ('durations at 2^31-1 each', 'rows=2 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=4294967294/2 listen=2147483647/2147483647/1'),
    ('every field at the int64 maximum',
     'rows=9223372036854775807 completed=9223372036854775807/9223372036854775807 skipped=9223372036854775807/9223372036854775807 replayed=9223372036854775807/9223372036854775807 playlisted=9223372036854775807/9223372036854775807 duration=9223372036854775807/9223372036854775807 listen=9223372036854775807/9223372036854775807/9223372036854775807');
SELECT label, state::vinylops.stream_metrics_state::text = state AS text_round_trip
FROM good_states ORDER BY label COLLATE "C";

-- A state written out and read back gives bit-identical results (the finals compared as
-- float8, not as text): what Citus relies on when it ships partial states.
SELECT grp,
       vinylops.engagement_score_final(s::text::vinylops.stream_metrics_state)
           = vinylops.engagement_score_final(s) AS engagement_same,
       vinylops.experience_score_final(s::text::vinylops.stream_metrics_state)
           IS NOT DISTINCT FROM vinylops.experience_score_final(s) AS experience_same,
       vinylops.stream_metrics_final(s::text::vinylops.stream_metrics_state)::text
           = vinylops.stream_metrics_final(s)::text AS metrics_same
FROM (SELECT grp, pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) AS s
      FROM hand GROUP BY grp) g
ORDER BY grp COLLATE "C";

-- Malformed text states: each must be a clean error with an SQLSTATE, never a crash or a state.
CREATE FUNCTION pg_temp.parse_state(input text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    RETURN 'accepted: ' || input::vinylops.stream_metrics_state::text;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ' ' || detail;
END $$;

\set good 'rows=6 completed=2/4 skipped=2/5 replayed=2/4 playlisted=1/4 duration=430/4 listen=400/640/3'
\set one_row 'rows=1 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 '
SELECT label, pg_temp.parse_state(input) AS result
FROM (VALUES
    ('01 negative rows',                 replace(:'good', 'rows=6', 'rows=-6')),
    ('02 negative TRUE count',           replace(:'good', 'completed=2/4', 'completed=-2/4')),
    ('03 negative duration sum',         replace(:'good', 'duration=430/4', 'duration=-430/4')),
    ('04 NaN duration sum',              replace(:'good', 'duration=430/4', 'duration=NaN/4')),
    ('05 infinite duration sum',         replace(:'good', 'duration=430/4', 'duration=Infinity/4')),
    ('06 fractional sum',                replace(:'good', 'duration=430/4', 'duration=430.5/4')),
    ('07 exponent',                      replace(:'good', 'duration=430/4', 'duration=4.3e2/4')),
    ('08 TRUE above non-NULL',           replace(:'good', 'completed=2/4', 'completed=5/4')),
    ('09 non-NULL above rows',           replace(:'good', 'skipped=2/5', 'skipped=2/7')),
    ('10 durations above rows',          replace(:'good', 'duration=430/4', 'duration=430/7')),
    ('11 paired above durations',        replace(:'good', 'listen=400/640/3', 'listen=400/640/5')),
    ('12 paired sum above all',          replace(:'good', 'listen=400/640/3', 'listen=500/640/3')),
    ('13 sum without values',            replace(:'good', 'duration=430/4 listen=400/640/3', 'duration=430/0 listen=0/0/0')),
    ('14 one duration above 2^31-1',     :'one_row' || 'duration=2147483648/1 listen=0/0/0'),
    ('15 unpaired rest unreachable',     'rows=2 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=2147483648/2 listen=0/0/1'),
    ('16 track sum unreachable',         :'one_row' || 'duration=0/1 listen=0/2147483648/1'),
    ('17 int64 maximum + 1',             replace(:'good', 'rows=6', 'rows=9223372036854775808')),
    ('18 a thousand digits',             replace(:'good', 'rows=6', 'rows=' || repeat('9', 1000))),
    ('19 leading zero',                  replace(:'good', 'rows=6', 'rows=06')),
    ('20 plus sign',                     replace(:'good', 'rows=6', 'rows=+6')),
    ('21 empty string',                  ''),
    ('22 garbage',                       'hello'),
    ('23 truncated inside a key',        left(:'good', 25)),
    ('24 truncated before last value',   left(:'good', length(:'good') - 1)),
    ('25 trailing garbage',              :'good' || 'x'),
    ('26 trailing space',                :'good' || ' '),
    ('27 leading space',                 ' ' || :'good'),
    ('28 repeated field',                :'good' || ' rows=6'),
    ('29 oversized (1.3 MB)',            :'good' || repeat(' listen=0/0/0', 100000)),
    ('30 fields out of order',           replace(replace(:'good', 'completed=2/4 ', ''), 'skipped=2/5', 'skipped=2/5 completed=2/4')),
    ('31 unknown field name',            replace(:'good', 'playlisted=', 'playlist=')),
    ('32 tab separators',                replace(:'good', ' ', E'\t')),
    ('33 double space',                  replace(:'good', ' skipped', '  skipped')),
    ('34 upper-case key',                replace(:'good', 'rows=', 'ROWS=')),
    ('35 full-width digit',              replace(:'good', 'rows=6', 'rows=６')),
    ('36 missing separator slash',       replace(:'good', 'completed=2/4', 'completed=24')),
    ('37 negative paired count',         replace(:'good', 'listen=400/640/3', 'listen=400/640/-3'))
) AS bad(label, input)
ORDER BY label COLLATE "C";

-- What a user sees for one of them: the message, the input and the detail.
SELECT 'rows=6 completed=5/4 skipped=2/5 replayed=2/4 playlisted=1/4 duration=430/4 listen=400/640/3'::vinylops.stream_metrics_state;
SELECT 'rows=6 completed=2/4 skipped=2/5 replayed=2/4 playlisted=1/4 duration=NaN/4 listen=400/640/3'::vinylops.stream_metrics_state;

-- ---------------------------------------------------------------------------
-- Binary input: bytes reach stream_metrics_state_recv the way a client sends them,
-- as one field of a binary COPY file (signature, flags, header extension, one tuple
-- of one field, trailer), written server-side with lo_export and read with COPY.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE recv_target (s vinylops.stream_metrics_state);
CREATE FUNCTION pg_temp.recv_state(payload bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    copy_file bytea := '\x5047434f50590aff0d0a00'::bytea
        || int4send(0) || int4send(0)
        || int2send(1::int2) || int4send(length(payload)) || payload
        || int2send(-1::int2);
    lo oid := lo_from_bytea(0, copy_file);
    detail text;
BEGIN
    PERFORM lo_export(lo, 'stream_metrics_recv.copy');
    PERFORM lo_unlink(lo);
    TRUNCATE recv_target;
    BEGIN
        COPY recv_target FROM 'stream_metrics_recv.copy' (FORMAT binary);
        RETURN 'accepted: ' || (SELECT s::text FROM recv_target);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
        RETURN SQLSTATE || ' ' || detail;
    END;
END $$;

-- The binary form is 14 big-endian int64 in text-form order: 112 bytes.  For one_row:
-- rows 1, eight zero flag counts, then duration 5/1 and listen 5/9/1.
SELECT length(vinylops.stream_metrics_state_send(:'good')) AS bytes,
       vinylops.stream_metrics_state_send((:'one_row' || 'duration=5/1 listen=5/9/1')::vinylops.stream_metrics_state)
           AS one_row_bytes;

-- send then recv gives the state back exactly.
SELECT label, pg_temp.recv_state(vinylops.stream_metrics_state_send(state::vinylops.stream_metrics_state))
              = 'accepted: ' || state AS binary_round_trip
FROM good_states ORDER BY label COLLATE "C";

-- Wrong sizes and impossible contents are errors.  The edits overwrite whole int64 fields:
-- field k (0-based) occupies bytes 8k+1 .. 8k+8.
SELECT label, pg_temp.recv_state(payload) AS result
FROM (SELECT v.label, v.payload
      FROM (SELECT vinylops.stream_metrics_state_send(:'good') AS b) g,
      LATERAL (VALUES
        ('1 empty',                       ''::bytea),
        ('2 truncated by one byte',       substring(g.b FROM 1 FOR 111)),
        ('3 truncated to one field',      substring(g.b FROM 1 FOR 8)),
        ('4 one byte too many',           g.b || '\x00'::bytea),
        ('5 twice the size',              g.b || g.b),
        ('6 negative rows',               overlay(g.b PLACING int8send(-6) FROM 1)),
        ('7 TRUE above non-NULL',         overlay(g.b PLACING int8send(9) FROM 9)),
        ('8 non-NULL above rows',         overlay(g.b PLACING int8send(7) FROM 17)),
        ('9 paired sum above all',        overlay(g.b PLACING int8send(431) FROM 89))
      ) AS v(label, payload)) cases
ORDER BY label COLLATE "C";

DROP TABLE hand;
