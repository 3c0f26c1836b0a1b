-- ---------------------------------------------------------------------------
-- Report 4, market_viability(): health of each market, Quebec residents
-- forming the 'Quebec (Montreal)' market.
-- ---------------------------------------------------------------------------

-- Scores each market on completion, playlist adds and premium penetration (doc/reports.md, report 4).
CREATE FUNCTION @extschema@.market_viability()
RETURNS TABLE (
    market              text,
    unique_users        bigint,
    total_streams       bigint,
    streams_per_user    numeric,
    avg_stream_duration numeric,
    completion_rate     numeric,
    playlist_add_rate   numeric,
    premium_users       bigint,
    premium_penetration numeric,
    market_health_score numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- Per user first, in one dense tally (stream_tally, doc/performance.md),
    -- so distinct users are counted without sorting every stream; the rates
    -- come from the summed integer counts, exactly as over the streams
    -- themselves.
    WITH tallied AS (
        SELECT @extschema@.stream_tally(s.user_key, s.completed, NULL, s.added_to_playlist,
                                        NULL, NULL, s.stream_duration_sec) AS tally
        FROM @extschema@.streams s
    ), per_user AS (
        SELECT p.key AS user_key, p.streams, p.completed, p.playlisted AS playlist_adds,
               p.total_duration AS duration
        FROM tallied g, @extschema@.stream_tally_rows(g.tally) p
    ), per_market AS (
        SELECT CASE WHEN u.is_quebec_resident THEN 'Quebec (Montreal)'
                    ELSE u.geographic_region END AS market,
               pg_catalog.count(*) AS unique_users,
               pg_catalog.sum(p.streams)::bigint AS total_streams,
               pg_catalog.round(pg_catalog.sum(p.duration)::numeric / pg_catalog.sum(p.streams), 0) AS avg_stream_duration,
               pg_catalog.round(100.0 * pg_catalog.sum(p.completed) / pg_catalog.sum(p.streams), 1) AS completion_rate,
               pg_catalog.round(100.0 * pg_catalog.sum(p.playlist_adds) / pg_catalog.sum(p.streams), 1) AS playlist_add_rate,
               pg_catalog.count(*) FILTER (WHERE u.user_type = 'Premium') AS premium_users
        FROM per_user p
        JOIN @extschema@.users u ON u.user_key = p.user_key
        GROUP BY 1
    ), rated AS (
        SELECT m.*,
               pg_catalog.round(100.0 * m.premium_users / m.unique_users, 1) AS premium_penetration
        FROM per_market m
    )
    SELECT r.market, r.unique_users, r.total_streams,
           pg_catalog.round(1.0 * r.total_streams / r.unique_users, 1) AS streams_per_user,
           r.avg_stream_duration, r.completion_rate, r.playlist_add_rate,
           r.premium_users, r.premium_penetration,
           pg_catalog.round(0.4 * r.completion_rate + 0.3 * r.playlist_add_rate
                            + 0.3 * r.premium_penetration, 1) AS market_health_score
    FROM rated r
    ORDER BY market_health_score DESC, r.market COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.market_viability() IS
'Report 4: per market (Quebec residents form ''Quebec (Montreal)''), health 0.4 x completion + 0.3 x playlist-add rate + 0.3 x premium penetration';
