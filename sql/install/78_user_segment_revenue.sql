-- ---------------------------------------------------------------------------
-- Report 8, user_segment_revenue(premium_rate, free_rate): estimated revenue
-- by user segment.
-- ---------------------------------------------------------------------------

-- Estimates revenue per (user type, age group, region, Quebec flag) segment (doc/reports.md, report 8).
CREATE FUNCTION @extschema@.user_segment_revenue(premium_rate numeric DEFAULT 0.004,
                                                 free_rate numeric DEFAULT 0.0025)
RETURNS TABLE (
    user_type                 text,
    user_age_group            text,
    geographic_region         text,
    is_quebec_resident        boolean,
    user_count                bigint,
    total_streams             bigint,
    streams_per_user          numeric,
    estimated_segment_revenue numeric,
    revenue_per_user          numeric,
    pct_of_total_revenue      numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- Per user first, in one dense tally (stream_tally, doc/performance.md),
    -- so users are counted without sorting every stream.
    WITH tallied AS (
        SELECT @extschema@.stream_tally(s.user_key, NULL, NULL, NULL, NULL, NULL, NULL) AS tally
        FROM @extschema@.streams s
    ), per_user AS (
        SELECT p.key AS user_key, p.streams
        FROM tallied g, @extschema@.stream_tally_rows(g.tally) p
    ), per_segment AS (
        SELECT u.user_type, u.user_age_group, u.geographic_region, u.is_quebec_resident,
               pg_catalog.count(*) AS user_count,
               pg_catalog.sum(p.streams)::bigint AS total_streams
        FROM per_user p
        JOIN @extschema@.users u ON u.user_key = p.user_key
        WHERE @extschema@.check_rate('premium_rate', user_segment_revenue.premium_rate)
          AND @extschema@.check_rate('free_rate', user_segment_revenue.free_rate)
        GROUP BY u.user_type, u.user_age_group, u.geographic_region, u.is_quebec_resident
    ), valued AS (
        SELECT g.*,
               pg_catalog.round(g.total_streams
                                * CASE WHEN g.user_type = 'Premium' THEN user_segment_revenue.premium_rate
                                       ELSE user_segment_revenue.free_rate END, 2) AS revenue
        FROM per_segment g
    )
    -- Per-user revenue and share of the total come from the rounded revenue
    -- shown in the row, as the original analysis did.
    SELECT v.user_type, v.user_age_group, v.geographic_region, v.is_quebec_resident,
           v.user_count, v.total_streams,
           pg_catalog.round(1.0 * v.total_streams / v.user_count, 1) AS streams_per_user,
           v.revenue AS estimated_segment_revenue,
           pg_catalog.round(v.revenue / v.user_count, 2) AS revenue_per_user,
           pg_catalog.round(100.0 * v.revenue
                            / NULLIF(pg_catalog.sum(v.revenue) OVER (), 0), 1) AS pct_of_total_revenue
    FROM valued v
    ORDER BY v.revenue DESC, v.user_type COLLATE "C", v.user_age_group COLLATE "C",
             v.geographic_region COLLATE "C", v.is_quebec_resident;
END;

COMMENT ON FUNCTION @extschema@.user_segment_revenue(numeric, numeric) IS
'Report 8: per user type, age group, region and Quebec flag, revenue = streams x the user type''s rate (dollars per stream) and its share of the total';
