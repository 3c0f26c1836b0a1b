#!/usr/bin/env bash
# Ingest throughput: stages N streams (default 1,000,000) as text rows shaped like
# the reference CSVs, then times ingest() for the first load and for a repeat
# load of the same rows (all already present).  Usage: bench/ingest.sh [N]
source "$(dirname "$0")/../scripts/lib.sh"
n=${1:-1000000}

vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
createdb vinylops_bench
psql -X -q -d vinylops_bench -v ON_ERROR_STOP=1 -v n="$n" <<'SQL'
CREATE EXTENSION vinylops;
\timing off
CREATE TABLE bench_staged_streams AS
SELECT 'STR_' || i AS stream_id, 'USER_' || (i % 10000) AS user_id, 'TRK_' || (i % 5000) AS track_id,
       (1 + i % 6) || '/' || (1 + i % 28) || '/2024' AS stream_date,
       (i % 24) || ':' || lpad((i % 60)::text, 2, '0') || ':07' AS stream_time,
       (i % 24)::text AS hour_of_day, (ARRAY['Mobile', 'Desktop', 'Smart Speaker'])[1 + i % 3] AS device_type,
       (i % 400)::text AS stream_duration_sec,
       CASE WHEN i % 4 = 0 THEN 'FALSE' ELSE 'TRUE' END AS completed,
       CASE WHEN i % 4 = 0 THEN 'TRUE' ELSE 'FALSE' END AS skipped,
       CASE WHEN i % 5 = 0 THEN 'TRUE' ELSE 'FALSE' END AS replayed,
       CASE WHEN i % 6 = 0 THEN 'TRUE' ELSE 'FALSE' END AS added_to_playlist
FROM generate_series(1, :n) i;
INSERT INTO vinylops.staging_users
SELECT 'USER_' || i, CASE WHEN i % 2 = 0 THEN 'Free' ELSE 'Premium' END, '18-24', 'Toronto', 'FALSE'
FROM generate_series(0, 9999) i;
INSERT INTO vinylops.staging_tracks
SELECT 'TRK_' || i, 'Artist ' || (i % 69), 'Jazz', '300', 'FALSE' FROM generate_series(0, 4999) i;
INSERT INTO vinylops.staging_streams SELECT * FROM bench_staged_streams;
\echo first load (all new):
\timing on
SELECT * FROM vinylops.ingest();
\timing off
INSERT INTO vinylops.staging_streams SELECT * FROM bench_staged_streams;
\echo repeat load (all already present):
\timing on
SELECT * FROM vinylops.ingest();
SQL
