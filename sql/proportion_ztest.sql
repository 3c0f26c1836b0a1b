-- proportion_ztest: behaviour and edge cases.  Checked against a plain-SQL
-- formula and SciPy values quoted in comments.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
\pset null '(null)'

-- Control 40 of 200, treatment 60 of 210.
CREATE TEMP TABLE conv AS
SELECT g <= 40 AS success, false AS is_treatment FROM generate_series(1, 200) g
UNION ALL
SELECT g <= 60, true FROM generate_series(1, 210) g;

-- SciPy: z = 2.020174742635747, two-sided p = 2 * norm.sf(z) = 0.04336526517781231;
-- 95 % Wald interval (0.0032135997207921735, 0.16821497170777922).
SELECT n_control, n_treatment, successes_control, successes_treatment, p_control,
       round(p_treatment::numeric, 12) AS p_treatment, round(diff::numeric, 12) AS diff,
       round(lift_pct::numeric, 10) AS lift_pct,
       abs(z_stat - 2.020174742635747) < 1e-12 AS z_ok,
       abs(p_value - 0.04336526517781231) < 1e-12 AS p_ok,
       abs(ci_low - 0.0032135997207921735) < 1e-12 AND abs(ci_high - 0.16821497170777922) < 1e-12 AS ci_ok
FROM (SELECT (vinylops.proportion_ztest(success, is_treatment)).* FROM conv) r;

-- The same in plain SQL (1.959963984540054 = scipy.stats.norm.isf(0.025)).
WITH c AS (
    SELECT count(*) FILTER (WHERE NOT is_treatment)::float8 AS nc,
           count(*) FILTER (WHERE is_treatment)::float8 AS nt,
           count(*) FILTER (WHERE success AND NOT is_treatment)::float8 AS sc,
           count(*) FILTER (WHERE success AND is_treatment)::float8 AS st
    FROM conv
), f AS (
    SELECT sc / nc AS pc, st / nt AS pt, (sc + st) / (nc + nt) AS pp, nc, nt FROM c
)
SELECT abs(r.z_stat - (f.pt - f.pc) / sqrt(f.pp * (1 - f.pp) * (1 / f.nc + 1 / f.nt))) < 1e-12 AS z_agrees,
       abs(r.ci_low - (f.pt - f.pc - 1.959963984540054 * sqrt(f.pc * (1 - f.pc) / f.nc + f.pt * (1 - f.pt) / f.nt))) < 1e-12
       AND abs(r.ci_high - (f.pt - f.pc + 1.959963984540054 * sqrt(f.pc * (1 - f.pc) / f.nc + f.pt * (1 - f.pt) / f.nt))) < 1e-12
       AS ci_agrees
FROM f, (SELECT (vinylops.proportion_ztest(success, is_treatment)).* FROM conv) r;

-- NULL successes and NULL arms are ignored.
SELECT (SELECT vinylops.proportion_ztest(success, is_treatment) FROM conv)
     = (SELECT vinylops.proportion_ztest(success, is_treatment)
        FROM (SELECT * FROM conv UNION ALL VALUES (NULL, true), (true, NULL)) s) AS nulls_ignored;

-- No rows; one arm empty.
SELECT (vinylops.proportion_ztest(success, is_treatment)).* FROM conv WHERE false;
SELECT (vinylops.proportion_ztest(success, is_treatment)).* FROM conv WHERE is_treatment;

-- No successes anywhere: p = 0 in both arms, so no lift, no z, no interval.
SELECT (vinylops.proportion_ztest(false, is_treatment)).* FROM conv;

-- All control fail, all treatment succeed: the pooled test is defined, the
-- Wald interval is not (zero SE).  Pooled p = 210/410, so
-- z = 1 / sqrt(210 * 200 / 410^2 * 410 / (200 * 210)) = sqrt(410).
SELECT p_control, p_treatment, diff, lift_pct, abs(z_stat - sqrt(410::float8)) < 1e-12 AS z_is_sqrt_410,
       p_value < 1e-80 AS p_tiny, ci_low, ci_high
FROM (SELECT (vinylops.proportion_ztest(is_treatment, is_treatment)).* FROM conv) r;

-- The state: text form, round trip, and direct calls leave their inputs alone.
SELECT s, vinylops.proportion_ztest_accum(s, true, false) AS after_row, s AS unchanged,
       vinylops.proportion_ztest_combine(s, s) AS doubled
FROM (SELECT vinylops.proportion_ztest_accum('(0,0,0,0)', true, true)) v(s);
SELECT (vinylops.proportion_ztest_final('(200,40,210,60)')).z_stat
     = (SELECT (vinylops.proportion_ztest(success, is_treatment)).z_stat FROM conv) AS final_of_state;
