#!/usr/bin/env bash
# ingest_scrobbles() throughput at two sizes, to show it is linear in the input:
# generates N scrobbles in the Last.fm 1K layout (1,000 users, 60,000 tracks of
# which 28 % have no MusicBrainz id, gaps of 0 s to 15 min, a few same-second
# pairs), stages them as text and times the first load into empty tables.
# Usage: bench/ingest_scrobbles.sh [N1 [N2]]   (defaults 1000000 2000000; keep N <= 2e6)
source "$(dirname "$0")/../scripts/lib.sh"
sizes=("${1:-1000000}" "${2:-2000000}")

vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
createdb vinylops_bench
for n in "${sizes[@]}"; do
    psql -X -q -d vinylops_bench -v ON_ERROR_STOP=1 -v n="$n" <<'SQL'
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
CREATE EXTENSION vinylops;
-- Scrobble i belongs to user i % 1000; each user's plays advance by a pseudo-random
-- gap of 0..900 s (0 s about 1 % of the time: two tracks in the same second).
INSERT INTO vinylops.staging_scrobbles
SELECT 'user_' || lpad((i % 1000)::text, 6, '0'),
       to_char(timestamp '2005-02-14 00:00:00'
               + make_interval(secs => sum(gap) OVER (PARTITION BY i % 1000 ORDER BY i)),
               'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       CASE WHEN t % 14 = 0 THEN '' ELSE md5('artist' || (t % 3000))::uuid::text END,
       'Artist ' || (t % 3000),
       CASE WHEN t % 25 < 7 THEN '' ELSE md5('track' || t)::uuid::text END,
       'Track ' || t
FROM (SELECT i, (hashint4(i) & 2147483647) % 60000 AS t,
             CASE WHEN hashint4(i + 7) % 100 = 0 THEN 0 ELSE (hashint4(i + 13) & 2147483647) % 900 END AS gap
      FROM generate_series(1, :n) i) g;
ANALYZE vinylops.staging_scrobbles;
SELECT :n AS scrobbles \gset
\echo staged :scrobbles scrobbles
SELECT clock_timestamp() AS t0 \gset
SELECT * FROM vinylops.ingest_scrobbles();
SELECT round(:scrobbles / extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)) AS rows_per_second,
       round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1) AS seconds;
SQL
done
