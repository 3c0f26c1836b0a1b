-- Properties of the hypothesis-test aggregates on random data: symmetry under
-- swapping the arms, the aggregate of a union equal to the combine of its
-- parts' states, agreement with plain-SQL formulas, and the SRM alarm.
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(18);

SELECT setseed(0.3);
-- Four random groups of rows; values near 0 so merge order moves nothing past 1e-13.
CREATE TEMP TABLE obs AS
SELECT g, (g % 4) AS part, random() < 0.45 AS is_treatment,
       (random() - 0.5) * 10 + CASE WHEN g % 7 = 0 THEN 3 ELSE 0 END AS value,
       random() < 0.2 AS success
FROM generate_series(1, 4000) g;
UPDATE obs SET value = value + 0.4 WHERE is_treatment;
UPDATE obs SET success = random() < 0.24 WHERE is_treatment;

-- Relative agreement to 1e-12 (absolute below 1).
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean LANGUAGE sql AS $$
    SELECT abs(a - b) <= 1e-12 * greatest(1, abs(a), abs(b))
$$;

-- Aggregates that stop at the state, to combine parts by hand.
CREATE AGGREGATE pg_temp.ttest_state_of(float8, boolean) (
    SFUNC = vinylops.welch_ttest_accum, STYPE = vinylops.ttest_state, INITCOND = '(0,0,0,0,0,0,0.95)');
CREATE AGGREGATE pg_temp.ztest_state_of(boolean, boolean) (
    SFUNC = vinylops.proportion_ztest_accum, STYPE = vinylops.ztest_state, INITCOND = '(0,0,0,0)');
CREATE AGGREGATE pg_temp.srm_state_of(boolean) (
    SFUNC = vinylops.srm_check_accum, STYPE = vinylops.srm_state, INITCOND = '(0,0,0.5)');

-- 1-3. Swapping the arms negates t and the mean difference, mirrors the
-- interval, and keeps p, df and the counts (swapped).
SELECT ok(pg_temp.close(a.t_stat, -b.t_stat) AND pg_temp.close(a.mean_diff, -b.mean_diff),
          'swapping the arms negates t and mean_diff')
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM obs) a,
     (SELECT (vinylops.welch_ttest(value, NOT is_treatment)).* FROM obs) b;
SELECT ok(pg_temp.close(a.p_value, b.p_value) AND pg_temp.close(a.df, b.df)
          AND a.n_control = b.n_treatment AND a.n_treatment = b.n_control,
          'swapping the arms keeps p and df')
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM obs) a,
     (SELECT (vinylops.welch_ttest(value, NOT is_treatment)).* FROM obs) b;
SELECT ok(pg_temp.close(a.ci_low, -b.ci_high) AND pg_temp.close(a.ci_high, -b.ci_low)
          AND pg_temp.close(a.cohens_d, -b.cohens_d),
          'swapping the arms mirrors the interval and negates Cohen''s d')
FROM (SELECT (vinylops.welch_ttest(value, is_treatment, 0.9)).* FROM obs) a,
     (SELECT (vinylops.welch_ttest(value, NOT is_treatment, 0.9)).* FROM obs) b;

-- 4. welch_ttest against plain SQL: means, SDs, Welch t and df.
WITH arm AS (
    SELECT is_treatment, count(*) AS n, avg(value) AS m, var_samp(value) AS v FROM obs GROUP BY is_treatment
), f AS (
    SELECT c.m AS mc, t.m AS mt, sqrt(c.v) AS sc, sqrt(t.v) AS st,
           (t.m - c.m) / sqrt(c.v / c.n + t.v / t.n) AS t_stat,
           (c.v / c.n + t.v / t.n) ^ 2 / ((c.v / c.n) ^ 2 / (c.n - 1) + (t.v / t.n) ^ 2 / (t.n - 1)) AS df,
           (t.m - c.m) / sqrt(((c.n - 1) * c.v + (t.n - 1) * t.v) / (c.n + t.n - 2)) AS d
    FROM arm c, arm t WHERE NOT c.is_treatment AND t.is_treatment
)
SELECT ok(pg_temp.close(r.mean_control, f.mc) AND pg_temp.close(r.mean_treatment, f.mt)
          AND pg_temp.close(r.sd_control, f.sc) AND pg_temp.close(r.sd_treatment, f.st)
          AND pg_temp.close(r.t_stat, f.t_stat) AND pg_temp.close(r.df, f.df)
          AND pg_temp.close(r.cohens_d, f.d),
          'welch_ttest agrees with avg/var_samp and the Welch formulas')
FROM f, (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM obs) r;

-- 5-6. The aggregate of a union equals the combine of the parts' states, in
-- any grouping of the parts.
WITH parts AS (SELECT part, pg_temp.ttest_state_of(value, is_treatment) AS s FROM obs GROUP BY part),
     whole AS (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM obs),
     merged AS (
         SELECT (vinylops.welch_ttest_final(vinylops.welch_ttest_combine(
                    vinylops.welch_ttest_combine(p0.s, p1.s), vinylops.welch_ttest_combine(p2.s, p3.s)))).*
         FROM parts p0, parts p1, parts p2, parts p3
         WHERE p0.part = 0 AND p1.part = 1 AND p2.part = 2 AND p3.part = 3)
SELECT ok(w.n_control = m.n_control AND w.n_treatment = m.n_treatment
          AND pg_temp.close(w.mean_control, m.mean_control) AND pg_temp.close(w.sd_treatment, m.sd_treatment)
          AND pg_temp.close(w.t_stat, m.t_stat) AND pg_temp.close(w.df, m.df)
          AND pg_temp.close(w.p_value, m.p_value) AND pg_temp.close(w.ci_low, m.ci_low),
          'welch_ttest of a union = final(combine(parts))')
FROM whole w, merged m;
WITH parts AS (SELECT part, pg_temp.ttest_state_of(value, is_treatment) AS s FROM obs GROUP BY part),
     left_deep AS (
         SELECT (vinylops.welch_ttest_final(vinylops.welch_ttest_combine(vinylops.welch_ttest_combine(
                    vinylops.welch_ttest_combine(p3.s, p2.s), p1.s), p0.s))).*
         FROM parts p0, parts p1, parts p2, parts p3
         WHERE p0.part = 0 AND p1.part = 1 AND p2.part = 2 AND p3.part = 3)
SELECT ok(pg_temp.close(w.p_value, l.p_value) AND pg_temp.close(w.mean_diff, l.mean_diff)
          AND pg_temp.close(w.sd_control, l.sd_control),
          'combining the parts in another order gives the same test')
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM obs) w, left_deep l;

-- 7. A state survives its text form exactly.
SELECT is((SELECT vinylops.welch_ttest_final(s::text::vinylops.ttest_state) FROM
             (SELECT pg_temp.ttest_state_of(value, is_treatment) AS s FROM obs) x),
          (SELECT vinylops.welch_ttest(value, is_treatment) FROM obs),
          'final(state::text::ttest_state) = welch_ttest');

-- 8-9. proportion_ztest: union = combine (exact counts), and against plain SQL.
WITH parts AS (SELECT part, pg_temp.ztest_state_of(success, is_treatment) AS s FROM obs GROUP BY part)
SELECT is((SELECT vinylops.proportion_ztest_final(vinylops.proportion_ztest_combine(
                      vinylops.proportion_ztest_combine(p0.s, p1.s), vinylops.proportion_ztest_combine(p2.s, p3.s)))
           FROM parts p0, parts p1, parts p2, parts p3
           WHERE p0.part = 0 AND p1.part = 1 AND p2.part = 2 AND p3.part = 3),
          (SELECT vinylops.proportion_ztest(success, is_treatment) FROM obs),
          'proportion_ztest of a union = final(combine(parts))');
WITH c AS (
    SELECT count(*) FILTER (WHERE NOT is_treatment)::float8 AS nc, count(*) FILTER (WHERE is_treatment)::float8 AS nt,
           count(*) FILTER (WHERE success AND NOT is_treatment)::float8 AS sc,
           count(*) FILTER (WHERE success AND is_treatment)::float8 AS st
    FROM obs
), f AS (SELECT sc / nc AS pc, st / nt AS pt, (sc + st) / (nc + nt) AS pp, nc, nt FROM c)
SELECT ok(pg_temp.close(r.diff, f.pt - f.pc)
          AND pg_temp.close(r.lift_pct, 100 * (f.pt - f.pc) / f.pc)
          AND pg_temp.close(r.z_stat, (f.pt - f.pc) / sqrt(f.pp * (1 - f.pp) * (1 / f.nc + 1 / f.nt)))
          -- 1.959963984540054 = scipy.stats.norm.isf(0.025)
          AND pg_temp.close(r.ci_high, f.pt - f.pc + 1.959963984540054
                                       * sqrt(f.pc * (1 - f.pc) / f.nc + f.pt * (1 - f.pt) / f.nt)),
          'proportion_ztest agrees with the plain-SQL pooled z and Wald interval')
FROM f, (SELECT (vinylops.proportion_ztest(success, is_treatment)).* FROM obs) r;

-- 10. Swapping the arms of the z-test negates z and keeps p.
SELECT ok(pg_temp.close(a.z_stat, -b.z_stat) AND pg_temp.close(a.p_value, b.p_value),
          'swapping the z-test arms negates z and keeps p')
FROM (SELECT (vinylops.proportion_ztest(success, is_treatment)).* FROM obs) a,
     (SELECT (vinylops.proportion_ztest(success, NOT is_treatment)).* FROM obs) b;

-- 11. p-value and interval come from the same t distribution: at confidence
-- 1 - p the interval's nearer bound is exactly 0 (the quantile inverts the tail).
SELECT ok(least(abs(b.ci_low), abs(b.ci_high)) <= 1e-10 * (b.ci_high - b.ci_low),
          'at confidence 1 - p the interval touches 0')
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).p_value AS p FROM obs) a,
     LATERAL (SELECT (vinylops.welch_ttest(value, is_treatment, 1 - a.p)).* FROM obs) b;

-- 12-13. SRM: a 52/48 split of 100,000 users is flagged, a 50/50 one is not.
SELECT ok((vinylops.srm_check(g <= 52000)).mismatch, 'SRM flags 52/48 at 100,000 users')
FROM generate_series(1, 100000) g;
SELECT ok(NOT (vinylops.srm_check(g % 2 = 0)).mismatch, 'SRM does not flag 50/50 at 100,000 users')
FROM generate_series(1, 100000) g;

-- 14. SRM chi-square against plain SQL on the random arms.
SELECT ok(pg_temp.close(r.chi_square,
                        (nt - 0.5 * (nc + nt)) ^ 2 / (0.5 * (nc + nt)) + (nc - 0.5 * (nc + nt)) ^ 2 / (0.5 * (nc + nt))),
          'srm_check chi-square agrees with the plain-SQL formula')
FROM (SELECT count(*) FILTER (WHERE NOT is_treatment)::float8 AS nc,
             count(*) FILTER (WHERE is_treatment)::float8 AS nt FROM obs) c,
     (SELECT (vinylops.srm_check(is_treatment)).* FROM obs) r;

-- 15. SRM union = combine.
WITH parts AS (SELECT part, pg_temp.srm_state_of(is_treatment) AS s FROM obs GROUP BY part)
SELECT is((SELECT vinylops.srm_check_final(vinylops.srm_check_combine(
                      vinylops.srm_check_combine(p0.s, p1.s), vinylops.srm_check_combine(p2.s, p3.s)))
           FROM parts p0, parts p1, parts p2, parts p3
           WHERE p0.part = 0 AND p1.part = 1 AND p2.part = 2 AND p3.part = 3),
          (SELECT vinylops.srm_check(is_treatment) FROM obs),
          'srm_check of a union = final(combine(parts))');

-- 16. Scaling every value by 1e6 keeps t, df and p (the test is scale-free).
SELECT ok(pg_temp.close(a.t_stat, b.t_stat) AND pg_temp.close(a.df, b.df) AND pg_temp.close(a.p_value, b.p_value),
          'scaling the values keeps t, df and p')
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM obs) a,
     (SELECT (vinylops.welch_ttest(value * 1e6, is_treatment)).* FROM obs) b;

-- 17. Every vinylops aggregate can run in parts: combine function, concrete
-- (non-pseudo) state type, final function where it has a result type, parallel safe.
SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure::text
    FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
    JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_type t ON t.oid = a.aggtranstype
    WHERE n.nspname = 'vinylops'
      AND (a.aggcombinefn = 0 OR t.typtype = 'p' OR p.proparallel <> 's')$$,
    'every vinylops aggregate has a combine function, a concrete state type and is parallel safe');

-- 18. The five hypothesis-test aggregates exist with the contract's arguments and results.
SELECT set_eq($$
    SELECT p.oid::regprocedure::text, pg_get_function_result(p.oid)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'vinylops' AND p.prokind = 'a'
      AND p.proname IN ('welch_ttest', 'proportion_ztest', 'srm_check')$$,
    $$VALUES ('vinylops.welch_ttest(double precision,boolean)', 'vinylops.ttest_result'),
             ('vinylops.welch_ttest(double precision,boolean,double precision)', 'vinylops.ttest_result'),
             ('vinylops.proportion_ztest(boolean,boolean)', 'vinylops.ztest_result'),
             ('vinylops.srm_check(boolean)', 'vinylops.srm_result'),
             ('vinylops.srm_check(boolean,double precision)', 'vinylops.srm_result')$$,
    'welch_ttest, proportion_ztest and srm_check have the contract''s signatures');

SELECT * FROM finish();
ROLLBACK;
