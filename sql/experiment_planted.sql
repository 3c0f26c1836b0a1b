-- A planted effect: session length +5 % in treatment, 20,000 users per arm (simulated by
-- sql/include/experiment_simulator.psql, seed 0.3) - the launch rule says Ship.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
\i sql/include/experiment_simulator.psql

INSERT INTO vinylops.users SELECT 'P' || lpad(i::text, 6, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 40000) i;
INSERT INTO vinylops.experiment_assignments (experiment, user_id, arm, assigned_at)
SELECT 'planted', 'P' || lpad(i::text, 6, '0'), CASE WHEN i % 2 = 0 THEN 'treatment' ELSE 'control' END, '2024-02-28'
FROM generate_series(1, 40000) i;
SELECT pg_temp.simulate_streams('P', 'planted', 5, 0.3) AS streams;

-- The lift is estimated near +5 % and its interval covers 5 %: the interval for the
-- difference in minutes, divided by the control mean.
SELECT metric, n_control, n_treatment, round(lift_pct::numeric, 2) AS lift_pct,
       p_value < 1e-6 AS p_below_1e_6,
       100 * ci_low / mean_control < 5 AND 5 < 100 * ci_high / mean_control AS ci_covers_5_pct, verdict
FROM vinylops.experiment_report('planted', '2024-03-01', '2024-03-14')
WHERE role = 'primary';
SELECT decision, array_to_string(reasons, E'\n') AS reasons
FROM vinylops.ship_decision('planted', '2024-03-01', '2024-03-14');
