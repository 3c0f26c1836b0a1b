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
    -- Per (device, user) first, then per device and user type counting the
    -- users: two groupings that hash and aggregate partially in parallel
    -- workers, where count(DISTINCT user_id) sorts every stream; the user type
    -- is looked up once per (device, user), not per stream (doc/performance.md).
    WITH per_user AS (
        SELECT s.device_type, s.user_key,
               @extschema@.stream_metrics_partial(s.completed, s.skipped, s.replayed,
                                                  s.added_to_playlist, s.stream_duration_sec,
                                                  t.track_duration_sec) AS st
        FROM @extschema@.streams s
        JOIN @extschema@.tracks t ON t.track_key = s.track_key
        GROUP BY s.device_type, s.user_key
    ), per_cell AS (
        SELECT p.device_type, u.user_type,
               @extschema@.stream_metrics_merge(p.st) AS m,
               pg_catalog.count(*) AS unique_users
        FROM per_user p
        JOIN @extschema@.users u ON u.user_key = p.user_key
        GROUP BY p.device_type, u.user_type
    ), rated AS (
        SELECT g.device_type, g.user_type, (g.m).streams AS total_streams, g.unique_users,
               pg_catalog.round(((g.m).completion_pct)::numeric, 1) AS completion_rate,
               pg_catalog.round(((g.m).skip_pct)::numeric, 1) AS skip_rate,
               pg_catalog.round(((g.m).avg_duration_sec)::numeric, 0) AS avg_stream_duration,
               -- 100 x mean stream duration / mean track duration: over the same
               -- streams, the ratio of the sums (stream_metrics' listen-through).
               pg_catalog.round(((g.m).listen_through_pct)::numeric, 1) AS avg_listen_through_pct
        FROM per_cell g
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
