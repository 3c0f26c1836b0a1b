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
    -- One pass over streams, two aggregates: per user in one dense tally
    -- (stream_tally, doc/performance.md) the streams, first day and mean
    -- duration; per day, the set of its users (cell_metrics with the day's
    -- number as the code: a bitmap of the dense user keys per day).  Then,
    -- per user, the number of day sets that hold the user (int_set_tally)
    -- gives the distinct active days.  Grouping every stream by user instead
    -- kept a set of days per user in a hash table larger than the CPU caches,
    -- and grouping by day in a second pass read streams twice.
    WITH pass AS (
        SELECT @extschema@.stream_tally(s.user_key, NULL, NULL, NULL, NULL, s.stream_date,
                                        s.stream_duration_sec) AS tally,
               @extschema@.cell_metrics(NULL::text, @extschema@.day_number(s.stream_date), s.user_key,
                                        NULL, NULL, NULL, NULL, NULL, NULL) AS days
        FROM @extschema@.streams s
    ), active AS (
        SELECT @extschema@.int_set_tally(d.users) AS tally
        FROM pass p, @extschema@.cell_metrics_user_sets(p.days) d
    ), per_user AS (
        -- Each user's active days, looked up by key (dense_int_array) rather
        -- than joined: a join of the two tallies' rows, 100,000 estimated
        -- each, was planned at 50 M rows and compiled by JIT even on empty
        -- tables.
        SELECT p.key AS user_key, pg_catalog.to_char(p.first_day, 'YYYY-MM') AS cohort_month,
               p.streams, p.total_duration,
               (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(r.key),
                                                   pg_catalog.array_agg(r.streams::integer), 0)
                FROM active x, @extschema@.stream_tally_rows(x.tally) r)[p.key]::bigint AS active_days
        FROM pass g, @extschema@.stream_tally_rows(g.tally) p
    ), per_user_figures AS (
        SELECT p.user_key, p.cohort_month, p.streams, p.active_days,
               -- Rounded per user first, as the original analysis did; from
               -- the sum, exact (rounded_quotient; stream_duration_sec is NOT
               -- NULL, so every stream of the user is timed).
               @extschema@.rounded_quotient(p.total_duration, p.streams, 0) AS mean_duration
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
