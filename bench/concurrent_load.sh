#!/usr/bin/env bash
# Nothing lost under concurrency: 8 pgbench clients call the reports while one
# loader stages and ingests batches (with a few bad rows each) for a while; then
# the row counts must add up exactly and no client may have failed.
# Usage: bench/concurrent_load.sh [seconds=60] [report_clients=8]
source "$(dirname "$0")/../scripts/lib.sh"
seconds=${1:-60}
clients=${2:-8}

vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
createdb vinylops_load
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d vinylops_load "$@"; }
q <<'SQL'
CREATE EXTENSION vinylops;
SELECT count(*) FROM vinylops.generate_demo_data(20000, 3);
CREATE SEQUENCE batch_no;
CREATE TABLE ingest_log AS SELECT * FROM vinylops.ingest() WHERE false;
SQL
streams_before=$(q -c "SELECT count(*) FROM vinylops.streams")

work=$(mktemp -d /tmp/vinylops-load.XXXXXX)
trap 'rm -rf "$work"; vinylops_stop_cluster' EXIT
# The loader: 200 streams a batch, every 20th malformed (a 2/30 date), ids unique per batch.
cat >"$work/loader.sql" <<'SQL'
SELECT nextval('batch_no') AS b \gset
INSERT INTO vinylops.staging_streams
SELECT 'LOAD_' || :b || '_' || i, u.user_id, t.track_id,
       CASE WHEN i % 20 = 0 THEN '2/30/2024' ELSE '6/' || (1 + i % 28) || '/2024' END,
       (i % 24) || ':15:00', (i % 24)::text, 'Mobile', (60 + i)::text, 'TRUE', 'FALSE', 'FALSE', 'FALSE'
FROM generate_series(1, 200) i
JOIN LATERAL (SELECT user_id FROM vinylops.users ORDER BY user_id OFFSET (i * 7 + :b) % 100 LIMIT 1) u ON true
JOIN LATERAL (SELECT track_id FROM vinylops.tracks ORDER BY track_id OFFSET (i * 3 + :b) % 100 LIMIT 1) t ON true;
INSERT INTO ingest_log SELECT * FROM vinylops.ingest();
SQL
reports=(churn_risk user_lifecycle engagement_quality market_viability french_content_performance
         quebec_cultural_engagement artist_partnership_roi user_segment_revenue feature_monetization
         peak_usage device_performance data_quality)
args=()
for r in "${reports[@]}"; do
    echo "SELECT count(*) FROM vinylops.$r();" >"$work/$r.sql"
    args+=(-f "$work/$r.sql")
done

pgbench -n -c 1 -T "$seconds" -f "$work/loader.sql" vinylops_load >"$work/loader.out" 2>&1 &
loader=$!
pgbench -n -c "$clients" -j 2 -T "$seconds" "${args[@]}" vinylops_load >"$work/readers.out" 2>&1 || true
wait $loader || true

echo "== loader";  grep -E "transactions actually processed|failed|tps = " "$work/loader.out"
echo "== readers"; grep -E "transactions actually processed|failed|tps = " "$work/readers.out"
q <<SQL
\pset footer off
\pset tuples_only off
\pset format aligned
SELECT sum(staged) AS staged, sum(loaded) AS loaded, sum(already_present) AS already_present,
       sum(rejected) AS rejected,
       sum(staged) = sum(loaded) + sum(already_present) + sum(rejected) AS identity_holds,
       (SELECT count(*) FROM vinylops.streams) - $streams_before = sum(loaded) AS streams_add_up,
       (SELECT count(*) FROM vinylops.rejected_rows) = sum(rejected) AS rejects_add_up,
       (SELECT count(*) FROM vinylops.staging_streams) AS left_staged
FROM ingest_log WHERE source = 'streams';
SQL
failed=$(cat "$work/loader.out" "$work/readers.out" | sed -n 's/.*number of failed transactions: \([0-9]*\).*/\1/p' | paste -sd+ | bc)
echo "failed transactions: ${failed:-unknown}"
[ "${failed:-1}" = 0 ]
