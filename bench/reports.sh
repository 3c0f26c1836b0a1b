#!/usr/bin/env bash
# Report timings against one sequential scan of streams: fills the typed tables
# with N streams (default 1,000,000) shaped like the reference data (six markets,
# 69 artists in 8 genres, about 1.7 % of streams longer than their track, a few
# reused stream ids), then times `SELECT count(*) FROM streams` and each report,
# median of 3 runs after a warm-up, and prints each report's time as a multiple
# of the scan.  data_quality() is meant to stay a small multiple.
# Uses vinylops.generate_demo_data() when the extension has it, else its own
# generator below.  Usage: bench/reports.sh [N]
source "$(dirname "$0")/../scripts/lib.sh"
n=${1:-1000000}

vinylops_install_deps
vinylops_build_install
vinylops_start_cluster
createdb vinylops_bench
psql -X -q -d vinylops_bench -v ON_ERROR_STOP=1 -v n="$n" <<'SQL'
CREATE EXTENSION vinylops;
SELECT to_regprocedure('vinylops.generate_demo_data(bigint,integer)') IS NOT NULL AS has_generator \gset
\if :has_generator
SELECT count(*) FROM vinylops.generate_demo_data(:n, 42);
\else
INSERT INTO vinylops.users
SELECT 'USER_' || lpad(i::text, 5, '0'),
       CASE WHEN hashint4(i) % 100 < 53 THEN 'Premium' ELSE 'Free' END,
       (ARRAY['18-24', '25-34', '35-44', '45+'])[1 + abs(hashint4(i + 1)) % 4],
       (ARRAY['Montreal', 'Toronto', 'Vancouver', 'New York City', 'Los Angeles', 'London'])[1 + i % 6],
       i % 6 = 0
FROM generate_series(1, 20000) i;
INSERT INTO vinylops.tracks
SELECT 'TRK_' || lpad(i::text, 5, '0'), 'Artist ' || (i % 69),
       (ARRAY['Classical', 'EDM', 'Electronic', 'Indie Rock', 'Jazz', 'Lo-fi Hip-Hop', 'Pop', 'R&B'])[1 + (i % 69) % 8],
       200 + abs(hashint4(i)) % 251, abs(hashint4(i + 7)) % 100 < 15
FROM generate_series(1, 5000) i;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
                              device_type, stream_duration_sec, completed, skipped, replayed, added_to_playlist)
SELECT 'STR_' || CASE WHEN i % 100000 = 0 THEN i - 1 ELSE i END,
       'USER_' || lpad((1 + abs(hashint4(i)) % 20000)::text, 5, '0'),
       'TRK_' || lpad((1 + abs(hashint4(i + 1)) % 5000)::text, 5, '0'),
       DATE '2024-01-01' + abs(hashint4(i + 2)) % 182,
       make_time(h, abs(hashint4(i + 3)) % 60, abs(hashint4(i + 4)) % 60), h,
       (ARRAY['Mobile', 'Mobile', 'Desktop', 'Smart Speaker'])[1 + abs(hashint4(i + 5)) % 4],
       30 + abs(hashint4(i + 6)) % 400,
       c, NOT c, abs(hashint4(i + 8)) % 100 < 18, abs(hashint4(i + 9)) % 100 < 19
FROM (SELECT i, abs(hashint4(i + 10)) % 24 AS h, abs(hashint4(i + 11)) % 100 < 77 AS c
      FROM generate_series(1, :n) i) g;
\endif
VACUUM ANALYZE vinylops.users, vinylops.tracks, vinylops.streams;

-- Median wall time of 3 runs (after one warm-up) of a query, in milliseconds.
CREATE FUNCTION pg_temp.median_ms(query text) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    runs numeric[] := '{}';
BEGIN
    EXECUTE 'SELECT count(*) FROM (' || query || ') q';
    FOR k IN 1..3 LOOP
        t0 := clock_timestamp();
        EXECUTE 'SELECT count(*) FROM (' || query || ') q';
        runs := runs || (1000 * extract(epoch FROM clock_timestamp() - t0))::numeric;
    END LOOP;
    RETURN (SELECT round(percentile_disc(0.5) WITHIN GROUP (ORDER BY r), 1) FROM unnest(runs) r);
END
$$;

SELECT (SELECT count(*) FROM vinylops.streams) AS streams,
       current_setting('max_parallel_workers_per_gather') AS workers_per_gather,
       current_setting('work_mem') AS work_mem;
\pset footer off
WITH timed AS (
    SELECT q, pg_temp.median_ms(q) AS ms, ord
    FROM unnest(ARRAY[
        'SELECT * FROM vinylops.streams',
        'SELECT * FROM vinylops.data_quality()',
        'SELECT * FROM vinylops.churn_risk()',
        'SELECT * FROM vinylops.user_lifecycle()',
        'SELECT * FROM vinylops.engagement_quality()',
        'SELECT * FROM vinylops.market_viability()',
        'SELECT * FROM vinylops.french_content_performance()',
        'SELECT * FROM vinylops.quebec_cultural_engagement()',
        'SELECT * FROM vinylops.artist_partnership_roi()',
        'SELECT * FROM vinylops.user_segment_revenue()',
        'SELECT * FROM vinylops.feature_monetization()',
        'SELECT * FROM vinylops.peak_usage()',
        'SELECT * FROM vinylops.device_performance()',
        'SELECT * FROM vinylops.quebec_expansion_summary()']) WITH ORDINALITY AS u (q, ord)
)
SELECT replace(q, 'SELECT * FROM ', '') AS query, ms AS median_ms,
       round(ms / (SELECT ms FROM timed WHERE ord = 1), 1) AS x_seq_scan
FROM timed ORDER BY ord;
SQL
