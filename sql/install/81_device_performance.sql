-- ---------------------------------------------------------------------------
-- Report 11, device_performance(): listening experience per device and user type.
-- ---------------------------------------------------------------------------

-- Scores the experience on each device for each user type, worst first (doc/reports.md, report 11).
CREATE FUNCTION @extschema@.device_performance()
RETURNS TABLE (
    device_type             text,
    user_type               text,
    total_streams           bigint,
    unique_users            bigint,
    completion_rate         numeric,
    skip_rate               numeric,
    avg_stream_duration     numeric,
    avg_listen_through_pct  numeric,
    device_experience_score numeric,
    ux_priority             text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- One pass, no join, one aggregate call per stream: cell_metrics_keyed
    -- keeps, per (device, user type) cell, the counts of stream_metrics and
    -- the set of user keys, where a hash aggregation over the device's text
    -- called stream_metrics and distinct_count per stream; it looks the
    -- user's type and the track's duration up by surrogate key in int4 arrays
    -- built once per call (dense_int_array, doc/performance.md), where hash
    -- joins probed users and tracks for every stream, and reads them a few
    -- rows later, prefetched, where a subscript in SQL stalled on each.  A
    -- stream whose track is missing (duration -1) is left out, as the join
    -- left it; one whose user is missing falls in a type of -1 or NULL,
    -- dropped below.
    WITH tallied AS (
        SELECT @extschema@.cell_metrics_keyed(
                   s.device_type, 0,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(u.user_key),
                                                       pg_catalog.array_agg((u.user_type = 'Premium')::integer), -1)
                    FROM @extschema@.users u), s.user_key,
                   s.user_key, s.completed, s.skipped, s.replayed, s.added_to_playlist,
                   s.stream_duration_sec,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(t.track_key),
                                                       pg_catalog.array_agg(t.track_duration_sec), -1)
                    FROM @extschema@.tracks t), s.track_key) AS cells
        FROM @extschema@.streams s
    ), per_cell AS (
        SELECT c.label AS device_type, c.code AS premium,
               @extschema@.stream_metrics_final(c.metrics) AS m, c.users AS unique_users
        FROM tallied g, @extschema@.cell_metrics_rows(g.cells) c
    ), rated AS (
        SELECT g.device_type, CASE g.premium WHEN 1 THEN 'Premium' ELSE 'Free' END AS user_type,
               (g.m).streams AS total_streams, g.unique_users,
               pg_catalog.round(((g.m).completion_pct)::numeric, 1) AS completion_rate,
               pg_catalog.round(((g.m).skip_pct)::numeric, 1) AS skip_rate,
               pg_catalog.round(((g.m).avg_duration_sec)::numeric, 0) AS avg_stream_duration,
               -- 100 x mean stream duration / mean track duration: over the same
               -- streams, the ratio of the sums (stream_metrics' listen-through).
               pg_catalog.round(((g.m).listen_through_pct)::numeric, 1) AS avg_listen_through_pct
        FROM per_cell g
        WHERE g.premium >= 0
    ), scored AS (
        SELECT c.*,
               pg_catalog.round(0.5 * c.completion_rate + 0.3 * (100 - c.skip_rate)
                                + 0.2 * c.avg_listen_through_pct, 1) AS score
        FROM rated c
    )
    SELECT k.device_type, k.user_type, k.total_streams, k.unique_users, k.completion_rate,
           k.skip_rate, k.avg_stream_duration, k.avg_listen_through_pct,
           k.score AS device_experience_score,
           CASE WHEN k.skip_rate > 50 THEN 'Critical - High Skip Rate'
                WHEN k.completion_rate < 60 THEN 'Needs Improvement - Low Completion'
                WHEN k.avg_listen_through_pct < 70 THEN 'Monitor - Short Listen Time'
                ELSE 'Healthy Performance'
           END AS ux_priority
    FROM scored k
    ORDER BY k.score, k.device_type COLLATE "C", k.user_type COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.device_performance() IS
'Report 11: per device and user type, score 0.5 x completion + 0.3 x (100 - skip rate) + 0.2 x listen-through %, and the UX priority';
