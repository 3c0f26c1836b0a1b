-- ---------------------------------------------------------------------------
-- Report 7, artist_partnership_roi(premium_rate, free_rate): estimated royalty
-- value of each artist, for partnership decisions.
-- ---------------------------------------------------------------------------

-- Estimates royalties per artist and genre and assigns a partnership tier (doc/reports.md, report 7).
CREATE FUNCTION @extschema@.artist_partnership_roi(premium_rate numeric DEFAULT 0.004,
                                                   free_rate numeric DEFAULT 0.0025)
RETURNS TABLE (
    artist_name             text,
    genre                   text,
    total_streams           bigint,
    unique_listeners        bigint,
    premium_streams         bigint,
    free_streams            bigint,
    completion_rate         numeric,
    estimated_royalty_value numeric,
    streams_per_listener    numeric,
    partnership_tier        text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- Streams join their user (the report counts only streams whose user is
    -- known, for the premium/free split): the user's surrogate key keys a set
    -- of listeners per artist and genre, in one hashing pass that is partial
    -- in parallel workers, where count(DISTINCT user_id) sorts every stream
    -- (distinct_count, doc/performance.md).
    WITH per_artist AS (
        SELECT t.artist_name, t.genre,
               @extschema@.stream_metrics(s.completed, s.skipped, s.replayed, s.added_to_playlist,
                                          s.stream_duration_sec, t.track_duration_sec) AS m,
               @extschema@.distinct_count(s.user_key) AS unique_listeners,
               pg_catalog.count(*) FILTER (WHERE u.user_type = 'Premium') AS premium_streams,
               pg_catalog.count(*) FILTER (WHERE u.user_type = 'Free') AS free_streams
        FROM @extschema@.streams s
        JOIN @extschema@.tracks t ON t.track_key = s.track_key
        JOIN @extschema@.users u ON u.user_key = s.user_key
        WHERE @extschema@.check_rate('premium_rate', artist_partnership_roi.premium_rate)
          AND @extschema@.check_rate('free_rate', artist_partnership_roi.free_rate)
        GROUP BY t.artist_name, t.genre
    ), valued AS (
        SELECT a.artist_name, a.genre, (a.m).streams AS total_streams, a.unique_listeners,
               a.premium_streams, a.free_streams,
               pg_catalog.round(((a.m).completion_pct)::numeric, 1) AS completion_rate,
               pg_catalog.round(a.premium_streams * artist_partnership_roi.premium_rate
                                + a.free_streams * artist_partnership_roi.free_rate, 2) AS royalty
        FROM per_artist a
    )
    SELECT v.artist_name, v.genre, v.total_streams, v.unique_listeners,
           v.premium_streams, v.free_streams, v.completion_rate,
           v.royalty AS estimated_royalty_value,
           pg_catalog.round(1.0 * v.total_streams / v.unique_listeners, 1) AS streams_per_listener,
           CASE WHEN v.royalty >= 10 THEN 'Tier 1 - High Value'
                WHEN v.royalty >= 5 THEN 'Tier 2 - Medium Value'
                WHEN v.royalty >= 2 THEN 'Tier 3 - Growing'
                ELSE 'Tier 4 - Emerging'
           END AS partnership_tier
    FROM valued v
    ORDER BY v.royalty DESC, v.artist_name COLLATE "C", v.genre COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.artist_partnership_roi(numeric, numeric) IS
'Report 7: per artist and genre, royalty = premium streams x premium_rate + free streams x free_rate (dollars per stream) and partnership tier';
