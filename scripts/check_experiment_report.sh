#!/usr/bin/env bash
# Cross-checks one experiment_report() against SciPy: builds a simulated
# experiment in a throwaway cluster (600 users split by assign_by_hash, +10 %
# planted on session length, seed 0.5 - the data sql/experiment_report.sql
# uses), exports the raw rows and the report, and has
# scripts/check_experiment_report.py recompute everything from the raw rows.
# Needs /usr/bin/python3 with python3-scipy.
source "$(dirname "$0")/lib.sh"
vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
out=$(mktemp -d /tmp/vinylops-crosscheck.XXXXXX)
chmod 777 "$out"
cd "$VINYLOPS_ROOT"
createdb vinylops_check
psql -X -q -d vinylops_check -v ON_ERROR_STOP=1 -v out="$out" <<'SQL'
CREATE EXTENSION vinylops;
\i sql/include/experiment_simulator.psql
INSERT INTO vinylops.users SELECT 'C' || lpad(i::text, 4, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 600) i;
SELECT * FROM vinylops.assign_by_hash('crosscheck');
SELECT pg_temp.simulate_streams('C', 'crosscheck', 10, 0.5);
SQL
# Floats with every digit (extra_float_digits = 3), as the report computed them.
export PGOPTIONS="-c extra_float_digits=3"
psql -X -q -d vinylops_check -v ON_ERROR_STOP=1 \
    -c "\copy (SELECT user_id, arm FROM vinylops.experiment_assignments WHERE experiment = 'crosscheck') TO '$out/assignments.csv' WITH (FORMAT csv, HEADER)" \
    -c "\copy (SELECT s.stream_key, s.user_id, t.artist_name, s.stream_date, s.stream_time, s.stream_duration_sec, s.skipped FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)) TO '$out/streams.csv' WITH (FORMAT csv, HEADER)" \
    -c "\copy (SELECT * FROM vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14')) TO '$out/report.csv' WITH (FORMAT csv, HEADER)"
status=0
/usr/bin/python3 scripts/check_experiment_report.py "$out/assignments.csv" "$out/streams.csv" "$out/report.csv" || status=1
rm -rf "$out"
exit $status
