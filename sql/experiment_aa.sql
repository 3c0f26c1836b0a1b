-- A/A experiments: the launch rule must not ship what does nothing.  4,000 simulated
-- users with no effect, split 40 times by assign_by_hash under different experiment
-- names (each split is an independent random assignment of the same population);
-- bench/experiment_simulation.sh runs the long version.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
\i sql/include/experiment_simulator.psql

INSERT INTO vinylops.users SELECT 'A' || lpad(i::text, 4, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 4000) i;
SELECT pg_temp.simulate_streams('A', NULL, 0, 0.25) AS streams;
SELECT count(DISTINCT i) AS splits FROM generate_series(1, 40) i, LATERAL vinylops.assign_by_hash('aa_' || i);

CREATE TEMP TABLE aa AS
SELECT i, d.decision, r.p_value, r.lift_pct
FROM generate_series(1, 40) i
CROSS JOIN LATERAL vinylops.ship_decision('aa_' || i, '2024-03-01', '2024-03-14') d
CROSS JOIN LATERAL (SELECT p_value, lift_pct FROM vinylops.experiment_report('aa_' || i, '2024-03-01', '2024-03-14')
                    WHERE role = 'primary') r;

-- Shipping needs p < 0.05 AND a lift above +2 %, so under no effect it happens at most
-- 2.5 % of the time.  Binomial bounds at the nominal 5 % (SciPy: binom.sf(7, 40, 0.05) =
-- 0.0007): more than 7 ships in 40 would reject "false-ship rate <= 5 %" at the 0.1 % level.
-- The primary p-values must look uniform: p < 0.05 in at most 7 splits, and p < 0.5 in
-- 10 to 30 of them (binom.cdf(9, 40, 0.5) = binom.sf(30, 40, 0.5) = 0.00034).
SELECT count(*) FILTER (WHERE decision = 'Ship') <= 7 AS false_ships_within_bound,
       count(*) FILTER (WHERE p_value < 0.05) <= 7 AS significant_within_bound,
       count(*) FILTER (WHERE p_value < 0.5) BETWEEN 10 AND 30 AS half_below_median,
       count(*) FILTER (WHERE p_value IS NULL) AS missing_p
FROM aa;
-- The counts themselves, for the record (fixed by the seed).
SELECT count(*) FILTER (WHERE decision = 'Ship') AS ships, count(*) FILTER (WHERE p_value < 0.05) AS p_below_005,
       count(*) FILTER (WHERE p_value < 0.5) AS p_below_05
FROM aa;
