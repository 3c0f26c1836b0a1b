-- srm_check: behaviour and edge cases.  Chi-square checked against a
-- plain-SQL formula, p-values against SciPy values quoted in comments.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
\pset null '(null)'

-- 5,100 treatment, 4,900 control against an even split: chi-square =
-- 2 * 100^2 / 5000 = 4; SciPy chi2.sf(4, 1) = 0.04550026389635857 (no alarm).
SELECT n_control, n_treatment, expected_treatment_share, observed_treatment_share, chi_square,
       abs(p_value - 0.04550026389635857) < 1e-15 AS p_ok, mismatch
FROM (SELECT (vinylops.srm_check(g <= 5100)).* FROM generate_series(1, 10000) g) r;

-- 52 % / 48 % of 100,000 users: chi-square = 2 * 2000^2 / 50000 = 160,
-- SciPy chi2.sf(160, 1) = 1.1314837902433038e-36: a mismatch.
SELECT n_treatment, chi_square, abs(p_value / 1.1314837902433038e-36 - 1) < 1e-12 AS p_ok, mismatch
FROM (SELECT (vinylops.srm_check(g <= 52000)).* FROM generate_series(1, 100000) g) r;

-- An expected 30 % share, observed 333 of 1,000: plain-SQL chi-square.
WITH r AS (SELECT (vinylops.srm_check(g % 3 = 0, 0.3)).* FROM generate_series(1, 1000) g)
SELECT n_control, n_treatment, expected_treatment_share, observed_treatment_share,
       abs(chi_square - ((333 - 300) ^ 2 / 300.0 + (667 - 700) ^ 2 / 700.0)) < 1e-12 AS chi_square_ok,
       -- SciPy chi2.sf(5.185714285714285, 1) = 0.022773309501244822
       abs(p_value - 0.022773309501244822) < 1e-15 AS p_ok, mismatch
FROM r;

-- The one-argument form is the two-argument one at 0.5.
SELECT (SELECT vinylops.srm_check(g % 3 = 0) FROM generate_series(1, 1000) g)
     = (SELECT vinylops.srm_check(g % 3 = 0, 0.5) FROM generate_series(1, 1000) g) AS default_is_half;

-- NULL arms are ignored; no rows give counts 0 (and, in the two-argument
-- form, an unknown expected share).
SELECT (vinylops.srm_check(t)).* FROM (VALUES (true), (NULL), (false)) s(t);
SELECT (vinylops.srm_check(t)).* FROM (VALUES (true)) s(t) WHERE false;
SELECT (vinylops.srm_check(t, 0.2)).* FROM (VALUES (true)) s(t) WHERE false;
SELECT (vinylops.srm_check(NULL::boolean, 0.2)).*;

-- Only one arm seen: the split is as far from expected as it gets.
SELECT n_control, n_treatment, observed_treatment_share, chi_square, mismatch
FROM (SELECT (vinylops.srm_check(true)).* FROM generate_series(1, 50)) r;

-- The expected share must be in (0, 1), not NULL, and the same on every row.
SELECT vinylops.srm_check(true, 0);
SELECT vinylops.srm_check(true, 1);
SELECT vinylops.srm_check(true, 'NaN');
SELECT vinylops.srm_check(true, NULL);
SELECT vinylops.srm_check(g % 2 = 0, CASE WHEN g < 5 THEN 0.5 ELSE 0.4 END) FROM generate_series(1, 10) g;
SELECT vinylops.srm_check_combine('(1,2,0.5)', '(3,4,0.25)');
