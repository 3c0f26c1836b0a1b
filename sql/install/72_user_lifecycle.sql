-- ---------------------------------------------------------------------------
-- Report 2, user_lifecycle(): cohorts by the month of a user's first stream.
-- ---------------------------------------------------------------------------

-- Averages per-user activity by first-stream month, user type and Quebec flag (doc/reports.md, report 2).
CREATE FUNCTION @extschema@.user_lifecycle()
RETURNS TABLE (
    cohort_month         text,
    user_type            text,
    is_quebec_resident   boolean,
    cohort_size          bigint,
    avg_streams_per_user numeric,
    avg_active_days      numeric,
    avg_duration_seconds numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH per_user AS (
        SELECT s.user_key,
               pg_catalog.to_char(pg_catalog.min(s.stream_date), 'YYYY-MM') AS cohort_month,
               @extschema@.stream_metrics(s.completed, s.skipped, s.replayed, s.added_to_playlist,
                                          s.stream_duration_sec, NULL::integer) AS m,
               -- The set of the user's days, hashed in the same pass (where
               -- count(DISTINCT) sorted every stream by user), so the grouping
               -- hashes and is partial in parallel workers (doc/performance.md).
               @extschema@.distinct_count(s.stream_date) AS active_days
        FROM @extschema@.streams s
        GROUP BY s.user_key
    ), per_user_figures AS (
        SELECT p.user_key, p.cohort_month, (p.m).streams AS streams, p.active_days,
               -- Rounded per user first, as the original analysis did.
               pg_catalog.round(((p.m).avg_duration_sec)::numeric, 0) AS mean_duration
        FROM per_user p
    )
    SELECT p.cohort_month, u.user_type, u.is_quebec_resident,
           pg_catalog.count(*) AS cohort_size,
           pg_catalog.round(pg_catalog.avg(p.streams), 1) AS avg_streams_per_user,
           pg_catalog.round(pg_catalog.avg(p.active_days), 1) AS avg_active_days,
           pg_catalog.round(pg_catalog.avg(p.mean_duration), 0) AS avg_duration_seconds
    FROM per_user_figures p
    JOIN @extschema@.users u ON u.user_key = p.user_key
    GROUP BY p.cohort_month, u.user_type, u.is_quebec_resident
    ORDER BY p.cohort_month COLLATE "C", u.user_type COLLATE "C", u.is_quebec_resident;
END;

COMMENT ON FUNCTION @extschema@.user_lifecycle() IS
'Report 2: cohorts by month of first stream, user type and Quebec flag, with mean streams, active days and stream duration per user';
