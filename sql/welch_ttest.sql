-- welch_ttest: behaviour and edge cases.  Numbers are checked against SciPy
-- values quoted in comments and against plain-SQL formulas (avg, stddev_samp).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
\pset null '(null)'

CREATE TEMP TABLE small (value float8, is_treatment boolean);
INSERT INTO small VALUES (1, false), (2, false), (3, false), (4, true), (6, true), (5.5, true);

-- Control 1, 2, 3; treatment 4, 6, 5.5.  SciPy ttest_ind(equal_var=False):
-- t = 3.8000000000000003, p = 0.019159745365730854, df = 3.9936102236421727,
-- 95 % CI (0.8515017145328985, 5.4818316188004355), Cohen's d = 3.10268700752536.
SELECT n_control, n_treatment, mean_control, round(mean_treatment::numeric, 12) AS mean_treatment,
       sd_control, round(sd_treatment::numeric, 12) AS sd_treatment,
       round(mean_diff::numeric, 12) AS mean_diff, round(lift_pct::numeric, 10) AS lift_pct,
       abs(t_stat - 3.8000000000000003) < 1e-12 AS t_ok,
       abs(df - 3.9936102236421727) < 1e-12 AS df_ok,
       abs(p_value - 0.019159745365730854) < 1e-12 AS p_ok,
       abs(ci_low - 0.8515017145328985) < 1e-12 AND abs(ci_high - 5.4818316188004355) < 1e-12 AS ci_ok,
       abs(cohens_d - 3.10268700752536) < 1e-12 AS d_ok
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM small) r;

-- The same from plain SQL: means, standard deviations, Welch t and df.
WITH arm AS (
    SELECT is_treatment, count(*) AS n, avg(value) AS m, var_samp(value) AS v FROM small GROUP BY is_treatment
), f AS (
    SELECT c.n AS nc, t.n AS nt, c.m AS mc, t.m AS mt, c.v AS vc, t.v AS vt,
           (t.m - c.m) / sqrt(c.v / c.n + t.v / t.n) AS t_stat,
           (c.v / c.n + t.v / t.n) ^ 2 / ((c.v / c.n) ^ 2 / (c.n - 1) + (t.v / t.n) ^ 2 / (t.n - 1)) AS df
    FROM arm c, arm t WHERE NOT c.is_treatment AND t.is_treatment
)
SELECT abs(r.mean_control - f.mc) < 1e-12 AND abs(r.mean_treatment - f.mt) < 1e-12 AS means_agree,
       abs(r.sd_control - sqrt(f.vc)) < 1e-12 AND abs(r.sd_treatment - sqrt(f.vt)) < 1e-12 AS sds_agree,
       abs(r.t_stat - f.t_stat) < 1e-12 AND abs(r.df - f.df) < 1e-12 AS t_and_df_agree
FROM f, (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM small) r;

-- 99 % interval: SciPy's t.ppf gives (-0.6742741816031166, 7.007607514936451),
-- itself only good to ~1e-10 here (see doc/statistics.md), hence 1e-9.
SELECT abs(ci_low - -0.6742741816031166) < 1e-9 AND abs(ci_high - 7.007607514936451) < 1e-9 AS ci99_ok,
       abs(p_value - 0.019159745365730854) < 1e-12 AS p_unchanged
FROM (SELECT (vinylops.welch_ttest(value, is_treatment, 0.99)).* FROM small) r;

-- The two-argument form is the three-argument one at 0.95.
SELECT (SELECT vinylops.welch_ttest(value, is_treatment) FROM small)
     = (SELECT vinylops.welch_ttest(value, is_treatment, 0.95) FROM small) AS default_is_95;

-- NULL values and NULL arms are ignored, as built-in aggregates ignore NULLs.
SELECT (SELECT vinylops.welch_ttest(value, is_treatment) FROM small)
     = (SELECT vinylops.welch_ttest(value, is_treatment)
        FROM (SELECT * FROM small UNION ALL VALUES (NULL, true), (7, NULL), (NULL, NULL)) s) AS nulls_ignored;

-- No rows: counts 0, everything else NULL (both forms).
SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM small WHERE false;
SELECT (vinylops.welch_ttest(value, is_treatment, 0.9)).* FROM small WHERE false;
-- Only NULL rows: the same.
SELECT (vinylops.welch_ttest(NULL::float8, true)).*;

-- One arm empty: its own fields NULL; no difference, no test.
SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM small WHERE NOT is_treatment;

-- One row per arm: means and difference, no standard deviation, no test.
SELECT (vinylops.welch_ttest(value, is_treatment)).*
FROM (VALUES (2.0, false), (3.0, true)) s(value, is_treatment);

-- One arm with one row, the other with three: still no test.
SELECT n_control, n_treatment, sd_control, sd_treatment, t_stat, p_value, cohens_d
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).* FROM small WHERE is_treatment OR value = 1) r;

-- Zero variance in both arms: no test (t would be infinite), never an error.
SELECT (vinylops.welch_ttest(value, is_treatment)).*
FROM (VALUES (2.0, false), (2.0, false), (3.0, true), (3.0, true), (3.0, true)) s(value, is_treatment);

-- Zero variance in one arm only: the test is defined.  Control 2, 2; treatment
-- 1, 3, 5.  SciPy: t = 0.8660254037844387, p = 0.4777670321329065, df = 2.0;
-- d = 1 / sqrt(8/3) = 0.6123724356957945.  With 2 df the t quantile has a closed
-- form, t = sqrt(2 / (a (2 - a)) - 2) at a = 1 - confidence, so the 95 % interval
-- is 1 -+ sqrt(4/3) t (SciPy's t.ppf is 1.6e-10 off here).
SELECT abs(t_stat - 0.8660254037844387) < 1e-12 AS t_ok, df,
       abs(p_value - 0.4777670321329065) < 1e-12 AS p_ok,
       abs(ci_high - 1 - sqrt(4.0::float8 / 3) * sqrt(2 / (a * (2 - a)) - 2)) < 1e-12
       AND abs(ci_low - 1 + sqrt(4.0::float8 / 3) * sqrt(2 / (a * (2 - a)) - 2)) < 1e-12 AS ci_ok,
       abs(cohens_d - 0.6123724356957945) < 1e-12 AS d_ok
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).*
      FROM (VALUES (2.0, false), (2.0, false), (1.0, true), (3.0, true), (5.0, true)) s(value, is_treatment)) r,
     (VALUES (1 - 0.95::float8)) c(a);

-- mean_control = 0: lift undefined (NULL), the rest computed.
SELECT mean_control, mean_diff, lift_pct, p_value IS NOT NULL AS tested
FROM (SELECT (vinylops.welch_ttest(value, is_treatment)).*
      FROM (VALUES (-1.0, false), (1.0, false), (1.0, true), (2.0, true)) s(value, is_treatment)) r;

-- A large offset with a tiny spread: Welford's update keeps the variance
-- (var_samp of 1e9 + {0, 1, 2} is 1; sum-of-squares formulas lose it).
SELECT sd_control, sd_treatment, round(t_stat::numeric, 9) AS t_stat
FROM (SELECT (vinylops.welch_ttest(1e9 + x, t)).*
      FROM (VALUES (0.0, false), (1.0, false), (2.0, false), (1.0, true), (2.0, true), (3.0, true)) s(x, t)) r;

-- NaN and infinities are rejected with a clear error (documented choice).
SELECT vinylops.welch_ttest(value, is_treatment) FROM (VALUES ('NaN'::float8, true)) s(value, is_treatment);
SELECT vinylops.welch_ttest(value, is_treatment) FROM (VALUES ('Infinity'::float8, false)) s(value, is_treatment);
SELECT (vinylops.welch_ttest(value, is_treatment)).n_control FROM (VALUES ('-Infinity'::float8, NULL::boolean)) s(value, is_treatment);
-- (A row with a NULL arm is ignored before its value is looked at.)

-- Overflow of the running moments is an error, as in core's float aggregates.
SELECT vinylops.welch_ttest(value, is_treatment)
FROM (VALUES (1e308::float8, true), (-1e308::float8, true)) s(value, is_treatment);

-- Confidence must be in (0, 1), not NULL, and the same on every row.
SELECT vinylops.welch_ttest(value, is_treatment, 1.0) FROM small;
SELECT vinylops.welch_ttest(value, is_treatment, 0.0) FROM small;
SELECT vinylops.welch_ttest(value, is_treatment, -0.5) FROM small;
SELECT vinylops.welch_ttest(value, is_treatment, 'NaN') FROM small;
SELECT vinylops.welch_ttest(value, is_treatment, NULL) FROM small;
SELECT vinylops.welch_ttest(value, is_treatment, CASE WHEN value < 5 THEN 0.95 ELSE 0.9 END) FROM small;

-- Per group, each group its own confidence.
SELECT g, round(ci_high::numeric, 6) AS ci_high
FROM (SELECT g, (vinylops.welch_ttest(value, is_treatment, g)).*
      FROM small, (VALUES (0.5), (0.9)) c(g) GROUP BY g) r
ORDER BY g;

-- The transition and combine functions called directly never change their inputs.
SELECT s, vinylops.welch_ttest_accum(s, 10, true) AS after_row, s AS unchanged,
       vinylops.welch_ttest_combine(s, s) AS doubled
FROM (VALUES ('(2,1.5,0.5,0,0,0,0.95)'::vinylops.ttest_state)) v(s);
SELECT vinylops.welch_ttest_combine('(2,1.5,0.5,0,0,0,0.95)', '(1,3,0,0,0,0,0.9)');

-- As a window aggregate (the final function leaves the state alone).
SELECT value, n_control + n_treatment AS n, round(mean_diff::numeric, 6) AS mean_diff
FROM (SELECT value, (vinylops.welch_ttest(value, is_treatment) OVER (ORDER BY value)).* FROM small) w
ORDER BY value;
