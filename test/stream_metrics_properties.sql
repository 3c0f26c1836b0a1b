-- Properties of engagement_score, experience_score and stream_metrics on seeded
-- random data: each equals its plain-SQL formula (written separately, in numeric),
-- the aggregate of a UNION ALL equals combining the parts' states, combining is
-- commutative and associative, states round-trip through text, and mutated text
-- states are either clean errors or canonical, consistent states.
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(24);

-- 20,000 streams in 40 groups; about 3 % NULL in every input.  Group 0 has no track
-- durations (listen-through and experience are NULL), group 1 no completed flag
-- (completion, engagement and experience are NULL).
SELECT setseed(0.3103);
CREATE TEMP TABLE r AS
SELECT i AS id,
       i % 40 AS grp,
       random() < 0.5 AS part_a,
       CASE WHEN i % 40 = 1 OR random() < 0.03 THEN NULL ELSE random() < 0.62 END AS completed,
       CASE WHEN random() < 0.03 THEN NULL ELSE random() < 0.27 END AS skipped,
       CASE WHEN random() < 0.03 THEN NULL ELSE random() < 0.18 END AS replayed,
       CASE WHEN random() < 0.03 THEN NULL ELSE random() < 0.12 END AS added,
       CASE WHEN random() < 0.03 THEN NULL ELSE floor(random() * 600)::integer END AS stream_sec,
       CASE WHEN i % 40 = 0 OR random() < 0.03 THEN NULL ELSE 1 + floor(random() * 420)::integer END AS track_sec
FROM generate_series(1, 20000) AS i;

-- The plain-SQL formulas, per group, in numeric: the second route every figure is checked by.
CREATE TEMP VIEW plain AS
SELECT grp,
       count(*) AS streams,
       100.0 * count(*) FILTER (WHERE completed) / NULLIF(count(completed), 0) AS completion_pct,
       100.0 * count(*) FILTER (WHERE skipped) / NULLIF(count(skipped), 0) AS skip_pct,
       100.0 * count(*) FILTER (WHERE replayed) / NULLIF(count(replayed), 0) AS replay_pct,
       100.0 * count(*) FILTER (WHERE added) / NULLIF(count(added), 0) AS playlist_add_pct,
       avg(stream_sec) AS avg_duration_sec,
       100.0 * sum(stream_sec) FILTER (WHERE track_sec IS NOT NULL)
             / NULLIF(sum(track_sec) FILTER (WHERE stream_sec IS NOT NULL), 0) AS listen_through_pct
FROM r GROUP BY grp;

CREATE TEMP VIEW plain_scores AS
SELECT grp,
       0.4 * completion_pct + 0.3 * replay_pct + 0.3 * playlist_add_pct AS engagement,
       0.5 * completion_pct + 0.3 * (100 - skip_pct) + 0.2 * listen_through_pct AS experience
FROM plain;

-- Within 1e-9, or both NULL.
CREATE FUNCTION pg_temp.near(a float8, b numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN (a IS NULL AND b IS NULL) OR abs(a::numeric - b) < 1e-9;

-- The three aggregates stopped before their final function: their states.
CREATE AGGREGATE pg_temp.engagement_state(boolean, boolean, boolean) (
    SFUNC = vinylops.engagement_score_accum, STYPE = vinylops.stream_metrics_state,
    COMBINEFUNC = vinylops.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0');
CREATE AGGREGATE pg_temp.experience_state(boolean, boolean, integer, integer) (
    SFUNC = vinylops.experience_score_accum, STYPE = vinylops.stream_metrics_state,
    COMBINEFUNC = vinylops.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0');
CREATE AGGREGATE pg_temp.metrics_state(boolean, boolean, boolean, boolean, integer, integer) (
    SFUNC = vinylops.stream_metrics_accum, STYPE = vinylops.stream_metrics_state,
    COMBINEFUNC = vinylops.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0');

-- 1-3: the catalogue declares what the contract promises (and what the state aggregates
-- above rebuild): concrete state type, combine function, parallel safe.
SELECT set_eq(
    $$SELECT p.proname::text, p.proparallel::text, a.aggtranstype::regtype::text,
             a.aggtransfn::text, a.aggcombinefn::text, a.aggfinalfn::text, a.agginitval
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
      JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'vinylops' AND p.proname IN ('engagement_score', 'experience_score', 'stream_metrics')$$,
    $$VALUES
      ('engagement_score', 's', 'vinylops.stream_metrics_state', 'vinylops.engagement_score_accum',
       'vinylops.stream_metrics_combine', 'vinylops.engagement_score_final',
       'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0'),
      ('experience_score', 's', 'vinylops.stream_metrics_state', 'vinylops.experience_score_accum',
       'vinylops.stream_metrics_combine', 'vinylops.experience_score_final',
       'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0'),
      ('stream_metrics', 's', 'vinylops.stream_metrics_state', 'vinylops.stream_metrics_accum',
       'vinylops.stream_metrics_combine', 'vinylops.stream_metrics_final',
       'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0')$$,
    'the three aggregates: concrete state, combine function, parallel safe');
SELECT is(pg_catalog.pg_get_function_identity_arguments('vinylops.stream_metrics'::regproc),
          'completed boolean, skipped boolean, replayed boolean, added_to_playlist boolean, stream_duration_sec integer, track_duration_sec integer',
          'stream_metrics has the signature the reports use');
SELECT is((SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = 'vinylops.stream_metrics_result'::regclass AND attnum > 0),
          'streams bigint, completion_pct double precision, skip_pct double precision, replay_pct double precision, '
          'playlist_add_pct double precision, avg_duration_sec double precision, listen_through_pct double precision',
          'stream_metrics_result fields, in order');

-- 4-7: the scores equal their plain-SQL formulas, overall and in every group.
SELECT ok(pg_temp.near(
    (SELECT vinylops.engagement_score(completed, replayed, added) FROM r),
    (SELECT 0.4 * 100.0 * count(*) FILTER (WHERE completed) / count(completed)
          + 0.3 * 100.0 * count(*) FILTER (WHERE replayed) / count(replayed)
          + 0.3 * 100.0 * count(*) FILTER (WHERE added) / count(added) FROM r)),
    'engagement_score equals its plain-SQL formula over all rows (1e-9)');
SELECT is((SELECT count(*) FROM plain_scores p
           JOIN (SELECT grp, vinylops.engagement_score(completed, replayed, added) AS e FROM r GROUP BY grp) a
             USING (grp)
           WHERE NOT pg_temp.near(a.e, p.engagement)), 0::bigint,
          'engagement_score equals its plain-SQL formula in each of 40 groups, group 1 NULL in both');
SELECT ok(pg_temp.near(
    (SELECT vinylops.experience_score(completed, skipped, stream_sec, track_sec) FROM r),
    (SELECT 0.5 * 100.0 * count(*) FILTER (WHERE completed) / count(completed)
          + 0.3 * (100 - 100.0 * count(*) FILTER (WHERE skipped) / count(skipped))
          + 0.2 * 100.0 * sum(stream_sec) FILTER (WHERE track_sec IS NOT NULL)
                / sum(track_sec) FILTER (WHERE stream_sec IS NOT NULL) FROM r)),
    'experience_score equals its plain-SQL formula over all rows (1e-9)');
SELECT is((SELECT count(*) FROM plain_scores p
           JOIN (SELECT grp, vinylops.experience_score(completed, skipped, stream_sec, track_sec) AS e
                 FROM r GROUP BY grp) a USING (grp)
           WHERE NOT pg_temp.near(a.e, p.experience)), 0::bigint,
          'experience_score equals its plain-SQL formula in each of 40 groups, groups 0 and 1 NULL in both');

-- 8: the NULL groups are really there (so 5 and 7 compared NULLs, not just numbers).
SELECT is((SELECT array_agg(grp ORDER BY grp) FROM plain_scores WHERE experience IS NULL OR engagement IS NULL),
          ARRAY[0, 1], 'groups 0 and 1 have NULL scores by construction');

-- 9: every stream_metrics field equals the plain-SQL rate in every group.
SELECT is((SELECT count(*) FROM plain p
           JOIN (SELECT grp, vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m
                 FROM r GROUP BY grp) a USING (grp)
           WHERE (a.m).streams <> p.streams
              OR NOT pg_temp.near((a.m).completion_pct, p.completion_pct)
              OR NOT pg_temp.near((a.m).skip_pct, p.skip_pct)
              OR NOT pg_temp.near((a.m).replay_pct, p.replay_pct)
              OR NOT pg_temp.near((a.m).playlist_add_pct, p.playlist_add_pct)
              OR NOT pg_temp.near((a.m).avg_duration_sec, p.avg_duration_sec)
              OR NOT pg_temp.near((a.m).listen_through_pct, p.listen_through_pct)), 0::bigint,
          'stream_metrics: all seven fields equal the plain-SQL rates in each of 40 groups');

-- 10: the scores agree with the rates stream_metrics reports (one state, three finals).
SELECT is((SELECT count(*) FROM (
               SELECT vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec) AS m,
                      vinylops.engagement_score(completed, replayed, added) AS e,
                      vinylops.experience_score(completed, skipped, stream_sec, track_sec) AS x
               FROM r GROUP BY grp) a
           WHERE NOT pg_temp.near(a.e, (0.4 * (a.m).completion_pct + 0.3 * (a.m).replay_pct
                                        + 0.3 * (a.m).playlist_add_pct)::numeric)
              OR NOT pg_temp.near(a.x, (0.5 * (a.m).completion_pct + 0.3 * (100 - (a.m).skip_pct)
                                        + 0.2 * (a.m).listen_through_pct)::numeric)), 0::bigint,
          'both scores agree with the rates stream_metrics returns');

-- 11-14: the aggregate over a UNION ALL equals the combine function applied to the parts' states.
SELECT is(
    (SELECT vinylops.stream_metrics_combine(
        (SELECT pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FROM r WHERE part_a),
        (SELECT pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FROM r WHERE NOT part_a)))::text,
    (SELECT pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec)
     FROM (SELECT * FROM r WHERE part_a UNION ALL SELECT * FROM r WHERE NOT part_a) u)::text,
    'state of a UNION ALL = combine of the two parts'' states, field for field');
SELECT is(
    vinylops.engagement_score_final(vinylops.stream_metrics_combine(
        (SELECT pg_temp.engagement_state(completed, replayed, added) FROM r WHERE part_a),
        (SELECT pg_temp.engagement_state(completed, replayed, added) FROM r WHERE NOT part_a))),
    (SELECT vinylops.engagement_score(completed, replayed, added)
     FROM (SELECT * FROM r WHERE part_a UNION ALL SELECT * FROM r WHERE NOT part_a) u),
    'engagement_score of a UNION ALL = final of the combined parts (exactly)');
SELECT is(
    vinylops.experience_score_final(vinylops.stream_metrics_combine(
        (SELECT pg_temp.experience_state(completed, skipped, stream_sec, track_sec) FROM r WHERE part_a),
        (SELECT pg_temp.experience_state(completed, skipped, stream_sec, track_sec) FROM r WHERE NOT part_a))),
    (SELECT vinylops.experience_score(completed, skipped, stream_sec, track_sec)
     FROM (SELECT * FROM r WHERE part_a UNION ALL SELECT * FROM r WHERE NOT part_a) u),
    'experience_score of a UNION ALL = final of the combined parts (exactly)');
SELECT is(
    (SELECT count(*) FROM (
        SELECT grp,
               vinylops.stream_metrics_final(vinylops.stream_metrics_combine(
                   pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FILTER (WHERE part_a),
                   pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FILTER (WHERE NOT part_a)))::text AS combined,
               vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec)::text AS whole
        FROM r GROUP BY grp) g
     WHERE combined <> whole), 0::bigint,
    'stream_metrics per group = final of the combined halves, in all 40 groups');

-- 15-17: combine is commutative, associative, and the empty state is its identity.
CREATE TEMP TABLE thirds AS
SELECT grp,
       pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FILTER (WHERE id % 3 = 0) AS a,
       pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FILTER (WHERE id % 3 = 1) AS b,
       pg_temp.metrics_state(completed, skipped, replayed, added, stream_sec, track_sec) FILTER (WHERE id % 3 = 2) AS c
FROM r GROUP BY grp;
SELECT is((SELECT count(*) FROM thirds
           WHERE vinylops.stream_metrics_combine(a, b)::text <> vinylops.stream_metrics_combine(b, a)::text),
          0::bigint, 'combine is commutative');
SELECT is((SELECT count(*) FROM thirds
           WHERE vinylops.stream_metrics_combine(vinylops.stream_metrics_combine(a, b), c)::text
              <> vinylops.stream_metrics_combine(a, vinylops.stream_metrics_combine(b, c))::text),
          0::bigint, 'combine is associative');
SELECT is((SELECT count(*) FROM thirds
           WHERE vinylops.stream_metrics_combine(a, 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0')::text
              <> a::text),
          0::bigint, 'the empty state (INITCOND) is the identity of combine');

-- 18: input order does not matter (integer sums).
SELECT is(
    (SELECT vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec ORDER BY random())::text FROM r),
    (SELECT vinylops.stream_metrics(completed, skipped, replayed, added, stream_sec, track_sec ORDER BY id DESC)::text FROM r),
    'stream_metrics does not depend on input order');

-- 19-20: every state round-trips through text exactly, and so do the finals computed from it.
SELECT is((SELECT count(*) FROM thirds t, LATERAL (VALUES (t.a), (t.b), (t.c)) v(s)
           WHERE v.s::text::vinylops.stream_metrics_state::text <> v.s::text), 0::bigint,
          'out(in(out(state))) = out(state) for 120 random states');
SELECT is((SELECT count(*) FROM thirds t, LATERAL (VALUES (t.a), (t.b), (t.c)) v(s)
           WHERE vinylops.experience_score_final(v.s::text::vinylops.stream_metrics_state)
                 IS DISTINCT FROM vinylops.experience_score_final(v.s)
              OR vinylops.engagement_score_final(v.s::text::vinylops.stream_metrics_state)
                 IS DISTINCT FROM vinylops.engagement_score_final(v.s)), 0::bigint,
          'scores from a state read back from text are bit-identical');

-- 21-24: 3,000 random one-character mutations (replace, delete, insert, truncate) of real
-- states.  Each is a clean 22P02/22003 error or an accepted state that is canonical and
-- consistent; any other error would abort this test.
CREATE FUNCTION pg_temp.mutate(src text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    alphabet constant text := '0123456789/= -.+eNaIn9';
    pos int := 1 + floor(random() * length(src))::int;
    ch text := substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
BEGIN
    CASE floor(random() * 4)::int
        WHEN 0 THEN RETURN overlay(src PLACING ch FROM pos FOR 1);
        WHEN 1 THEN RETURN overlay(src PLACING '' FROM pos FOR 1);
        WHEN 2 THEN RETURN overlay(src PLACING ch FROM pos FOR 0);
        ELSE RETURN left(src, pos - 1);
    END CASE;
END $$;

CREATE FUNCTION pg_temp.classify(input text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    s vinylops.stream_metrics_state;
    m vinylops.stream_metrics_result;
BEGIN
    s := input::vinylops.stream_metrics_state;
    IF s::text <> input THEN
        RETURN 'accepted, not canonical';
    END IF;
    m := vinylops.stream_metrics_final(s);
    IF m.completion_pct NOT BETWEEN 0 AND 100 OR m.skip_pct NOT BETWEEN 0 AND 100
       OR m.replay_pct NOT BETWEEN 0 AND 100 OR m.playlist_add_pct NOT BETWEEN 0 AND 100
       OR m.avg_duration_sec NOT BETWEEN 0 AND 2147483647 OR m.listen_through_pct < 0 THEN
        RETURN 'accepted, impossible rates';
    END IF;
    RETURN 'accepted';
EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
    RETURN 'clean error';
END $$;

CREATE TEMP TABLE fuzz AS
SELECT pg_temp.classify(pg_temp.mutate(t.s::text)) AS outcome
FROM (SELECT v.s FROM thirds, LATERAL (VALUES (a), (b), (c)) v(s)) t, generate_series(1, 25);

SELECT is((SELECT count(*) FROM fuzz), 3000::bigint, '3,000 mutated states were tried');
SELECT is((SELECT count(*) FROM fuzz WHERE outcome LIKE 'accepted, %'), 0::bigint,
          'no mutated state is accepted in a non-canonical form or with impossible rates');
SELECT cmp_ok((SELECT count(*) FROM fuzz WHERE outcome = 'clean error'), '>', 1000::bigint,
              'most mutations are clean errors');
SELECT cmp_ok((SELECT count(*) FROM fuzz WHERE outcome = 'accepted'), '>', 100::bigint,
              'some mutations (digit changes) are still valid states, and those are accepted');

SELECT * FROM finish();
ROLLBACK;
