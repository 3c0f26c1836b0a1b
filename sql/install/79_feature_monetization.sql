-- ---------------------------------------------------------------------------
-- Report 9, feature_monetization(min_streams): playlist use against premium
-- conversion.
-- ---------------------------------------------------------------------------

-- Buckets users by playlist-add rate and compares the buckets (doc/reports.md, report 9).
CREATE FUNCTION @extschema@.feature_monetization(min_streams integer DEFAULT 5)
RETURNS TABLE (
    playlist_user_segment   text,
    user_type               text,
    is_quebec_resident      boolean,
    user_count              bigint,
    avg_streams             numeric,
    avg_playlist_rate       numeric,
    avg_replay_rate         numeric,
    premium_conversion_rate numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The per-user counts in one dense tally (stream_tally, doc/performance.md).
    WITH tallied AS (
        SELECT @extschema@.stream_tally(s.user_key, NULL, s.replayed, s.added_to_playlist, NULL, NULL, NULL) AS tally
        FROM @extschema@.streams s
    ), rated AS (
        SELECT p.key AS user_key, p.streams AS total_streams,
               @extschema@.rounded_quotient(100 * p.playlisted, p.streams, 1) AS playlist_rate,
               @extschema@.rounded_quotient(100 * p.replayed, p.streams, 1) AS replay_rate
        FROM tallied g, @extschema@.stream_tally_rows(g.tally) p
        WHERE p.streams >= feature_monetization.min_streams
        -- The rates rounded from the counts, as engagement_quality's.
        -- OFFSET 0 keeps this a subquery, so the rates are computed once per
        -- user, not again in each test of the bucket CASE and each avg().
        OFFSET 0
    ), bucketed AS (
        SELECT CASE WHEN p.playlist_rate >= 20 THEN 1
                    WHEN p.playlist_rate >= 10 THEN 2
                    WHEN p.playlist_rate > 0 THEN 3
                    ELSE 4
               END AS bucket,
               u.user_type, u.is_quebec_resident, p.total_streams, p.playlist_rate, p.replay_rate
        FROM rated p
        JOIN @extschema@.users u ON u.user_key = p.user_key
        WHERE @extschema@.check_min_streams(feature_monetization.min_streams)
    )
    SELECT CASE b.bucket WHEN 1 THEN 'High Playlist User'
                         WHEN 2 THEN 'Medium Playlist User'
                         WHEN 3 THEN 'Light Playlist User'
                         ELSE 'Non-Playlist User'
           END AS playlist_user_segment,
           b.user_type, b.is_quebec_resident,
           pg_catalog.count(*) AS user_count,
           pg_catalog.round(pg_catalog.avg(b.total_streams), 1) AS avg_streams,
           pg_catalog.round(pg_catalog.avg(b.playlist_rate), 1) AS avg_playlist_rate,
           pg_catalog.round(pg_catalog.avg(b.replay_rate), 1) AS avg_replay_rate,
           pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE b.user_type = 'Premium')
                            / pg_catalog.count(*), 1) AS premium_conversion_rate
    FROM bucketed b
    GROUP BY b.bucket, b.user_type, b.is_quebec_resident
    ORDER BY b.bucket, b.user_type COLLATE "C", b.is_quebec_resident;
END;

COMMENT ON FUNCTION @extschema@.feature_monetization(integer) IS
'Report 9: users with at least min_streams, bucketed by playlist-add rate (>= 20 High, >= 10 Medium, > 0 Light, else Non-Playlist) x user type x Quebec flag';
