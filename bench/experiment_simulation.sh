#!/usr/bin/env bash
# The launch rule's error rates by simulation (the long version of the
# experiment_aa and experiment_planted tests):
#   A/A   - 4,000 users with no effect, split N_AA times by assign_by_hash;
#           reports how often ship_decision() says Ship (must be <= alpha = 5 %)
#           and how often the primary metric alone has p < 0.05 (should be ~5 %).
#   power - 20,000 users per arm with +5 % session length, N_PLANTED seeds;
#           reports how often the rule ships, and why it does not.
# Usage: bench/experiment_simulation.sh [N_AA [N_PLANTED]]   (defaults 400 and 20)
source "$(dirname "$0")/../scripts/lib.sh"
n_aa=${1:-400}
n_planted=${2:-20}

vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
createdb vinylops_bench
cd "$VINYLOPS_ROOT"
psql -X -q -d vinylops_bench -v ON_ERROR_STOP=1 -v n_aa="$n_aa" -v n_planted="$n_planted" <<'SQL'
CREATE EXTENSION vinylops;
\i sql/include/experiment_simulator.psql
\echo A/A: 4,000 users, :n_aa hash splits
INSERT INTO vinylops.users SELECT 'A' || lpad(i::text, 4, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 4000) i;
SELECT pg_temp.simulate_streams('A', NULL, 0, 0.25) AS streams;
SELECT count(DISTINCT i) AS splits FROM generate_series(1, :n_aa) i, LATERAL vinylops.assign_by_hash('aa_' || i);
CREATE TEMP TABLE aa AS
SELECT i, d.decision, r.p_value
FROM generate_series(1, :n_aa) i
CROSS JOIN LATERAL vinylops.ship_decision('aa_' || i, '2024-03-01', '2024-03-14') d
CROSS JOIN LATERAL (SELECT p_value FROM vinylops.experiment_report('aa_' || i, '2024-03-01', '2024-03-14')
                    WHERE role = 'primary') r;
SELECT count(*) AS splits, count(*) FILTER (WHERE decision = 'Ship') AS ships,
       round(100.0 * count(*) FILTER (WHERE decision = 'Ship') / count(*), 2) AS false_ship_pct,
       round(100.0 * count(*) FILTER (WHERE p_value < 0.05) / count(*), 2) AS primary_p_below_005_pct,
       round(100.0 * count(*) FILTER (WHERE p_value < 0.10) / count(*), 2) AS primary_p_below_010_pct
FROM aa;

\echo power: 20,000 users per arm, +5 % session length, :n_planted seeds
TRUNCATE vinylops.streams;
INSERT INTO vinylops.users SELECT 'P' || lpad(i::text, 6, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 40000) i;
INSERT INTO vinylops.experiment_assignments (experiment, user_id, arm, assigned_at)
SELECT 'planted', 'P' || lpad(i::text, 6, '0'), CASE WHEN i % 2 = 0 THEN 'treatment' ELSE 'control' END, '2024-02-28'
FROM generate_series(1, 40000) i;
CREATE TEMP TABLE planted (seed float8, decision text, lift_pct float8, failed text[]);
CREATE FUNCTION pg_temp.run_planted(n integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    FOR s IN 1 .. n LOOP
        TRUNCATE vinylops.streams;
        PERFORM pg_temp.simulate_streams('P', 'planted', 5, s / 100.0);
        INSERT INTO planted
        SELECT s / 100.0, d.decision,
               (SELECT lift_pct FROM vinylops.experiment_report('planted', '2024-03-01', '2024-03-14')
                WHERE role = 'primary'),
               ARRAY(SELECT split_part(x, ':', 1) FROM unnest(d.reasons) x WHERE x LIKE 'FAIL%')
        FROM vinylops.ship_decision('planted', '2024-03-01', '2024-03-14') d;
    END LOOP;
END
$$;
SELECT pg_temp.run_planted(:n_planted);
SELECT count(*) AS seeds, count(*) FILTER (WHERE decision = 'Ship') AS ships,
       round(100.0 * count(*) FILTER (WHERE decision = 'Ship') / count(*), 1) AS ship_pct,
       round(avg(lift_pct)::numeric, 2) AS mean_estimated_lift_pct,
       round(stddev(lift_pct)::numeric, 2) AS sd_estimated_lift_pct
FROM planted;
SELECT unnest(failed) AS blocked_by, count(*) FROM planted GROUP BY 1 ORDER BY 2 DESC, 1;
SQL
