-- ---------------------------------------------------------------------------
-- Report 10, peak_usage(): traffic by hour, device and region, for capacity
-- planning.  'Late Night' covers 23:00 to 05:59 (the original's BETWEEN 23
-- AND 5 is an empty range and never matched).
-- ---------------------------------------------------------------------------

-- Counts streams and distinct listeners per hour, device and region (doc/reports.md, report 10).
CREATE FUNCTION @extschema@.peak_usage()
RETURNS TABLE (
    hour                  integer,
    device_type           text,
    geographic_region     text,
    stream_count          bigint,
    concurrent_users      bigint,
    avg_stream_duration   numeric,
    pct_of_device_traffic numeric,
    usage_period          text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- One pass, no join, one aggregate call per stream: each user's region is
    -- looked up by surrogate key in an int4 array built once per call
    -- (dense_int_array, doc/performance.md), where a hash join probed a table
    -- of users larger than the CPU caches for every stream; cell_metrics_keyed
    -- reads it a few rows later, prefetched.  The array holds a code per
    -- region (its rank among the regions, from 1), which finds the region's
    -- name again after the grouping.  Per (device, hour x 2^32 + region code)
    -- cell (a NULL hour as 65536, no smallint, so it stays a group of its
    -- own) the aggregate keeps the counts of stream_metrics and the set of
    -- its users (count(DISTINCT s.user_id) without a sort), where a hash
    -- aggregation over the device's text called stream_metrics and
    -- distinct_count per stream.  A stream whose user is missing gets no
    -- region code (0 or NULL) and is dropped with its cell, as the join
    -- dropped it.
    WITH regions AS NOT MATERIALIZED (
        -- The regions numbered in name order (NULL last): the users are
        -- grouped first, so only the regions are sorted here.
        SELECT g.geographic_region,
               pg_catalog.row_number() OVER (ORDER BY g.geographic_region COLLATE "C")::integer AS code
        FROM (SELECT DISTINCT u.geographic_region FROM @extschema@.users u) g
    ), user_codes AS MATERIALIZED (
        -- NULL is a region of its own, as in the grouping; the join stays a
        -- hash join on both halves of that equality.  rank is the user's
        -- number within the region, from 0 in user_key order (the same
        -- numbering wherever it is computed): a cell's set of users holds it
        -- in place of the user key (user_map), so its bitmap spans the
        -- region's users, not all 194,297 at 19 M streams (one sort of the
        -- users, about 0.03 s, for about 0.6 s less of setting bits).
        SELECT u.user_key, r.code,
               (pg_catalog.row_number() OVER (PARTITION BY r.code ORDER BY u.user_key) - 1)::integer AS rank
        FROM @extschema@.users u
        JOIN regions r ON COALESCE(r.geographic_region, '') = COALESCE(u.geographic_region, '')
                      AND (r.geographic_region IS NULL) = (u.geographic_region IS NULL)
    ), tallied AS (
        SELECT @extschema@.cell_metrics_keyed(
                   s.device_type, COALESCE(s.hour_of_day::bigint, 65536) << 32,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(r.user_key),
                                                       pg_catalog.array_agg(r.code), 0)
                    FROM user_codes r), s.user_key,
                   s.user_key, s.completed, s.skipped, s.replayed, s.added_to_playlist,
                   s.stream_duration_sec, NULL, NULL, NULL, NULL,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(r.user_key),
                                                       pg_catalog.array_agg(r.rank), -1)
                    FROM user_codes r)) AS cells
        FROM @extschema@.streams s
    ), per_cell AS (
        SELECT NULLIF(c.code >> 32, 65536)::integer AS hour, c.label AS device_type, r.geographic_region,
               @extschema@.stream_metrics_final(c.metrics) AS m, c.users AS concurrent_users
        FROM tallied g
        CROSS JOIN @extschema@.cell_metrics_rows(g.cells) c
        JOIN regions r ON r.code = c.code & 4294967295
    ), counted AS (
        SELECT g.hour, g.device_type, g.geographic_region, (g.m).streams AS stream_count,
               g.concurrent_users,
               pg_catalog.round(((g.m).avg_duration_sec)::numeric, 0) AS avg_stream_duration
        FROM per_cell g
    )
    SELECT c.hour, c.device_type, c.geographic_region, c.stream_count, c.concurrent_users,
           c.avg_stream_duration,
           pg_catalog.round(100.0 * c.stream_count
                            / pg_catalog.sum(c.stream_count) OVER (PARTITION BY c.device_type), 1)
               AS pct_of_device_traffic,
           CASE WHEN c.hour BETWEEN 18 AND 22 THEN 'Peak Evening'
                WHEN c.hour BETWEEN 12 AND 14 THEN 'Lunch Rush'
                WHEN c.hour BETWEEN 6 AND 9 THEN 'Morning Commute'
                WHEN c.hour >= 23 OR c.hour <= 5 THEN 'Late Night'
                ELSE 'Off-Peak'
           END AS usage_period
    FROM counted c
    ORDER BY c.stream_count DESC, c.hour, c.device_type COLLATE "C", c.geographic_region COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.peak_usage() IS
'Report 10: streams and distinct users per hour of day, device and region, share of the device''s traffic and usage period';
