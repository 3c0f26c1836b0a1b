-- welch_ttest against independent references, over the fixture that
-- test/fixtures/make_ttest_reference.py writes (SciPy's ttest_ind /
-- ttest_ind_from_stats with equal_var=False, and mpmath at 40 digits).
-- 637 summary-statistics cases go through a hand-made ttest_state and the
-- final function; 10 raw-data cases go through the aggregate itself.
-- Grid: df from 1 to 2e6, |t| up to 40, n = 2 against n = 1e6, variances
-- from 1e-12 to 1e12, confidence from 0.5 to 0.9999.
--
-- Tolerances: p-values 1e-9 absolute.  Interval bounds 1e-9 absolute, or
-- relative to the largest magnitude involved when that exceeds 1:
-- tol = 1e-9 * max(1, |bound|, |mean_control|, |mean_treatment|) (the
-- difference of two means is only as exact as the means).  t and df 1e-12
-- relative for summary cases; 1e-6 for raw rows, where each side sums the
-- rows in its own order: in the case with values near 1e9 and a spread of 1,
-- the rounding of the means alone moves t by ~3e-7 relative (p by 2e-11).
-- Only counts of failures and the order of magnitude of the worst errors are
-- printed, so the output is deterministic and still fails when a number drifts.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

CREATE TEMP TABLE ref (
    case_id int, source text,
    n_control text, mean_control text, m2_control text,
    n_treatment text, mean_treatment text, m2_treatment text, confidence text,
    t_ref float8, df_ref float8, p_ref float8, ci_low_ref float8, ci_high_ref float8,
    p_mp float8, ci_low_mp float8, ci_high_mp float8);
\copy ref FROM 'test/fixtures/ttest_reference.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE ref_rows (case_id int, is_treatment boolean, value float8);
\copy ref_rows FROM 'test/fixtures/ttest_reference_rows.csv' WITH (FORMAT csv, HEADER)

SELECT source, count(*) AS cases FROM ref GROUP BY source ORDER BY source COLLATE "C";
SELECT count(*) AS raw_rows FROM ref_rows;

-- The state's text form takes the fixture's decimal strings as they are (exact doubles).
CREATE TEMP TABLE got AS
SELECT r.case_id,
       (vinylops.welch_ttest_final(format('(%s,%s,%s,%s,%s,%s,%s)',
            r.n_control, r.mean_control, r.m2_control,
            r.n_treatment, r.mean_treatment, r.m2_treatment, r.confidence)::vinylops.ttest_state)).*
FROM ref r WHERE r.source = 'stats'
UNION ALL
SELECT x.case_id, (vinylops.welch_ttest(x.value, x.is_treatment, r.confidence::float8)).*
FROM ref_rows x JOIN ref r USING (case_id)
GROUP BY x.case_id;

CREATE TEMP VIEW cmp AS
SELECT r.source, g.*, r.t_ref, r.df_ref, r.p_ref, r.ci_low_ref, r.ci_high_ref, r.p_mp, r.ci_low_mp, r.ci_high_mp,
       greatest(1, abs(r.ci_low_ref), abs(r.ci_high_ref),
                abs(g.mean_control), abs(g.mean_treatment)) AS ci_scale,
       CASE r.source WHEN 'stats' THEN 1e-12 ELSE 1e-6 END AS t_tol,
       abs(g.p_value - r.p_ref) AS p_err,
       greatest(abs(g.ci_low - r.ci_low_ref), abs(g.ci_high - r.ci_high_ref)) AS ci_err,
       abs(g.p_value - r.p_mp) AS p_err_mp,
       greatest(abs(g.ci_low - r.ci_low_mp), abs(g.ci_high - r.ci_high_mp)) AS ci_err_mp
FROM got g JOIN ref r USING (case_id);

-- Every case is computed, and none fails its tolerance against SciPy or mpmath.
SELECT count(*) AS cases,
       count(*) FILTER (WHERE p_value IS NULL OR ci_low IS NULL OR ci_high IS NULL) AS null_results,
       count(*) FILTER (WHERE (p_err < 1e-9) IS NOT TRUE) AS p_failures,
       count(*) FILTER (WHERE (ci_err < 1e-9 * ci_scale) IS NOT TRUE) AS ci_failures,
       count(*) FILTER (WHERE (abs(t_stat - t_ref) <= t_tol * greatest(1, abs(t_ref))) IS NOT TRUE) AS t_failures,
       count(*) FILTER (WHERE (abs(df - df_ref) <= t_tol * df_ref) IS NOT TRUE) AS df_failures,
       count(*) FILTER (WHERE (p_err_mp < 1e-9) IS NOT TRUE) AS p_failures_mp,
       count(*) FILTER (WHERE (ci_err_mp < 1e-9 * ci_scale) IS NOT TRUE) AS ci_failures_mp
FROM cmp;

-- Orders of magnitude of the worst errors: -13 means below 1e-13.  The CI
-- error is relative to ci_scale.
SELECT source,
       ceil(log(greatest(max(p_err), 1e-17)))::int AS p_worst_vs_scipy,
       ceil(log(greatest(max(ci_err / ci_scale), 1e-17)))::int AS ci_worst_vs_scipy,
       ceil(log(greatest(max(p_err_mp), 1e-17)))::int AS p_worst_vs_mpmath,
       ceil(log(greatest(max(ci_err_mp / ci_scale), 1e-17)))::int AS ci_worst_vs_mpmath
FROM cmp GROUP BY source ORDER BY source COLLATE "C";

-- The grid reaches what it claims to.
SELECT round(min(df_ref)::numeric, 3) AS min_df, max(df_ref) > 1e6 AS max_df_over_1e6,
       max(abs(t_ref)) >= 39.99 AS t_up_to_40,
       count(*) FILTER (WHERE p_ref < 1e-100) AS p_below_1e_100
FROM cmp;
