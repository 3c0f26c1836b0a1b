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
    -- Per (hour, device, user) first, on streams alone, then per cell counting
    -- the users: two groupings that hash and aggregate partially in parallel
    -- workers, where count(DISTINCT user_id) sorts every stream; the region is
    -- looked up once per (hour, device, user), not per stream (doc/performance.md).
    WITH per_user AS (
        SELECT s.hour_of_day, s.device_type, s.user_id,
               @extschema@.stream_metrics_partial(s.completed, s.skipped, s.replayed,
                                                  s.added_to_playlist, s.stream_duration_sec,
                                                  NULL::integer) AS st
        FROM @extschema@.streams s
        GROUP BY s.hour_of_day, s.device_type, s.user_id
    ), per_cell AS (
        SELECT p.hour_of_day::integer AS hour, p.device_type, u.geographic_region,
               @extschema@.stream_metrics_merge(p.st) AS m,
               pg_catalog.count(*) AS concurrent_users
        FROM per_user p
        JOIN @extschema@.users u ON u.user_id = p.user_id
        GROUP BY p.hour_of_day, p.device_type, u.geographic_region
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
